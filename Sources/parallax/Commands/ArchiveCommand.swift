import ArgumentParser
import ParallaxStore

struct ArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Archive an item (it leaves the default list), or bring it back with --undo.")

    @Argument(help: ArgumentHelp("The item's id or a unique prefix.", valueName: "id")) var id: String
    @Flag(help: "Unarchive instead.") var undo = false
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let library = try libraryOptions.open()
        try ItemReport.print(try library.setArchived(id, !undo), library: library, json: output.json) {
            $0.archived ? "archived" : "not archived"
        }
    }
}
