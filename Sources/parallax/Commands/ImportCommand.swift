import ArgumentParser
import ParallaxIngest
import ParallaxStore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Save many articles from a JSON Lines file.",
        discussion: """
            One JSON object a line, with "text" and usually "url", "title", "source", "published" and
            "byline"; everything 'export --format jsonl' writes is read back too (tags, state,
            progress, archived, favorite, note, highlights, saved). Articles already in the library
            are skipped. A bad line is reported on stderr and the rest carry on; the exit code is 4
            when any line failed. Use - to read standard input.
            """)

    @Argument(help: ArgumentHelp("The JSON Lines file, or - for standard input.", valueName: "file"))
    var file: String

    @Flag(help: "Store records that match a saved item as a new version of it.") var force = false
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let library = try libraryOptions.open()
        var reported = 0
        let summary = try JSONLinesImporter(path: file, force: force).run(into: library) { line, summary in
            while reported < summary.failures.count {
                Terminal.endProgress()
                Terminal.printWarning(summary.failures[reported])
                reported += 1
            }
            if line % 50 == 0 {
                Terminal.progress(
                    "importing: line \(line), \(summary.saved) saved, \(summary.duplicates) already saved")
            }
        }
        Terminal.endProgress()
        if output.json {
            try Terminal.printJSON(ImportReport(summary))
        } else {
            var parts = ["\(summary.saved) saved", "\(summary.duplicates) already in the library"]
            if summary.updated > 0 { parts.append("\(summary.updated) updated") }
            if summary.skipped > 0 { parts.append("\(summary.skipped) skipped") }
            parts.append("\(summary.failures.count) failed")
            print("Imported \(file): " + parts.joined(separator: ", ") + ".")
        }
        if !summary.failures.isEmpty { throw ExitCode(Failure.invalidInput.rawValue) }
    }
}

/// The JSON `import --json` prints.
struct ImportReport: Encodable {
    let saved: Int, duplicates: Int, updated: Int, skipped: Int
    let failures: [String]

    init(_ summary: ImportSummary) {
        saved = summary.saved
        duplicates = summary.duplicates
        updated = summary.updated
        skipped = summary.skipped
        failures = summary.failures
    }
}
