import Foundation
import ParallaxIngest
import ParallaxStore

/// What a refresh did, as `feeds refresh` reports it.
public struct FeedRefreshSummary: Sendable, Hashable, Codable {
    /// Feeds asked for their document.
    public var feeds = 0
    /// Feeds that sent a document.
    public var changed = 0
    /// Feeds that answered that nothing changed (304): bodies not sent again.
    public var notModified = 0
    /// Feeds that failed, were throttled, or are gone.
    public var failed = 0
    /// Feeds that answered 410 and are no longer fetched.
    public var gone = 0
    /// Articles brought in.
    public var newArticles = 0
    /// Of those, articles whose whole text the feed carried.
    public var fromFeedText = 0
    /// Article pages fetched.
    public var pagesFetched = 0
    /// Articles kept with their summary because their page could not be fetched.
    public var keptSummaries = 0
    /// Pages of earlier refreshes fetched at last.
    public var pagesRecovered = 0
    /// HTTP requests made, for feeds and pages.
    public var requests = 0
    /// Bytes of feed documents read.
    public var bytes = 0
    /// What went wrong, one line each.
    public var problems: [String] = []
    /// The ids of the new articles, for grouping to take in.
    public var addedItems: [String] = []

    /// An empty summary.
    public init() {}

    mutating func add(_ other: FeedRefreshSummary) {
        feeds += other.feeds
        changed += other.changed
        notModified += other.notModified
        failed += other.failed
        gone += other.gone
        newArticles += other.newArticles
        fromFeedText += other.fromFeedText
        pagesFetched += other.pagesFetched
        keptSummaries += other.keptSummaries
        pagesRecovered += other.pagesRecovered
        requests += other.requests
        bytes += other.bytes
        problems += other.problems
        addedItems += other.addedItems
    }
}

/// How far a refresh is: feeds done of all, and the last one done.
public struct FeedRefreshProgress: Sendable {
    /// Feeds done.
    public var done: Int
    /// Feeds to do.
    public var total: Int
    /// The outlet or address of the feed just done.
    public var feed: String
}

/// Fetches followed feeds and brings their new entries in as articles, as a good citizen:
/// conditional requests, permanent moves followed, `Retry-After` and `410` honoured, two
/// requests at once per host and sixteen in all, and no private address reached from the web.
public struct FeedRefresh: Sendable {
    /// The most new entries one feed brings in per refresh: a first fetch of a feed that lists
    /// thousands does not fetch thousands of pages.
    public static let maximumNewEntries = 100
    /// The most pages of earlier refreshes tried again per refresh.
    public static let maximumRetries = 50
    /// Seconds one feed's refresh spends fetching its entries' pages, and the retries of earlier
    /// pages spend in all: a feed whose pages never answer cannot hold a refresh for hours.
    public static let pageBudget: TimeInterval = 120

    /// Where articles go and subscriptions are read.
    public let library: Library
    /// The limits and User-Agent of every request.
    public var policy: FetchPolicy
    /// How articles' images are kept, as `add` keeps them; nil keeps none.
    public var images: ImageFetcher?
    /// Where a host leads; tests name their own hosts.
    public var reach: @Sendable (String) async -> NetworkAddress.Reach

    let log: FeedFetchLog
    let slots = RequestSlots()

    /// A refresh of `library`'s feeds.
    public init(
        library: Library, policy: FetchPolicy = FetchPolicy(), images: ImageFetcher? = nil,
        reach: @escaping @Sendable (String) async -> NetworkAddress.Reach = NetworkAddress.lookUp
    ) {
        self.library = library
        self.policy = policy
        self.images = images
        self.reach = reach
        log = FeedFetchLog(library: library)
    }

    /// What this device learnt fetching each feed, by the feed's id.
    public func states() throws -> [String: FeedFetchState] { try log.states() }

    /// The feeds to fetch: those named (even gone or not due), else every one with `all`, else
    /// those due.
    /// - Throws: ``LibraryError/unknownFeed(reference:)`` for a name that is no followed feed.
    public func feedsToFetch(named references: [String] = [], all: Bool = false) throws -> [FeedSubscription]
    {
        if !references.isEmpty { return try references.map(library.subscription) }
        let feeds = try library.subscriptions()
        let states = try log.states()
        let now = library.environment.now()
        return feeds.filter {
            let state = states[$0.id, default: FeedFetchState(feed: $0.id)]
            return all ? !state.gone : state.isDue(at: now)
        }
    }

    /// Fetches `feeds`, brings their new entries in, and tries again pages that failed before.
    public func run(
        _ feeds: [FeedSubscription], progress: @escaping @Sendable (FeedRefreshProgress) -> Void = { _ in }
    ) async throws -> FeedRefreshSummary {
        let states = try log.states()
        // Pages that failed before this refresh, not those it is about to record.
        let retries = try log.pagesToRetry(limit: Self.maximumRetries)
        var summary = FeedRefreshSummary()
        try await withThrowingTaskGroup(of: (String, FeedRefreshSummary).self) { group in
            var pending = feeds[...]
            var done = 0
            func startNext() {
                guard let feed = pending.popFirst() else { return }
                let state = states[feed.id] ?? FeedFetchState(feed: feed.id)
                let name = feed.outlet ?? feed.url
                group.addTask {
                    do {
                        return (name, try await refresh(feed, state: state))
                    } catch let error as LibraryError {
                        // The library itself failing (locked, full, read-only) ends the refresh.
                        throw error
                    } catch {
                        var failed = FeedRefreshSummary()
                        (failed.feeds, failed.failed) = (1, 1)
                        failed.problems = ["\(name): \(Self.describe(error))"]
                        return (name, failed)
                    }
                }
            }
            for _ in 0..<RequestSlots.total { startNext() }
            while let (name, part) = try await group.next() {
                summary.add(part)
                done += 1
                progress(FeedRefreshProgress(done: done, total: feeds.count, feed: name))
                startNext()
            }
        }
        summary.add(try await retryPages(retries))
        return summary
    }
}
