import Foundation
import ParallaxIngest
import ParallaxStore

// MARK: - One feed

extension FeedRefresh {
    /// Fetches one feed, records what the fetch learnt, and brings its new entries in.
    func refresh(_ feed: FeedSubscription, state: FeedFetchState) async throws -> FeedRefreshSummary {
        var state = state
        var summary = FeedRefreshSummary()
        let name = feed.outlet ?? feed.url
        let now = library.environment.now()
        let allowPrivate = await isPrivate(feed.url)
        let validators = FeedDownload.Validators(etag: state.etag, lastModified: state.lastModified)
        let download = await slots.holding(feed.url) { [policy, reach] in
            await FeedDownload.fetch(
                feed.url, validators: validators, policy: policy, allowPrivate: allowPrivate, reach: reach)
        }
        (summary.feeds, summary.requests, summary.bytes) = (1, 1, download.bytes)
        state.requests += 1
        state.lastFetch = now
        if let moved = download.movedTo {
            try library.updateSubscription(feed.id, url: moved)
        }
        func fail(_ message: String, retryAfter: TimeInterval? = nil) {
            state.failures += 1
            state.lastError = message
            state.nextFetch = FeedSchedule.afterFailure(
                at: now, failures: state.failures, retryAfter: retryAfter)
            summary.failed += 1
            // Most messages start with the address already; a feed without a title is named by it.
            summary.problems.append(message.hasPrefix(name) ? message : "\(name): \(message)")
        }
        switch download.answer {
        case .gone:
            state.gone = true
            fail("the server says the feed is gone (HTTP 410); it is no longer fetched")
            summary.gone = 1
        case .throttled(let status, let retryAfter):
            let wait = retryAfter.map { " and asks to wait \(Int($0)) s" } ?? ""
            fail("the server is busy (HTTP \(status))\(wait)", retryAfter: retryAfter)
        case .failed(let message):
            fail(message)
        case .notModified(let fresh, let maxAge):
            summary.notModified = 1
            state.notModified += 1
            succeed(&state, validators: fresh, keeping: true, at: now, floor: maxAge)
        case .document(let data, let contentType, let fresh, let maxAge):
            let parsed: ParsedFeed
            do {
                parsed = try FeedParser.parse(
                    data: data, name: feed.url, address: download.movedTo ?? feed.url,
                    charset: FeedParser.charset(of: contentType))
                guard parsed.kind != .opml else {
                    throw FeedError.notAFeed(
                        path: feed.url, reason: "it is an outline of feeds (OPML), not a feed")
                }
            } catch {
                fail((error as? FeedError)?.errorDescription ?? error.localizedDescription)
                break
            }
            summary.changed = 1
            succeed(
                &state, validators: fresh, keeping: false, at: now,
                floor: max(maxAge ?? 0, parsed.minimumInterval ?? 0))
            if let title = parsed.title, title != feed.title {
                try library.updateSubscription(feed.id, title: title)
            }
            var credited = feed
            credited.title = parsed.title ?? feed.title
            let (taken, leftOver) = try await takeIn(parsed, of: credited, allowPrivate: allowPrivate)
            state.articles += taken.newArticles
            summary.add(taken)
            // Entries past the cap are taken at the next refresh, which must read the whole
            // document again rather than hear that it has not changed.
            if leftOver { (state.etag, state.lastModified) = (nil, nil) }
        }
        try log.save(state)
        return summary
    }

    private func succeed(
        _ state: inout FeedFetchState, validators: FeedDownload.Validators, keeping: Bool, at now: Date,
        floor: TimeInterval?
    ) {
        // A 304 may leave the validators out: the ones sent still name the copy held.
        if !keeping || validators.etag != nil { state.etag = validators.etag }
        if !keeping || validators.lastModified != nil { state.lastModified = validators.lastModified }
        state.failures = 0
        state.lastError = nil
        state.gone = false
        state.lastSuccess = now
        state.nextFetch = FeedSchedule.afterSuccess(at: now, floor: floor)
    }

