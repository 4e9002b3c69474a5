import ArgumentParser
import ParallaxStore
import ParallaxSync

struct SyncUndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Revert the last import that changed anything.",
        discussion: """
            Every field the import changed takes its earlier value again and items it created are \
            removed, as one new change, so the undo syncs to other machines too. When a field the \
            import changed has been edited since, or part of the import's history was pruned, the \
            undo is refused (exit 4) with what would be lost, and nothing changes.
            """)

    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        guard let receipt = try LibrarySync(library: libraryOptions.open()).undoLastImport() else {
            return Terminal.line("No import to undo.")
        }
        Terminal.line(
            "Reverted bundle \(receipt.bundle) from device \(receipt.device.prefix(10)) (\(receipt.applied) changes)."
        )
    }
}
