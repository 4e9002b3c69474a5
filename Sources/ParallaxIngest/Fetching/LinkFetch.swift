import Foundation
import ParallaxStore

/// What fetching saved links did.
public struct LinkFetchSummary: Sendable, Equatable {
    /// Links whose page was fetched and stored as their text.
    public var fetched = 0
    /// Links that had text by the time their turn came (fetched by an earlier run).
    public var alreadyFetched = 0
    /// Links that could not be fetched or held no article, each with its message.
    public var failures: [String] = []
    /// Links handled so far, of ``total``.
    public var done = 0
    /// Links to handle.
    public var total = 0
}

/// Fetches the pages of saved links and stores their articles, a few downloads at a time.
///
/// Each page is saved in its own transaction as it arrives, so an interrupted run loses at most
/// the downloads in flight, and running it again fetches only the links still without text.
/// A link that fails stays saved as a link.
public struct LinkFetch {
    /// Where the links are.
    public let library: Library
    /// How pages are downloaded.
    public let fetcher: PageFetcher
    /// Downloads in flight at once.
    public let concurrency: Int

    /// Prepares a fetch.
    public init(library: Library, fetcher: PageFetcher = PageFetcher(), concurrency: Int = 4) {
        self.library = library
        self.fetcher = fetcher
        self.concurrency = max(1, concurrency)
    }

    /// Fetches the links among `itemIDs` that have no text yet.
    /// - Parameters:
    ///   - itemIDs: Items to fill; items that have text are skipped.
    ///   - progress: Called after each link with the summary so far.
    /// - Throws: Store errors that stop the run (a failed download does not).
    public func run(itemIDs: [String], progress: (LinkFetchSummary) -> Void = { _ in }) async throws
        -> LinkFetchSummary
    {
        var summary = LinkFetchSummary()
        summary.total = itemIDs.count
        var queue = itemIDs.makeIterator()
        let fetcher = self.fetcher
        try await withThrowingTaskGroup(of: (String, Result<WebArticle, any Error>)?.self) { group in
            func startNext() async throws {
                while let id = queue.next() {
                    let item = try await library.resolve(id)
                    guard item.wordCount == 0, !item.deleted, let url = item.url else {
                        summary.alreadyFetched += 1
                        summary.done += 1
                        progress(summary)
                        continue
                    }
                    group.addTask {
                        do {
                            let page = try await fetcher.fetch(url)
                            let article = try WebArticleExtractor.extract(
                                from: page.data, url: page.url, contentType: page.contentType, name: url)
                            return (id, .success(article))
                        } catch {
                            return (id, .failure(error))
                        }
                    }
                    return
                }
            }
            for _ in 0..<concurrency { try await startNext() }
            while let finished = try await group.next() {
                guard let (id, result) = finished else { continue }
                switch result {
                case .success(let article):
                    try await store(article, in: id)
                    summary.fetched += 1
                case .failure(let error):
                    summary.failures.append((error as? LocalizedError)?.errorDescription ?? "\(error)")
                }
                summary.done += 1
                progress(summary)
                try await startNext()
            }
        }
        return summary
    }

    /// Fills a link with its article, keeping its address, reading state and tags.
    private func store(_ article: WebArticle, in id: String) async throws {
        let item = try await library.resolve(id)
        var draft = article.draft
        // The link's own address finds the item, whatever the page redirected to.
        draft.url = item.url
        try await library.add(draft, force: true)
    }
}
