import ArgumentParser
import ParallaxStore

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the library's newest changes, newest first.",
        discussion: "Each line is one field of one item changed at a library version, on some device.")

    @Option(help: "How many changes to show.") var limit = 20
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1.") }
    }

    func run() throws {
        let library = try libraryOptions.open(.readOnly)
        let entries = try library.log(limit: limit)
        if output.json { return try Terminal.printJSON(entries) }
        Terminal.line(Rendering.log(entries, shortIDs: try library.shortIDs(for: entries.map(\.itemID))))
    }
}
