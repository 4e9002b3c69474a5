import Foundation
import ParallaxMarkup
import ParallaxStore

/// Fills in the HTML and images of articles saved before Parallax kept them, or whose images
/// failed: `parallax fetch-images`.
///
/// Each article is one change of its own, so an interrupted run keeps what it did, and a second
/// run fetches only what is still missing (an image already kept is never fetched again).
public struct ImageBackfill: Sendable {
    /// What a run did.
    public struct Summary: Sendable, Hashable, Codable {
        /// Articles looked at, and those that gained HTML or images.
        public var articles = 0
        /// Articles that gained HTML or images.
        public var filled = 0
        /// Images kept, and their bytes.
        public var images = 0
        /// The bytes of the images kept.
        public var bytes = 0
        /// One line for each page or image that failed, led by the item's id.
        public var problems: [String] = []

        /// An empty summary.
        public init() {}
    }

    let library: Library
    let pages: PageFetcher
    let images: ImageFetcher

    /// A backfill of `library`.
    public init(library: Library, pages: PageFetcher = PageFetcher(), images: ImageFetcher = ImageFetcher()) {
        self.library = library
        self.pages = pages
        self.images = images
    }

    /// Fills in the items, in order.
    /// - Parameters:
    ///   - ids: Item ids or unique prefixes; ``Library/itemsForImages()`` for all of them.
    ///   - progress: Told how many are done, of how many, before each item.
    public func run(_ ids: [String], progress: (Int, Int) -> Void = { _, _ in }) async -> Summary {
        var summary = Summary()
        for (index, id) in ids.enumerated() {
            progress(index, ids.count)
            summary.articles += 1
            do {
                let item = try await library.resolve(id)
                let short = item.id
                let (gained, report) = try await fill(item)
                summary.problems += report.problems.map { "\(short): \($0)" }
                summary.images += report.kept
                summary.bytes += report.bytes
                if gained { summary.filled += 1 }
            } catch {
                summary.problems.append("\(id): \(error.localizedDescription)")
            }
        }
        progress(ids.count, ids.count)
        return summary
    }

    /// One item: its page fetched again when it has no HTML, then the images it lacks.
    private func fill(_ item: Item) async throws -> (gained: Bool, ImageFetchReport) {
        var html = try library.articleHTML(ofItem: item.id)
        var newHTML: String?
        if html == nil, let url = item.url {
            let page = try await pages.fetch(url)
            let article = try WebArticleExtractor.extract(
                from: page.data, url: page.url, contentType: page.contentType, name: url)
            guard let extracted = article.html else {
                throw IngestError.noArticle(name: url)
            }
            (html, newHTML) = (extracted, extracted)
        }
        guard let html else { return (false, ImageFetchReport()) }
        let kept = Set(try library.articleImages(ofItem: item.id).keys)
        var draft = ItemDraft(title: item.title, text: "")
        draft.html = html
        let report = await images.fetchImages(for: &draft, pageURL: item.url, skipping: kept)
        guard newHTML != nil || !draft.images.isEmpty else { return (false, report) }
        try library.keepMedia(of: item.id, html: newHTML, images: draft.images)
        return (true, report)
    }
}
