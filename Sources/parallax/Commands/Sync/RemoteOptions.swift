import ArgumentParser
import Crypto
import Foundation
import ParallaxStore
import ParallaxSync

/// The remote a push, pull or compaction goes through, named or the only one.
struct RemoteOptions: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "The remote's name (see 'parallax sync remote list'); the only one when omitted.",
            valueName: "name"))
    var name: String?

    /// Opens the library, reaches the remote, runs one sync step through it and prints its report.
    /// - Parameter pushed: Whether the step writes, so the report says what it wrote.
    func run(
        _ libraryOptions: LibraryOptions, _ output: OutputOptions, pushed: Bool,
        _ step: (LibrarySync, any SyncTransport, SymmetricKey?) throws -> SyncReport
    ) throws {
        let sync = try LibrarySync(library: libraryOptions.open())
        let connected = try SyncRemotes(library: sync.library).connect(named: name, ask: Terminal.askSecret)
        let report = try step(sync, connected.transport, connected.key)
        try SyncReportOutput.print(report, remote: connected.remote.name, json: output.json, pushed: pushed)
    }

}

/// Shows a sync's steps on a terminal.
enum SyncProgressLine {
    static func show(_ progress: SyncProgress) {
        let step =
            switch progress.step {
            case .checking: "Checking new files"
            case .importing: "Importing bundles"
            case .uploading: "Uploading"
            case .pruning: "Pruning"
            }
        Terminal.progress(
            progress.total > 1
                ? "\(step) \(Terminal.progressBar(done: progress.done, total: progress.total)) "
                    + "\(progress.done)/\(progress.total)"
                : "\(step)…")
    }
}

/// What a sync did, as text or JSON.
struct SyncReportOutput: Encodable {
    struct Imported: Encodable {
        var path: String
        var device: String
        var changes: Int
        var applied: Int
        var createdItems: Int
    }

    struct Skipped: Encodable {
        var path: String
        var reason: String
    }

    var remote: String
    var imported: [Imported]
    var skipped: [Skipped]
    var written: String?
    var snapshot: String?
    var pruned: [String]

    init(_ report: SyncReport, remote: String) {
        self.remote = remote
        imported = report.imported.map {
            Imported(
                path: $0.path, device: $0.header.device, changes: $0.header.records,
                applied: $0.summary.applied,
                createdItems: $0.summary.createdItems)
        }
        skipped = report.skipped.map { Skipped(path: $0.path, reason: $0.reason) }
        written = report.written
        snapshot = report.snapshot
        pruned = report.pruned
    }

    /// Prints the report; warnings go to stderr.
    static func print(_ report: SyncReport, remote: String, json: Bool, pushed: Bool) throws {
        Terminal.endProgress()
        if let succession = report.succession { Terminal.printWarning(succession.message) }
        for skipped in report.skipped { Terminal.printWarning("skipped \(skipped.reason)") }
        if json { return try Terminal.printJSON(SyncReportOutput(report, remote: remote)) }
        for imported in report.imported { Terminal.line(SyncRendering.describe(imported)) }
        if let snapshot = report.snapshot { Terminal.line("Wrote the snapshot \(snapshot).") }
        if pushed {
            Terminal.line(report.written.map { "Wrote \($0)." } ?? "Nothing new to write.")
        } else if report.imported.isEmpty {
            Terminal.line("Nothing new to import.")
        }
        if !report.pruned.isEmpty {
            Terminal.line(
                "Pruned \(SyncRendering.counted(report.pruned.count, "file")) every device has applied.")
        }
    }
}
