import ArgumentParser
import ParallaxStore

struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Remove items from the library (they can be restored).",
        discussion: """
            Removal leaves a tombstone: the item leaves lists and search, its history stays, and \
            'parallax restore ID' brings it back. The removal syncs to your other machines.
            """)

    @Argument(help: ArgumentHelp("Item ids or unique prefixes.", valueName: "id")) var ids: [String]
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if ids.isEmpty { throw ValidationError("Name at least one item.") }
    }

    func run() throws {
        let library = try libraryOptions.open()
        // Resolve every id first, so one typo removes nothing.
        let items = try ids.map { try library.resolve($0) }
        let removed = try items.map { try library.delete($0.id) }
        let shortIDs = try library.shortIDs(for: removed.map(\.id))
        if output.json {
            return try Terminal.printJSON(
                removed.map { ListedItem(item: $0, shortID: shortIDs[$0.id] ?? $0.id) })
        }
        for item in removed {
            let shortID = shortIDs[item.id] ?? item.id
            Terminal.line(
                "\(shortID)  \(Terminal.truncate(item.title, 60)): removed (restore with 'parallax restore \(shortID)')"
            )
        }
    }
}
