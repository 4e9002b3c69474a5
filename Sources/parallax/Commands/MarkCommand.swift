import ArgumentParser
import ParallaxStore

extension ReadingState: ExpressibleByArgument {}

struct MarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark",
        abstract: "Set an item's reading state: read, unread or reading.",
        discussion: """
            'read' sets the progress to 1 and 'unread' resets it to 0, unless --progress says otherwise.

              parallax mark 01jdx3k9 reading --progress 0.4
            """)

    @Argument(help: ArgumentHelp("The item's id or a unique prefix.", valueName: "id")) var id: String
    @Argument(help: ArgumentHelp("read, unread or reading.", valueName: "state")) var state: ReadingState
    @Option(help: ArgumentHelp("How far it was read, from 0 to 1.", valueName: "fraction")) var progress:
        Double?
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let progress, !(0...1).contains(progress) {
            throw ValidationError("--progress must be between 0 and 1.")
        }
    }

    func run() throws {
        let library = try libraryOptions.open()
        try ItemReport.print(
            try library.mark(id, as: state, progress: progress), library: library, json: output.json
        ) {
            "\($0.readingState.rawValue), \(Int(($0.progress * 100).rounded()))% read"
        }
    }
}

/// The one-line confirmation of a change to an item, or the item as JSON.
enum ItemReport {
    static func print(_ item: Item, library: Library, json: Bool, _ describe: (Item) -> String) throws {
        let shortID = try library.shortIDs(for: [item.id])[item.id] ?? item.id
        if json {
            try Terminal.printJSON(ListedItem(item: item, shortID: shortID))
        } else {
            Terminal.line("\(shortID)  \(Terminal.truncate(item.title, 60)): \(describe(item))")
        }
    }
}
