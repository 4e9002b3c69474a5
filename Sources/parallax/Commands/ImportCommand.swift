import ArgumentParser
import Foundation
import ParallaxIngest
import ParallaxStore

extension ImportFormat: ExpressibleByArgument {}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Import a reading list, article archive or bookmarks: Pocket, Instapaper, Omnivore, Wallabag, Pinboard…",
        discussion: """
            Formats (told from the file's content; --format names one):
              jsonl          what 'export --format jsonl' writes (read back without loss)
              pocket         Pocket's CSV (title,url,time_added,cursor,tags,status)
              pocket-html    Pocket's older HTML export (Unread / Read Archive)
              instapaper     Instapaper's CSV (URL,Title,Selection,Folder,Timestamp[,Tags])
              omnivore       Omnivore's ZIP export, with article content and highlights
              omnivore-json  Omnivore's JSON export: labels, state, progress, highlights
              wallabag       Wallabag's JSON export, with content, tags and annotations
              pinboard       Pinboard's JSON export: notes, tags, to-read
              readability    Readability's JSON export: favorites, archive, excerpts
              bookmarks      a browser's HTML bookmarks file (folders become tags)
              firefox        Firefox's JSON bookmark backup (folders become tags)
              chrome         the Bookmarks file of Chrome, Chromium, Edge or Brave
              urls           one web address a line; '#' starts a comment

            Tags, archived/read state, stars, reading progress, highlights and dates are kept where \
            the export has them. Reading lists hold addresses without text: those are saved as \
            links, and --fetch downloads and extracts their pages (a few at a time, with progress \
            on a terminal). Addresses are compared without tracking parameters, fragments, case or \
            trailing slashes, so nothing is saved twice: an interrupted import or fetch is resumed \
            by running the same command again.

            A bad record is reported on stderr as one line and the rest carry on. Exit code 4 when \
            a record failed, 10 when only downloads failed.

              parallax import pocket-export.csv --fetch
              parallax import bookmarks.html --format bookmarks
              parallax import wallabag.json
              parallax import ~/.config/chromium/Default/Bookmarks
            """)

    @Argument(
        help: ArgumentHelp("The export file, or - for JSON Lines on standard input.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The file's format (default: told from the file).", valueName: "format"))
    var format: ImportFormat?
    @Flag(help: "Download and extract the pages of imported links that have no text yet.") var fetch = false
    @Option(help: "Downloads at once with --fetch (1-16).") var concurrency = 4
    @Flag(help: "Store records that match a saved item as a new version of it.") var force = false
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (1...16).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 16.") }
        if file == "-", let format, format != .jsonl {
            throw ValidationError("Standard input is read as JSON Lines only; save the export to a file.")
        }
    }

    func run() async throws {
        let library = try libraryOptions.open()
        let importer = try ReadingListImporter(path: file, format: format, force: force)
        var reported = 0
        var saved = 0
        let started = Date()
        let summary = try stoppingWithWhatWasSaved({ saved }) {
            try importer.run(into: library) { done, summary in
                saved = summary.saved
                while reported < summary.failures.count {
                    Terminal.endProgress()
                    Terminal.printWarning(summary.failures[reported])
                    reported += 1
                }
                if done % 50 == 0 {
                    Terminal.progress(
                        "importing: \(done) records, \(summary.saved) saved, \(summary.duplicates) already saved"
                            + Self.pace(done: done, since: started, fraction: importer.reading?.fraction))
                }
            }
        }
        Terminal.endProgress()
        var fetched: LinkFetchSummary?
        if fetch && !summary.unfetched.isEmpty {
            fetched = try await fetchLinks(summary.unfetched, library: library)
            Terminal.endProgress()
        }
        if output.json {
            try Terminal.printJSON(ImportReport(summary, format: importer.format, fetched: fetched))
        } else {
            var parts = ["\(summary.saved) saved", "\(summary.duplicates) already in the library"]
            if summary.updated > 0 { parts.append("\(summary.updated) updated") }
            if summary.skipped > 0 { parts.append("\(summary.skipped) skipped") }
            parts.append("\(summary.failures.count) failed")
            Terminal.line(
                "Imported \(file) (\(importer.format.rawValue)): " + parts.joined(separator: ", ") + ".")
            if let fetched {
                Terminal.line(
                    "Fetched \(fetched.fetched) pages, \(fetched.failures.count) failed"
                        + (fetched.alreadyFetched > 0 ? ", \(fetched.alreadyFetched) fetched before." : "."))
            }
            let unfetched = summary.unfetched.count - (fetched.map { $0.fetched + $0.alreadyFetched } ?? 0)
            if unfetched > 0 {
                Terminal.line(
                    (unfetched == 1 ? "1 link has" : "\(unfetched) links have")
                        + " no text yet; run the same import with --fetch to download them.")
            }
        }
        if !summary.failures.isEmpty { throw ExitCode(Failure.invalidInput.rawValue) }
        if let fetched, !fetched.failures.isEmpty { throw ExitCode(Failure.fetchFailed.rawValue) }
    }

    /// Runs the import; an error that stops it once records were saved says how many, since
    /// they stay saved and a second run skips them.
    private func stoppingWithWhatWasSaved(
        _ saved: () -> Int, _ body: () throws -> ImportSummary
    ) throws -> ImportSummary {
        do {
            return try body()
        } catch let error as LibraryError {
            Terminal.endProgress()
            guard saved() > 0, let code = Failure.exitCode(for: error) else { throw error }
            throw Failure(
                message: "the import stopped after saving \(saved()) items (running it again skips them): "
                    + Failure.message(for: error),
                code: code)
        }
    }

    private func fetchLinks(_ ids: [String], library: Library) async throws -> LinkFetchSummary {
        var reported = 0
        let interactive = Terminal.errorIsInteractive
        return try await LinkFetch(library: library, concurrency: concurrency).run(itemIDs: ids) { summary in
            while reported < summary.failures.count {
                Terminal.endProgress()
                Terminal.printWarning(summary.failures[reported])
                reported += 1
            }
            let line =
                "fetching: \(summary.done)/\(summary.total), \(summary.fetched) saved, \(summary.failures.count) failed"
            if interactive {
                Terminal.progress(Terminal.progressBar(done: summary.done, total: summary.total) + " " + line)
            } else if summary.done % 25 == 0 || summary.done == summary.total {
                Terminal.printWarning(line)
            }
        }
    }

    /// The rate, the share of the file read and the time left, as " · 3,900/s · 64% · about 9 s left".
    static func pace(done: Int, since start: Date, fraction: Double?) -> String {
        let elapsed = Date().timeIntervalSince(start)
        guard elapsed > 0.5 else { return "" }
        var text = " · \(Int(Double(done) / elapsed).formatted())/s"
        if let fraction, fraction > 0.01 {
            let left = elapsed * (1 - fraction) / fraction
            text += " · \(Int(fraction * 100))% · about "
            text +=
                left < 90 ? "\(Int(left.rounded(.up))) s left" : "\(Int((left / 60).rounded(.up))) min left"
        }
        return text
    }
}

/// The JSON `import --json` prints.
struct ImportReport: Encodable {
    let format: String
    let saved: Int, duplicates: Int, updated: Int, skipped: Int
    let failures: [String]
    let unfetched: Int
    let fetched: Int?
    let fetchFailures: [String]?

    init(_ summary: ImportSummary, format: ImportFormat, fetched: LinkFetchSummary?) {
        self.format = format.rawValue
        saved = summary.saved
        duplicates = summary.duplicates
        updated = summary.updated
        skipped = summary.skipped
        failures = summary.failures
        unfetched = summary.unfetched.count - (fetched.map { $0.fetched + $0.alreadyFetched } ?? 0)
        self.fetched = fetched?.fetched
        fetchFailures = fetched?.failures
    }

    enum CodingKeys: String, CodingKey {
        case format, saved, duplicates, updated, skipped, failures, unfetched, fetched
        case fetchFailures = "fetch_failures"
    }
}
