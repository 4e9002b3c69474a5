import ArgumentParser
import Foundation
import ParallaxFeeds
import ParallaxIngest
import ParallaxStore

struct FeedsAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Follow an outlet's feed, a site that declares one, or an OPML outline.",
        discussion: """
            A feed's address is read once, to check that it is a feed and learn its title; its \
            articles come in with 'parallax feeds refresh' (and 'parallax serve'). A site's page \
            is followed by the feed it declares (<link rel="alternate">); when it declares \
            several they are listed, and --pick N chooses. An OPML outline exported from \
            NetNewsWire, Feedly, Inoreader or Miniflux follows every feed it lists. Followed \
            feeds sync to your other devices like tags.

              parallax feeds add https://www.example-news.com/
              parallax feeds add https://www.example-news.com/rss.xml --source "Example News" --tag world
              parallax feeds add subscriptions.opml
            """)

    @Argument(help: ArgumentHelp("A feed's or site's web address, or an OPML file.", valueName: "feed"))
    var feed: String

    @Option(help: "The outlet its articles are credited to (default: the feed's title).") var source: String?
    @Option(name: .customLong("tag"), help: "A tag its articles get (repeat for more).") var tags: [String] =
        []
    @Option(help: "Which of a page's feeds to follow, from 1.") var pick: Int?
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let pick, pick < 1 { throw ValidationError("--pick counts from 1.") }
        for tag in tags where (try? Tag.normalize(tag)) == nil {
            throw ValidationError("--tag \"\(tag)\" is not a tag: give a short name.")
        }
    }

    func run() async throws {
        let library = try libraryOptions.open()
        if PageFetcher.isWebAddress(feed) { Terminal.progress("reading \(feed)") }
        defer { Terminal.endProgress() }
        let report: FollowReport
        do {
            report = try await FeedFollowing.follow(
                feed, in: library, source: source, tags: tags, pick: pick, fetcher: PageFetcher())
        } catch FeedError.webPage(let path, let declared) where declared.count > 1 {
            Terminal.endProgress()
            for (index, declared) in declared.enumerated() {
                Terminal.printWarning(
                    "\(index + 1). \(declared.url)\(declared.title.map { " (\($0))" } ?? "")")
            }
            throw Failure(
                message: "\(path) declares \(declared.count) feeds (above); choose one with --pick N",
                code: Failure.invalidInput)
        }
        Terminal.endProgress()
        if output.json { return try Terminal.printJSON(report) }
        for feed in report.followed { Terminal.line("Following " + FeedRendering.line(feed)) }
        for feed in report.alreadyFollowed { Terminal.line("Already following " + FeedRendering.line(feed)) }
        for problem in report.refused { Terminal.printWarning(problem) }
        if !report.followed.isEmpty {
            Terminal.line("Its articles come in with 'parallax feeds refresh'.")
        }
    }
}
