import ArgumentParser
import Foundation
import ParallaxExport
import ParallaxIngest
import ParallaxReports
import ParallaxStore

/// What `export` writes: a reading format, or the dataset for analysis engines.
enum ExportTarget: String, CaseIterable, ExpressibleByArgument {
    case jsonl, markdown, html, epub, dataset

    /// The reading format it names; nil for the dataset.
    var readingFormat: ExportFormat? { ExportFormat(rawValue: rawValue) }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Write the library as JSON Lines, Markdown files, an HTML reading page, an EPUB book or a dataset.",
        discussion: """
            Formats:
              jsonl     one object an item (text, tags, note, highlights), sorted;
                        'parallax import' reads it back without loss; standard
                        output without -o
              markdown  a folder: one Markdown file an article with YAML front
                        matter, its highlights and note, and index.md
              html      one self-contained page to read offline in any browser
              epub      an EPUB 3 book for e-readers, one chapter an article
              dataset   a folder of newline-delimited JSON for DuckDB, Spark or
                        Trino: items.jsonl, events.jsonl, terms.jsonl (each
                        article's word and bigram counts) and manifest.json;
                        the fields are in docs/dataset.md

            The output is written beside its destination and moved into place when complete, so \
            PATH holds the whole export or what it held before. A Markdown export replaces only an \
            earlier export or an empty folder.

              parallax export --format epub -o unread.epub --unread
              parallax export --format markdown -o ~/notes/reading --tag venezuela
              parallax export --format dataset -o ~/research/library-dataset
            """)

    @Option(help: "The format.") var format: ExportTarget = .jsonl
    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp(
            "Write here (a folder for markdown and dataset) instead of standard output.", valueName: "path"))
    var outputPath: String?
    @Flag(help: "Include removed items and highlights, marked deleted (jsonl only).") var includeDeleted =
        false
    @Option(help: "Only items with this tag.") var tag: String?
    @Flag(help: "Only unread items.") var unread = false
    @Option(help: "The collection's name in the HTML page and the EPUB book.") var title =
        "Parallax reading list"
    @OptionGroup var libraryOptions: LibraryOptions

    /// The file to write; nil for standard output.
    private var file: String? { StandardOutput.file(outputPath) }

    func validate() throws {
        if file == nil && format != .jsonl {
            throw ValidationError("--format \(format.rawValue) needs -o PATH.")
        }
        if includeDeleted && format != .jsonl {
            throw ValidationError("--include-deleted is for --format jsonl.")
        }
        if let tag, (try? Tag.normalize(tag)) == nil { throw ValidationError("--tag is not a usable tag.") }
        if format == .dataset && (tag != nil || unread) {
            throw ValidationError("A dataset holds the whole library; filter it in the engine that reads it.")
        }
    }

    func run() throws {
        guard let readingFormat = format.readingFormat else { return try exportDataset() }
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
        guard let outputPath = file else {
            try export.writeJSONLines(to: FileHandle.standardOutput)
            return
        }
        let count = try export.write(readingFormat, to: outputPath)
        FileHandle.standardError.write(Data("Exported \(count) items to \(outputPath).\n".utf8))
    }

    /// Writes the dataset, with progress on a terminal; opened for writing when it can be, so
    /// a grouping it has to make is kept.
    private func exportDataset() throws {
        let library = try libraryOptions.openForReading()
        let total = try library.statistics().items
        var export = DatasetExport(library: library)
        export.events = .showingProgress(library)
        let summary = try export.write(to: file ?? "") { done in
            if done % 500 == 0 {
                Terminal.progress(Terminal.progressBar(done: done, total: total) + " items")
            }
        }
        Terminal.endProgress()
        FileHandle.standardError.write(
            Data(
                "Exported \(summary.items) items, \(summary.events) events and \(summary.terms) term counts to \(file ?? "").\n"
                    .utf8))
    }
}
