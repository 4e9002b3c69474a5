import ArgumentParser
import ParallaxStore

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Set, print or clear the note on an item.",
        discussion: "With text, replaces the note; with no text, prints it; --clear removes it.")

    @Argument(help: ArgumentHelp("The item's id or a unique prefix.", valueName: "id")) var id: String
    @Argument(help: "The note's text.") var text: String?
    @Flag(help: "Remove the note.") var clear = false
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if clear && text != nil { throw ValidationError("Give a note or --clear, not both.") }
        if let text, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("The note is empty; use --clear to remove a note.")
        }
    }

    func run() throws {
        let library = try libraryOptions.open()
        let item =
            text == nil && !clear ? try library.resolve(id) : try library.setNote(id, clear ? nil : text)
        try ItemReport.print(item, library: library, json: output.json) { item in
            item.note.map { "note: \($0)" } ?? "no note"
        }
    }
}
