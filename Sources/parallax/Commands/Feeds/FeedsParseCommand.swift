import ArgumentParser
import Foundation
import ParallaxFeeds
import ParallaxIngest

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

            and "feeds": [{"url", "title"}] in place of "entries" for an outline. A document \
            that is truncated or no feed exits with 4; an address that cannot be fetched, 10.
            """)

    @Argument(help: ArgumentHelp("A feed's web address or a file.", valueName: "feed"))
    var feed: String

    @OptionGroup var output: OutputOptions

    func run() async throws {
        if PageFetcher.isWebAddress(feed) { Terminal.progress("fetching \(feed)") }
        let parsed = try await FeedParser.read(feed, fetcher: PageFetcher())
        Terminal.endProgress()
        if output.json { return try Terminal.printJSON(parsed) }
        FeedRendering.print(parsed)
    }
}
