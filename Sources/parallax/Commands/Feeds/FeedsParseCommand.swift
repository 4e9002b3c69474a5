import ArgumentParser
import Foundation
import ParallaxFeeds
import ParallaxIngest
import ParallaxStore

struct FeedsParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Show what a feed holds, and store nothing.",
        discussion: """
            Reads a feed from a web address or a file (RSS 0.91–2.0, RSS 1.0, Atom 1.0 and 0.3, \
            JSON Feed 1.0 and 1.1) and prints its title, home page and entries: id, address, \
            title, date (UTC) and author. An OPML outline prints the feeds it lists. With --json:

              {"kind": "rss"|"rdf"|"atom"|"json"|"opml", "title", "home",
               "entries": [{"id", "url", "title", "published", "author"}]}

            and "feeds": [{"url", "title"}] in place of "entries" for an outline. A web page \
            given instead of a feed exits with 4 and names the feeds it declares; a document \
            that is truncated or no feed exits with 4; an address that cannot be fetched, 10.

              parallax feeds parse https://www.example-news.com/rss.xml
              parallax feeds parse saved-feed.xml --url https://www.example-news.com/rss.xml --json
              parallax feeds parse subscriptions.opml
            """)

    @Argument(help: ArgumentHelp("A feed's web address or a file.", valueName: "feed"))
    var feed: String

    @Option(help: "The address a feed file came from, for its relative links.") var url: String?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let url, CanonicalURL.normalize(url) == nil {
            throw ValidationError("--url must be an http or https address.")
        }
    }

    func run() async throws {
        if PageFetcher.isWebAddress(feed) { Terminal.progress("fetching \(feed)") }
        let parsed = try await FeedParser.read(feed, address: url, fetcher: PageFetcher())
        Terminal.endProgress()
        if output.json { return try Terminal.printJSON(parsed) }
        FeedRendering.print(parsed)
    }
}
