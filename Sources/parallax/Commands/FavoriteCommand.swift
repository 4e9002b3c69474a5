import ArgumentParser
import ParallaxStore

struct FavoriteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "favorite",
        abstract: "Mark an item a favorite, or not with --undo.")

    @Argument(help: ArgumentHelp("The item's id or a unique prefix.", valueName: "id")) var id: String
    @Flag(help: "Remove the mark instead.") var undo = false
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let library = try libraryOptions.open()
        try ItemReport.print(try library.setFavorite(id, !undo), library: library, json: output.json) {
            $0.favorite ? "favorite" : "not a favorite"
        }
    }
}
