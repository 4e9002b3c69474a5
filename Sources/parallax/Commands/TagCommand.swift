import ArgumentParser
import ParallaxStore

struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Add and remove an item's tags; with no changes, print them.",
        discussion: """
            +name or name adds a tag, -name removes one, all in one change:

              parallax tag 01jdx3k9 +venezuela -later
            """)

    @Argument(help: ArgumentHelp("The item's id or a unique prefix.", valueName: "id")) var id: String
    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("Tags to add (+name or name) and remove (-name).", valueName: "change"))
    var changes: [String] = []
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        for change in changes where change == "+" || change == "-" || change.hasPrefix("--") {
            throw ValidationError("'\(change)' is not a tag change; write +name or -name.")
        }
    }

    func run() throws {
        let library = try libraryOptions.open()
        let adding = changes.filter { !$0.hasPrefix("-") }.map {
            $0.hasPrefix("+") ? String($0.dropFirst()) : $0
        }
        let removing = changes.filter { $0.hasPrefix("-") }.map { String($0.dropFirst()) }
        let item =
            changes.isEmpty
            ? try library.resolve(id) : try library.updateTags(id, adding: adding, removing: removing)
        try ItemReport.print(item, library: library, json: output.json) {
            $0.tags.isEmpty ? "no tags" : $0.tags.map { "#" + $0 }.joined(separator: " ")
        }
    }
}
