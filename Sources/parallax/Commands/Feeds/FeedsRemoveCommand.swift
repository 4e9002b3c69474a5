import ArgumentParser
import ParallaxStore

struct FeedsRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Stop following a feed; the articles it brought in stay.",
        discussion: """
            Name the feed by its short id, address or outlet, as 'parallax feeds list' shows \
            them. Your other devices stop following it when they sync; 'parallax feeds add' \
            follows it again.
            """)

    @Argument(help: ArgumentHelp("The feed: its id, address or outlet.", valueName: "feed"))
    var feed: String
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let library = try libraryOptions.open()
        let removed = try library.unfollow(feed)
        if output.json { return try Terminal.printJSON(removed) }
        Terminal.line("No longer following " + FeedRendering.line(removed))
    }
}