    /// Brings the entries the library does not hold in, newest first, up to
    /// ``maximumNewEntries``; pages are fetched for ``pageBudget`` seconds, and entries after
    /// that keep their summary until a later refresh fetches their page.
    /// - Returns: What was brought in, and whether new entries were left for the next refresh.
    private func takeIn(_ parsed: ParsedFeed, of feed: FeedSubscription, allowPrivate: Bool) async throws
        -> (FeedRefreshSummary, leftOver: Bool)
    {
        var summary = FeedRefreshSummary()
        var fresh: [(offset: Int, entry: FeedEntry)] = []
        for (offset, entry) in parsed.entries.enumerated()
        where entry.url != nil || entry.content != nil || entry.summary != nil {
            guard
                try !library.holdsFeedArticle(
                    url: entry.url, entry: EntryArticle.key(of: entry, feed: feed.id))
            else { continue }
            fresh.append((offset, entry))
        }
        fresh.sort {
            ($0.entry.date ?? .distantPast, -$0.offset) > ($1.entry.date ?? .distantPast, -$1.offset)
        }
        let started = Date()
        for (_, entry) in fresh.prefix(Self.maximumNewEntries) {
            var draft: ItemDraft
            var pageProblem: (message: String, retry: Bool)?
            if let whole = EntryArticle.fromFeedText(entry) {
                draft = whole
                summary.fromFeedText += 1
            } else if entry.url != nil, Date().timeIntervalSince(started) > Self.pageBudget {
                pageProblem = ("its page waits for the next refresh (this one spent its time on pages)", true)
                draft = EntryArticle.fromSummary(entry)
            } else if let url = entry.url {
                summary.requests += 1
                do {
                    draft = try await page(url, allowPrivate: allowPrivate)
                    summary.pagesFetched += 1
                } catch {
                    pageProblem = (Self.describe(error), !(error is PageRefusal))
                    draft = EntryArticle.fromSummary(entry)
                }
            } else {
                draft = EntryArticle.fromSummary(entry)
            }
            EntryArticle.credit(&draft, to: entry, of: feed, fallbackTitle: parsed.title)
            let saved: ArticleInput.SavedArticle
            do {
                saved = try await ArticleInput.save(
                    draft: draft, pageURL: entry.url, into: library, images: images)
            } catch {
                summary.problems.append("\(entry.url ?? feed.url): \(Self.describe(error))")
                continue
            }
            guard case .added(let item) = saved.outcome else { continue }
            summary.newArticles += 1
            summary.addedItems.append(item.id)
            if let pageProblem, let url = entry.url {
                summary.keptSummaries += 1
                summary.problems.append("\(url): \(pageProblem.message); its summary is kept")
                if pageProblem.retry {
                    try log.recordPageFailure(
                        item: item.id, feed: feed.id, url: url, error: pageProblem.message)
                }
            }
        }
        return (summary, fresh.count > Self.maximumNewEntries)
    }
}

// MARK: - Pages

/// A page a feed named that Parallax does not fetch: on a private network, named by a feed on
/// the web. Trying again would not change that.
struct PageRefusal: Error, LocalizedError {
    var message: String
    var errorDescription: String? { message }
}

extension FeedRefresh {
    /// The article at `address`, each redirect checked: a feed on the web may not lead to a
    /// private address.
    func page(_ address: String, allowPrivate: Bool) async throws -> ItemDraft {
        var current = address
        var pagePolicy = policy
        pagePolicy.content = .page
        pagePolicy.followsRedirects = false
        let fetcher = PageFetcher(policy: pagePolicy)
        for _ in 0...pagePolicy.maximumRedirects {
            guard let url = URL(string: current), let host = url.host else {
                throw FetchError.unsupportedAddress(current)
            }
            var pinned: String?
            switch await reach(host) {
            case .publicAddress(let checked): pinned = checked
            case .privateNetwork where allowPrivate, .unknown where allowPrivate: pinned = nil
            case .privateNetwork:
                throw PageRefusal(
                    message:
                        "\(current) is on a private network address, named by a feed on the web; not fetched")
            case .unknown:
                throw FetchError.unreachable(url: current, reason: "the host name was not found")
            }
            do {
                let fetched = try await slots.holding(current) { [current, pinned] in
                    try await fetcher.fetch(current, connectingTo: pinned)
                }
                var draft = try WebArticleExtractor.extract(
                    from: fetched.data, url: fetched.url, contentType: fetched.contentType, name: address
                ).draft
                draft.url = address
                return draft
            } catch FetchError.badRedirect(_, let location?) {
                guard let next = URL(string: location, relativeTo: url)?.absoluteURL.absoluteString else {
                    throw FetchError.badRedirect(url: current, location: location)
                }
                current = next
            }
        }
        throw FetchError.tooManyRedirects(url: address, limit: pagePolicy.maximumRedirects)
    }

    /// Tries again the pages earlier refreshes could not fetch, and puts their articles in place
    /// of the summaries kept.
    func retryPages(_ retries: [PageRetry]) async throws -> FeedRefreshSummary {
        var summary = FeedRefreshSummary()
        let started = Date()
        for retry in retries where Date().timeIntervalSince(started) < Self.pageBudget {
            guard let item = try? await library.resolve(retry.item), !item.deleted else {
                try log.forgetPage(item: retry.item)
                continue
            }
            let feed = try? library.subscription(retry.feed)
            summary.requests += 1
            do {
                var draft = try await page(retry.url, allowPrivate: await isPrivate(feed?.url ?? retry.url))
                draft.title = item.title
                draft.url = item.url ?? retry.url
                draft.published = item.published
                draft.byline = item.byline ?? draft.byline
                draft.source = item.source
                draft.feedEntry = FeedEntryOrigin(feed: retry.feed, entry: nil)
                _ = try await library.add(draft, force: true)
                try log.forgetPage(item: retry.item)
                summary.pagesRecovered += 1
            } catch {
                try log.recordPageFailure(
                    item: retry.item, feed: retry.feed, url: retry.url, error: Self.describe(error))
            }
        }
        return summary
    }

    /// Whether an address leads to this machine or its private network.
    func isPrivate(_ address: String) async -> Bool {
        guard let host = URL(string: address)?.host else { return false }
        return await reach(host) == .privateNetwork
    }

    static func describe(_ error: any Error) -> String {
        (error as? LocalizedError)?.errorDescription ?? String(describing: error)
    }
}
