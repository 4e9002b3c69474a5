import ArgumentParser
import ParallaxStore

struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Print an item's clean text, wrapped for the terminal, and mark it as being read.",
        discussion:
            "An unread item becomes 'reading'; a read one stays read. --no-mark leaves the state alone.")

    @Argument(help: ArgumentHelp("The item's id or a unique prefix.", valueName: "id")) var id: String
    @Flag(name: .customLong("no-mark"), help: "Do not change the reading state.") var noMark = false
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let library = try libraryOptions.open(noMark ? .readOnly : .readWrite)
        let item = noMark ? try library.resolve(id) : try library.open(id)
        let text = try library.text(of: item)
        if output.json {
            try Terminal.printJSON(
                ItemRecord(
                    item: item, text: text, highlights: try library.highlights(of: item),
                    html: try library.articleHTML(ofItem: item.id)))
            return
        }
        let width = Terminal.width
        Terminal.line(Terminal.bold(Terminal.wrap(item.title, width: width)))
        let meta = [item.byline.map { "By \($0)" }, item.source, item.published].compactMap { $0 }
        if !meta.isEmpty { Terminal.line(Terminal.dim(meta.joined(separator: " · "))) }
        if let url = item.url { Terminal.line(Terminal.dim(url)) }
        Terminal.line("")
        if text.isEmpty, let url = item.url {
            Terminal.line("A saved link; its page is not fetched yet. 'parallax add \(url)' fetches it.")
        } else {
            Terminal.line(Terminal.wrap(text, width: width))
        }
        if let note = item.note { Terminal.line("\n" + Terminal.dim("Note: ") + note) }
    }
}
