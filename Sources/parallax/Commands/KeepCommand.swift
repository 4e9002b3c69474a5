import ArgumentParser
import ParallaxStore

struct KeepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keep",
        abstract: "Save articles that feeds brought in to your list.",
        discussion: """
            Feeds bring articles into the library for events and reports, off your list; \
            'parallax list --feeds' shows them. Keeping one puts it on your list on every \
            device, as saving its address with 'parallax add' would.

              parallax keep 01m8jgxc
            """)

    @Argument(help: ArgumentHelp("Articles to keep, by id or its start.", valueName: "item"))
    var items: [String]
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let library = try libraryOptions.open()
        var kept: [Item] = []
        for reference in items {
            let (item, moved) = try library.saveToList(reference)
            kept.append(item)
            guard !output.json else { continue }
            let shortID = try library.shortIDs(for: [item.id])[item.id] ?? item.id
            Terminal.line(
                (moved ? "Kept " : "Already on your list: ") + Rendering.itemLine(item, shortID: shortID))
        }
        if output.json {
            let shortIDs = try library.shortIDs(for: kept.map(\.id))
            try Terminal.printJSON(kept.map { ListedItem(item: $0, shortID: shortIDs[$0.id] ?? $0.id) })
        }
    }
}
