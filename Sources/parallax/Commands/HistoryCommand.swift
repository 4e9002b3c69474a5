import ArgumentParser
import ParallaxStore

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show every kept version of an item: what changed, when and on which device.",
        discussion: """
            Versions are library versions; 'parallax restore ID --to VERSION' brings the item back \
            to how it was at one of them. The newest \(256) changes of each item are kept.
            """)

    @Argument(help: ArgumentHelp("The item's id or a unique prefix.", valueName: "id")) var id: String
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let library = try libraryOptions.open(.readOnly)
        let (item, entries) = try library.history(of: id)
        if output.json { return try Terminal.printJSON(entries) }
        let shortID = try library.shortIDs(for: [item.id])[item.id] ?? item.id
        Terminal.line(Rendering.history(item, entries, shortID: shortID))
    }
}
