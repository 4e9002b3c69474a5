import ArgumentParser
import Foundation
import ParallaxIngest
import ParallaxStore

struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Show the article Parallax would save from a web page, and store nothing.",
        discussion: """
            Fetches a web address, or reads a saved page, and prints what 'parallax add' would \
            store: title, byline, publication date, outlet, language, canonical address and the \
            body text. Use it to check a site before saving from it, or --json to feed the \
            extraction to another tool (fields in docs/cli.md).

              parallax extract https://example.com/news/2024/strike
              parallax extract saved-page.html --url https://example.com/news/1 --json

            Exit codes as for 'add': 10 when the page cannot be fetched, 4 when it holds no article.
            """)

    @Argument(help: ArgumentHelp("A web address, a saved page, or - for standard input.", valueName: "page"))
    var page: String

    @Option(help: "The address a saved page came from, for its links and outlet.") var url: String?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let url, CanonicalURL.normalize(url) == nil {
            throw ValidationError("--url must be an http or https address.")
        }
    }

    func run() async throws {
        if PageFetcher.isWebAddress(page) { Terminal.progress("fetching \(page)") }
        let article = try await ArticleInput.webArticle(from: page, pageURL: url, fetcher: PageFetcher())
        Terminal.endProgress()
        if output.json {
            try Terminal.printJSON(ExtractResult(article: article))
            return
        }
        let fields: [(String, String?)] = [
            ("Title", article.title), ("Byline", article.byline), ("Published", article.published),
            ("Site", article.site), ("Language", article.language), ("URL", article.url),
            ("Canonical", article.canonicalURL), ("Words", String(article.wordCount)),
            ("Images", article.images.isEmpty ? nil : String(article.images.count)),
        ]
        for (label, value) in fields {
            guard let value else { continue }
            Terminal.line(
                Terminal.bold(label + ":") + String(repeating: " ", count: 11 - label.count) + value)
        }
        Terminal.line("")
        Terminal.line(article.text)
    }
}

/// The JSON `extract --json` prints: the article and its word count.
struct ExtractResult: Encodable {
    let article: WebArticle

    enum CodingKeys: String, CodingKey { case wordCount = "word_count" }

    func encode(to encoder: any Encoder) throws {
        try article.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(article.wordCount, forKey: .wordCount)
    }
}
