import ArgumentParser
import Foundation
import ParallaxIngest
import ParallaxStore

extension ExportFormat: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the library as JSON Lines, Markdown files, an HTML reading page or an EPUB book.",
        discussion: """
            Formats:
              jsonl     one object an item (text, tags, note, highlights), sorted;
                        'parallax import' reads it back without loss; standard
                        output without -o
              markdown  a folder: one Markdown file an article with YAML front
                        matter, its highlights and note, and index.md
              html      one self-contained page to read offline in any browser
              epub      an EPUB 3 book for e-readers, one chapter an article

            The output is written beside its destination and moved into place when complete, so \
            PATH holds the whole export or what it held before. A Markdown export replaces only an \
            earlier export or an empty folder.

              parallax export --format epub -o unread.epub --unread
              parallax export --format markdown -o ~/notes/reading --tag venezuela
            """)

    @Option(help: "The format.") var format: ExportFormat = .jsonl
    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp(
            "Write here (a folder for markdown) instead of standard output.", valueName: "path"))
    var outputPath: String?
    @Flag(help: "Include removed items and highlights, marked deleted (jsonl only).") var includeDeleted =
        false
    @Option(help: "Only items with this tag.") var tag: String?
    @Flag(help: "Only unread items.") var unread = false
    @Option(help: "The collection's name in the HTML page and the EPUB book.") var title =
        "Parallax reading list"
    @OptionGroup var libraryOptions: LibraryOptions

    func validate() throws {
        if outputPath == nil && format != .jsonl {
            throw ValidationError("--format \(format.rawValue) needs -o PATH.")
        }
        if includeDeleted && format != .jsonl {
            throw ValidationError("--include-deleted is for --format jsonl.")
        }
        if let tag, (try? Tag.normalize(tag)) == nil { throw ValidationError("--tag is not a usable tag.") }
    }

    func run() throws {
        let library = try libraryOptions.open(.readOnly)
        let tag = try tag.map(Tag.normalize)
        var export = ReadingExport(library: library)
        if tag != nil || unread {
            export.filter = { item in
                (tag.map(item.tags.contains) ?? true) && (!unread || item.readingState == .unread)
            }
        }
        export.includeDeleted = includeDeleted
        export.title = title
        guard let outputPath else {
            try export.writeJSONLines(to: FileHandle.standardOutput)
            return
        }
        let count = try export.write(format, to: outputPath)
        FileHandle.standardError.write(Data("Exported \(count) items to \(outputPath).\n".utf8))
    }
}
