import ArgumentParser
import Foundation
import ParallaxIngest
import ParallaxStore

struct AddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Save an article from a web address, a saved web page, a text file, or standard input.",
        discussion: """
            A web address is fetched and its article extracted: headline, author, date, outlet, \
            language and the body with its paragraphs, without menus, share bars, comments or \
            related links. A saved page (.html) is read the same way; --url names where it came \
            from. A text or Markdown file keeps its words; page chrome a scraper left around the \
            article is dropped.

            An article whose URL or text is already saved is not stored again (a saved URL is not \
            even fetched): Parallax names the item it already has. --force stores the new text as \
            a new version of that item; text already saved under another address is then saved as \
            an item of its own address. Options given here replace what the page says.

            A web page is also kept as sanitized HTML with its images, so figures, photos and \
            tables can be read offline ('parallax open'). Images are fetched from the addresses \
            the page names, at most 100 an article, 8 MiB each and 32 MiB in all; an image that \
            fails (an error, not an image, too large, an address on your own network named by a \
            page from the web) is named in one line and keeps its address, and the article is \
            saved anyway. --no-images keeps the HTML without fetching them.

              parallax add https://example.com/news/2024/strike --tag labour
              parallax add saved-page.html --url https://example.com/news/2024/strike
              parallax add article.txt --source "Al-Ahed News" --published 2019-02-14
              cat article.md | parallax add - --source Reuters --tag venezuela

            A page that cannot be fetched exits with 10 (server error, timeout, unknown host, not \
            a web page, larger than 16 MiB); a page without an article exits with 4.
            """)

    @Argument(
        help: ArgumentHelp(
            "A web address, a saved page or text file, or - for standard input.", valueName: "source"))
    var file: String

    @Option(help: "The headline, instead of the one found in the text.") var title: String?
    @Option(help: "The address the article or saved page came from.") var url: String?
    @Option(help: "The outlet that published it.") var source: String?
    @Option(help: "The author line.") var byline: String?
    @Option(help: ArgumentHelp("The publication date (ISO 8601).", valueName: "date")) var published: String?
    @Option(help: ArgumentHelp("The language code, instead of the guessed one.", valueName: "code"))
    var language: String?
    @Option(name: .customLong("tag"), help: ArgumentHelp("A tag to attach (repeatable).", valueName: "tag"))
    var tags: [String] = []
    @Flag(help: "Store a new version of an item already saved with the same URL or text.") var force = false
    @Flag(help: "Keep the article's text and HTML without fetching its images.") var noImages = false
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let title, title.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--title is empty.")
        }
        if let url, CanonicalURL.normalize(url) == nil {
            throw ValidationError("--url must be an http or https address.")
        }
        if PageFetcher.isWebAddress(file) && url != nil {
            throw ValidationError("--url is for saved pages and files; a web address names itself.")
        }
        if let published, (try? Timestamp.normalizedDate(published, field: "published")) == nil {
            throw ValidationError("--published must be an ISO 8601 date such as 2019-02-14.")
        }
    }

    func run() async throws {
        let library = try libraryOptions.open()
        if PageFetcher.isWebAddress(file) { Terminal.progress("fetching \(file)") }
        defer { Terminal.endProgress() }
        let saved = try await ArticleInput.save(
            file, pageURL: url, into: library, fetcher: PageFetcher(),
            images: try library.imageFetcher(fetchingImages: !noImages),
            force: force
        ) { draft in
            if let title { draft.title = title }
            draft.source = source ?? draft.source
            draft.byline = byline ?? draft.byline
            draft.published = published ?? draft.published
            draft.language = language ?? draft.language
            draft.tags = tags
        }
        Terminal.endProgress()
        try report(saved, library: library)
    }

    private func report(_ saved: ArticleInput.SavedArticle, library: Library) throws {
        let outcome = saved.outcome
        let shortID = try library.shortIDs(for: [outcome.item.id])[outcome.item.id] ?? outcome.item.id
        if output.json {
            let status: String
            switch outcome {
            case .added: status = "added"
            case .duplicate: status = "duplicate"
            case .updated: status = "updated"
            }
            try Terminal.printJSON(
                AddResult(status: status, shortID: shortID, item: outcome.item, images: saved.images))
            return
        }
        defer {
            if let images = saved.images, !Self.isDuplicate(outcome) { Self.report(images) }
        }
        switch outcome {
        case .added(let item):
            Terminal.line("Saved " + Rendering.itemLine(item, shortID: shortID))
            if item.wordCount == 0, let note = item.note { Terminal.line(note) }
        case .updated(let item): Terminal.line("Updated " + Rendering.itemLine(item, shortID: shortID))
        case .duplicate(let item, let reason):
            Terminal.line(
                "Already saved (same \(reason == .url ? "URL" : reason == .entry ? "feed entry" : "text")): "
                    + Rendering.itemLine(item, shortID: shortID))
            Terminal.line("Nothing changed; use --force to store this as a new version.")
        }
    }
}

extension AddCommand {
    static func isDuplicate(_ outcome: AddOutcome) -> Bool {
        if case .duplicate = outcome { return true }
        return false
    }

    /// The images' line, and one line for each image not kept.
    static func report(_ images: ImageFetchReport) {
        guard images.kept > 0 || !images.problems.isEmpty else { return }
        let size = ByteCountFormatter.string(fromByteCount: Int64(images.bytes), countStyle: .file)
        Terminal.line(
            "Images: \(images.kept) kept offline (\(size))"
                + (images.problems.isEmpty
                    ? "" : "; \(images.problems.count) not kept, linked to their address:"))
        for problem in images.problems { Terminal.line("  " + problem) }
    }
}

/// The JSON `add --json` prints.
struct AddResult: Encodable {
    let status: String
    let shortID: String
    let item: Item
    let images: ImageFetchReport?

    enum CodingKeys: String, CodingKey { case status, item, images, shortID = "short_id" }
}
