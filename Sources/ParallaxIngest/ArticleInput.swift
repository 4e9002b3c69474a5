import Foundation
import ParallaxStore

/// Reads the article a command-line argument names: a web address, a saved HTML page, or a
/// text or Markdown file (`-` for standard input).
public enum ArticleInput {
    /// Whether file contents are an HTML page: by the file's extension, or by a first tag.
    public static func isHTML(path: String, data: Data) -> Bool {
        let lower = path.lowercased()
        if [".html", ".htm", ".xhtml", ".shtml"].contains(where: lower.hasSuffix) { return true }
        let head = String(decoding: data.prefix(1024), as: UTF8.self).lowercased()
            .trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}")))
        return head.hasPrefix("<!doctype html") || head.hasPrefix("<html")
            || head.hasPrefix("<?xml")
                && head.contains("<html")
    }

    /// Extracts the article of a web address or a saved page, storing nothing.
    /// - Parameters:
    ///   - argument: A web address, a file path, or `-`.
    ///   - pageURL: The address a saved page came from, for its links and outlet.
    ///   - fetcher: How web addresses are downloaded.
    /// - Throws: ``FetchError`` when a download fails; ``IngestError`` for unreadable files,
    ///   text that is not HTML, or a page without an article.
    public static func webArticle(from argument: String, pageURL: String? = nil, fetcher: PageFetcher)
        async throws -> WebArticle
    {
        if PageFetcher.isWebAddress(argument) {
            let page = try await fetcher.fetch(argument)
            return try WebArticleExtractor.extract(
                from: page.data, url: page.url, contentType: page.contentType, name: argument)
        }
        let data = try TextInput.readData(path: argument)
        let name = argument == "-" ? "standard input" : argument
        return try WebArticleExtractor.extract(
            from: data, url: pageURL.flatMap(URL.init(string:)), name: name)
    }

    /// A draft of the article at a web address, in a saved page, or in a text file.
    /// - Throws: As ``webArticle(from:pageURL:fetcher:)``, and ``IngestError`` for text files
    ///   that are binary, not UTF-8 or empty.
    public static func draft(from argument: String, pageURL: String? = nil, fetcher: PageFetcher) async throws
        -> ItemDraft
    {
        if PageFetcher.isWebAddress(argument) {
            return try await webArticle(from: argument, fetcher: fetcher).draft
        }
        let data = try TextInput.readData(path: argument)
        let name = argument == "-" ? "standard input" : argument
        if isHTML(path: argument, data: data) {
            var draft = try WebArticleExtractor.extract(
                from: data, url: pageURL.flatMap(URL.init(string:)), name: name
            ).draft
            draft.url = pageURL ?? draft.url
            return draft
        }
        var draft = ItemDraft(parsingText: try TextInput.decode(data, name: name))
        draft.url = pageURL
        return draft
    }

    /// What saving an article did: the store's outcome, and what became of its images.
    public struct SavedArticle: Sendable {
        /// Added, updated, or a duplicate left alone.
        public var outcome: AddOutcome
        /// The images fetched for it; nil when none were asked for.
        public var images: ImageFetchReport?
    }

    /// Saves the article an argument names, as `parallax add` does.
    ///
    /// A web address the library has with text is not fetched again (unless `force`); one it has
    /// as a link without text is fetched and filled in, keeping the link's tags and state.
    /// - Parameters:
    ///   - argument: A web address, a file path, or `-`.
    ///   - pageURL: The address a saved page or file came from.
    ///   - library: Where to save.
    ///   - fetcher: How web addresses are downloaded.
    ///   - images: How the article's images are fetched; nil keeps none.
    ///   - force: Store the article as a new version of an item it duplicates.
    ///   - adjust: Changes the reader asked for (title, tags...), applied before saving.
    /// - Throws: As ``draft(from:pageURL:fetcher:)``, and store errors. An image never fails the save.
    public static func save(
        _ argument: String, pageURL: String? = nil, into library: Library, fetcher: PageFetcher,
        images: ImageFetcher? = nil, force: Bool = false, adjust: (inout ItemDraft) -> Void = { _ in }
    ) async throws -> SavedArticle {
        var fillsLink = false
        if PageFetcher.isWebAddress(argument), let saved = try library.item(withURL: argument) {
            // A feed's article saved by its address goes on the reader's list, unfetched again.
            if !saved.listed && !force && saved.wordCount > 0 {
                return SavedArticle(outcome: .added(try library.saveToList(saved.id).item), images: nil)
            }
            guard saved.wordCount == 0 || force else {
                return SavedArticle(outcome: .duplicate(saved, reason: .url))
            }
            fillsLink = saved.wordCount == 0
        }
        var draft: ItemDraft
        do {
            draft = try await self.draft(from: argument, pageURL: pageURL, fetcher: fetcher)
        } catch FetchError.notHTML(_, let contentType) where contentType.contains("pdf") && !fillsLink {
            // A paper or report: kept as a link the reader can open, rather than lost.
            let name = URL(string: argument)?.lastPathComponent ?? ""
            draft = ItemDraft(title: name.isEmpty || name == "/" ? argument : name, text: "")
            draft.note = "A PDF document; Parallax keeps it as a link without its text."
        }
        if fillsLink || draft.text.isEmpty { draft.url = argument }
        adjust(&draft)
        // A saved page's origin is the address given for it; without one it counts as from the web.
        let page = PageFetcher.isWebAddress(argument) ? argument : pageURL
        return try await store(draft, pageURL: page, into: library, images: images, force: force || fillsLink)
    }

    /// Saves a page a browser sent with its HTML (one behind a login, which Parallax cannot
    /// fetch itself), as `parallax add saved-page.html --url URL` does.
    /// - Parameters:
    ///   - html: The page's bytes.
    ///   - url: The address the browser showed it at.
    /// - Throws: ``IngestError`` for a page without an article, and store errors.
    public static func savePage(
        html: Data, url: String, into library: Library, images: ImageFetcher? = nil,
        adjust: (inout ItemDraft) -> Void = { _ in }
    ) async throws -> SavedArticle {
        var draft = try WebArticleExtractor.extract(from: html, url: URL(string: url), name: url).draft
        draft.url = url
        adjust(&draft)
        return try await store(draft, pageURL: url, into: library, images: images, force: false)
    }

    /// Saves a draft made elsewhere (a feed's entry) as `add` saves a page: its images are
    /// fetched by the same policy, only once the library has taken it.
    public static func save(
        draft: ItemDraft, pageURL: String?, into library: Library, images: ImageFetcher?
    ) async throws -> SavedArticle {
        try await store(draft, pageURL: pageURL, into: library, images: images, force: false)
    }

    /// Saves the article with its images, fetched only once the library has taken it: a page
    /// saved already costs no downloads.
    private static func store(
        _ draft: ItemDraft, pageURL: String?, into library: Library, images: ImageFetcher?, force: Bool
    ) async throws -> SavedArticle {
        guard let images, draft.html != nil else {
            return SavedArticle(outcome: try await library.add(draft, force: force), images: nil)
        }
        if force {
            // A forced save is never turned away, so the article and its images are one change
            // whose images replace the last version's.
            var draft = draft
            let report = await images.fetchImages(for: &draft, pageURL: pageURL)
            return SavedArticle(outcome: try await library.add(draft, force: true), images: report)
        }
        let outcome = try await library.add(draft)
        guard case .added(let item) = outcome else { return SavedArticle(outcome: outcome, images: nil) }
        // A second change, as `fetch-images` makes: images that cannot be kept leave the saved
        // article as it is, with their addresses in its HTML.
        var fetched = draft
        var report = await images.fetchImages(for: &fetched, pageURL: pageURL)
        if !fetched.images.isEmpty {
            let found = fetched.images
            do {
                try await offThePool { _ = try library.keepMedia(of: item.id, images: found) }
            } catch {
                report.problems.append("the images could not be kept: \(error.localizedDescription)")
                (report.kept, report.bytes) = (0, 0)
            }
        }
        return SavedArticle(outcome: outcome, images: report)
    }

    /// Runs a blocking library call on a dispatch queue, since SQLite may wait for a lock.
    private static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T
    {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
