import ArgumentParser

struct FeedsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "Follow outlets' feeds, so each day's coverage comes in by itself.",
        discussion: """
            Feeds bring each outlet's new articles in by themselves (RSS, RDF, Atom and JSON Feed; \
            OPML outlines to import and export), so that the events of a day arrive with every \
            outlet's coverage and their framing reports. Articles from feeds stay off your list \
            ('parallax list --feeds'); 'parallax keep' saves one. The feeds you follow sync to \
            your other devices.

              parallax feeds add https://www.example-news.com/
              parallax feeds refresh
              parallax feeds list
              parallax feeds parse https://www.example-news.com/rss.xml
            """,
        subcommands: [
            FeedsAddCommand.self, FeedsListCommand.self, FeedsRefreshCommand.self, FeedsRemoveCommand.self,
            FeedsExportCommand.self, FeedsParseCommand.self,
        ]
    )
}
