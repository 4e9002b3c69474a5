import ArgumentParser
import ParallaxStore

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Bring a removed item back, or return an item to an earlier version.",
        discussion: """
            Without --to, undoes 'parallax rm'. With --to VERSION (see 'parallax history ID'), the \
            item's fields, tags and highlights take the values they had at that version. Either way \
            the restore is a new change, so it syncs and can itself be undone.
            """)

    @Argument(help: ArgumentHelp("The item's id or a unique prefix.", valueName: "id")) var id: String
    @Option(help: ArgumentHelp("The version to return to.", valueName: "version")) var to: Int?
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let to, to < 1 { throw ValidationError("--to must be a version number from 'parallax history'.") }
    }

    func run() throws {
        let library = try libraryOptions.open()
        try ItemReport.print(try library.restore(id, to: to), library: library, json: output.json) { _ in
            to.map { "restored to version \($0)" } ?? "restored"
        }
    }
}
