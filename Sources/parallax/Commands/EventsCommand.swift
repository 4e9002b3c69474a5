import ArgumentParser
import Foundation
import ParallaxFraming
import ParallaxStore

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Group saved articles that cover the same event, across outlets, and correct the groups.",
        subcommands: [
            EventsListCommand.self, EventsMergeCommand.self, EventsSplitCommand.self,
            EventsAssignCommand.self,
        ],
        defaultSubcommand: EventsListCommand.self)
}

struct EventsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the events: articles from several outlets that cover the same story.",
        discussion: """
            Articles are compared by the words of their titles and text (TF-IDF cosine, candidate \
            pairs from an inverted index) and their publication dates: each is linked to its closest \
            match from another outlet when the two choose each other, or when the match is strong. \
            An event is named by its earliest item's id. Events of a single article are listed \
            only with --all. Correct the grouping with 'events merge', 'split' and 'assign'; the \
            corrections are changes like any other, so they sync to your other machines.
            """)

    @Option(
        help: ArgumentHelp("Only articles published (or saved) on or after this date.", valueName: "date"))
    var since: String?
    @Flag(help: "Also list articles that no other outlet covered.") var all = false
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let since, (try? Timestamp.normalizedDate(since, field: "since")) == nil {
            throw ValidationError("--since must be an ISO 8601 date such as 2019-02-01.")
        }
    }

    func run() throws {
        let library = try libraryOptions.openForReading()
        let events = try LibraryEvents.showingProgress(library).events(since: since)
        Terminal.endProgress()
        let shown = all ? events : events.filter { $0.items.count > 1 }
        let shortIDs = try library.shortIDs(for: shown.flatMap { $0.items.map(\.id) })
        if output.json {
            return try Terminal.printJSON(
                shown.map { event in
                    EventJSON(
                        id: event.id, shortID: shortIDs[event.id] ?? event.id,
                        items: event.items.map { ListedItem(item: $0, shortID: shortIDs[$0.id] ?? $0.id) })
                })
        }
        guard !shown.isEmpty else {
            return Terminal.line(
                "No event has articles from more than one outlet yet; add coverage of the same story from another source."
            )
        }
        for event in shown {
            let sources = Set(event.items.compactMap(\.source)).sorted()
            Terminal.line(
                Terminal.bold("Event \(shortIDs[event.id] ?? event.id)")
                    + "  \(event.items.count) articles from \(sources.joined(separator: ", "))")
            for item in event.items {
                Terminal.line(
                    "  \(shortIDs[item.id] ?? item.id)  \(Terminal.truncate(item.title, 60))  "
                        + Terminal.dim(
                            [item.source, item.published].compactMap { $0 }.joined(separator: " · ")))
            }
        }
    }
}

/// An event as `events --json` prints it.
struct EventJSON: Encodable {
    let id: String
    let shortID: String
    let items: [ListedItem]

    enum CodingKeys: String, CodingKey {
        case id, items
        case shortID = "short_id"
    }
}
