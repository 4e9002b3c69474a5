import ArgumentParser
import Foundation
import ParallaxStore
import ParallaxSync

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the library's integrity.",
        discussion: """
            Runs SQLite's integrity and foreign-key checks, checks the search index against the \
            rows, each article body against its hash and word count, and that every row has its \
            place in the change log, and the counts `stats` reads against the rows. Exits with 8 \
            when it finds a problem. --repair first rebuilds the search index and the counts from \
            the rows, and gives an article body that no longer matches its \
            hash (as earlier versions stored a text with a NUL character) the hash of the text it \
            holds, as a change that syncs. Text that earlier versions kept with control characters \
            (a title holding a terminal escape, a bidirectional override), or longer than its \
            field now allows, is reported, and \
            --repair stores it cleaned, as this version stores new text, also as a change that \
            syncs. Two items that hold one article (the same canonical address, as earlier \
            versions made when two devices saved it before they synced) are reported, and \
            --repair folds each group into one item: its tags, highlights, notes, reading \
            position and marks join the kept item and the others are removed, as a change that \
            syncs (`restore` brings one back). It also deletes the images nothing needs any more: no \
            article that is not removed shows them, no kept history of one does, and every trusted \
            device has seen the removals. On a library it can only read, the search index is not \
            checked.
            """)

    @Flag(
        help:
            "Rebuild the search index and the counts, rehash bodies, clean text and fold duplicates, before checking."
    )
    var repair = false
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let library = try repair ? libraryOptions.open() : libraryOptions.openForReading()
        if repair {
            let repaired = try library.repairBodies()
            if repaired > 0 {
                Terminal.line(
                    "Repaired \(repaired) article bod\(repaired == 1 ? "y" : "ies") whose hash did not match."
                )
            }
            let cleaned = try library.repairStoredText()
            if !cleaned.isEmpty {
                let counts = [
                    (cleaned.items, "item"), (cleaned.tags, "tag"), (cleaned.highlights, "highlight"),
                ]
                .filter { $0.0 > 0 }.map { "\($0.0) \($0.1)\($0.0 == 1 ? "" : "s")" }
                Terminal.line("Cleaned the text of \(counts.joined(separator: ", ")).")
            }
            let folded = try library.foldDuplicateArticles()
            if folded > 0 {
                Terminal.line(
                    "Folded \(folded) duplicate article\(folded == 1 ? "" : "s") into the item of the same address."
                )
            }
            // Images wait for every trusted device to have seen what removed them.
            let collected = try LibrarySync(library: library).collectImages()
            if collected.images > 0 {
                let size = ByteCountFormatter.string(fromByteCount: Int64(collected.bytes), countStyle: .file)
                Terminal.line(
                    "Deleted \(collected.images) image\(collected.images == 1 ? "" : "s") no article needs (\(size))."
                )
            }
        }
        let problems = try library.checkIntegrity(rebuildSearchIndex: repair) { step in
            if let done = step.done, let total = step.total {
                Terminal.progress(Terminal.progressBar(done: done, total: total) + " " + step.name)
            } else {
                Terminal.progress(step.name + "…")
            }
        }
        Terminal.endProgress()
        if library.mode == .readOnly {
            Terminal.printWarning("the library is read-only here, so its search index was not checked")
        }
        if output.json {
            try Terminal.printJSON(DoctorReport(ok: problems.isEmpty, problems: problems))
        } else if problems.isEmpty {
            Terminal.line("\(library.path): no problems found.")
        } else {
            for problem in problems { Terminal.line("\(problem.check): \(problem.detail)") }
        }
        if !problems.isEmpty {
            throw Failure(
                message: "\(problems.count) problem\(problems.count == 1 ? "" : "s") found",
                code: Failure.problemsFound)
        }
    }
}

/// What `doctor --json` prints.
struct DoctorReport: Encodable {
    let ok: Bool
    let problems: [IntegrityProblem]
}
