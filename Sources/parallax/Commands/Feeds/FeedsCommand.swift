import ArgumentParser

struct FeedsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "Read outlets' feeds: RSS, RDF, Atom, JSON Feed and OPML outlines.",
        discussion: """
            Feeds bring each outlet's new articles in by themselves, so that the events of a day \
            arrive with every outlet's coverage. 'parallax feeds parse' shows what a feed holds \
            and stores nothing:

              parallax feeds parse https://www.example-news.com/rss.xml
              parallax feeds parse subscriptions.opml --json
            """,
        subcommands: [FeedsParseCommand.self]
    )
}
