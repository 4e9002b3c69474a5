import ArgumentParser
import ParallaxFraming
import ParallaxStore

struct EventsMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Make two events one (the first keeps its id).")

    @Argument(help: ArgumentHelp("An event, by its id or any of its articles' ids.", valueName: "event"))
    var first: String
    @Argument(help: ArgumentHelp("The event to merge into it.", valueName: "other")) var second: String
    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let event = try LibraryEvents(library: libraryOptions.open()).merge(first, second)
        Terminal.line("Event \(event.id.prefix(10)) now holds \(event.items.count) articles.")
    }
}

struct EventsSplitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split", abstract: "Break an event up: each of its articles becomes an event of its own."
    )

    @Argument(help: ArgumentHelp("The event, by its id or any of its articles' ids.", valueName: "event"))
    var event: String
    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let events = try LibraryEvents(library: libraryOptions.open()).split(event)
        Terminal.line("Split into \(events.count) events.")
    }
}

struct EventsAssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign", abstract: "Move an article into an event.")

    @Argument(help: ArgumentHelp("The article's id or a unique prefix.", valueName: "id")) var item: String
    @Option(help: ArgumentHelp("The event, by its id or any of its articles' ids.", valueName: "event"))
    var to: String
    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let event = try LibraryEvents(library: libraryOptions.open()).assign(item, to: to)
        Terminal.line("Event \(event.id.prefix(10)) now holds \(event.items.count) articles.")
    }
}
