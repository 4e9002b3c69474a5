import ArgumentParser
import Foundation
import ParallaxFraming
import ParallaxReports
import ParallaxStore

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare outlets over every event they all covered: words, names, loaded language, verbs.",
        discussion: """
            One event rarely holds enough text for statistics; a library holds many. This compares \
            two or more outlets over the events each of them covered (matched events, so a \
            difference of topic is not taken for one of framing): the words each uses more \
            (weighted log-odds, with the events and sentences behind each term; a finding needs \
            z ≥ 1.96 on three uses), how each names the recurring actors, its loaded language per \
            1,000 words with quotations left out and a 95% interval from resampling events, and \
            its attribution verbs (said against claimed, insisted). Outlet names are as 'parallax \
            stats' lists them.

              parallax compare --sources "Fox News" "HuffPost"
              parallax compare --sources Reuters "Al Jazeera" --since 2024-01-01 --tag venezuela --format html -o cmp.html

            Exit code 4 when no event is covered by every outlet. JSON fields: docs/report-json.md.
            """)

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp("Two or more outlets, as the library names them.", valueName: "outlet"))
    var sources: [String] = []
    @Option(help: ArgumentHelp("Only events published (or saved) on or after this date.", valueName: "date"))
    var since: String?
    @Option(help: ArgumentHelp("Only articles with this tag.", valueName: "tag")) var tag: String?
    @Option(help: "Markdown (md), a self-contained HTML page (html), or JSON (docs/report-json.md).")
    var format: ReportCommand.Format = .md
    @Option(
        name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file.", valueName: "file"))
    var outputPath: String?
    @OptionGroup var libraryOptions: LibraryOptions

    func validate() throws {
        if Set(sources).count < 2 { throw ValidationError("--sources needs two or more different outlets.") }
        if Set(sources).count < sources.count { throw ValidationError("--sources names an outlet twice.") }
        if let since, (try? Timestamp.normalizedDate(since, field: "since")) == nil {
            throw ValidationError("--since must be a date such as 2024-03-01.")
        }
    }

    func run() throws {
        let library = try libraryOptions.openForReading()
        let comparison = try LibraryEvents.showingProgress(library).compare(
            outlets: sources, since: since, tag: tag)
        Terminal.endProgress()
        let data: Data =
            switch format {
            case .md: Data(ComparisonReport.markdown(comparison).utf8)
            case .html: Data(ComparisonReport.html(comparison).utf8)
            case .json: try Library.jsonEncoder(pretty: true).encode(comparison) + Data("\n".utf8)
            }
        if let outputPath = StandardOutput.file(outputPath) {
            try ReportFile.comparison(at: outputPath).write(data)
            FileHandle.standardError.write(Data("Wrote \(outputPath).\n".utf8))
        } else {
            Terminal.write(String(decoding: data, as: UTF8.self))
        }
    }
}
