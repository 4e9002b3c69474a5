import ArgumentParser
import ParallaxStore

struct HighlightCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "highlight",
        abstract: "Highlight a passage of an item, list its highlights, or remove one.",
        discussion: """
            The passage must occur in the item's text (case and line breaks do not matter).

              parallax highlight 01jdx3k9 "self-proclaimed interim president" --note x
              parallax highlight 01jdx3k9                   # list
              parallax highlight 01jdx3k9 --remove 01jdx4a0 # remove by highlight id
            """)

    @Argument(help: ArgumentHelp("The item's id or a unique prefix.", valueName: "id")) var id: String
    @Argument(help: "The quoted passage.") var quote: String?
    @Option(help: "A note on the highlight.") var note: String?
    @Option(help: ArgumentHelp("Remove the highlight with this id or prefix.", valueName: "highlight-id"))
    var remove: String?
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if remove != nil && quote != nil { throw ValidationError("Give a passage or --remove, not both.") }
        if note != nil && quote == nil { throw ValidationError("--note needs a passage to highlight.") }
    }

    func run() throws {
        let library = try libraryOptions.open(quote == nil && remove == nil ? .readOnly : .readWrite)
        if let quote {
            let highlight = try library.addHighlight(id, quote: quote, note: note)
            if output.json { return try Terminal.printJSON(highlight) }
            Terminal.line(
                "Highlighted “\(Terminal.truncate(highlight.quote, 60))” (\(highlight.id.prefix(10)))")
            return
        }
        if let remove { try library.removeHighlight(remove) }
        let item = try library.resolve(id)
        let highlights = try library.highlights(of: item)
        if output.json { return try Terminal.printJSON(highlights) }
        if let remove { Terminal.line("Removed highlight \(remove).") }
        if highlights.isEmpty {
            return Terminal.line("\(Terminal.truncate(item.title, 60)) has no highlights.")
        }
        for highlight in highlights {
            Terminal.line(
                "\(highlight.id.prefix(10))  “\(highlight.quote)”"
                    + (highlight.note.map { "  — \($0)" } ?? ""))
        }
    }
}
