import ArgumentParser
import Foundation
import ParallaxFraming
import ParallaxReports
import ParallaxStore

struct ReportCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case md, html, json
    }

    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Compare how the sources of an event frame it: words, names, what only one reports.",
        discussion: """
            For each source: the words it uses distinctively more than the event's other sources \
            (weighted log-odds with an informative Dirichlet prior from your whole library, Monroe \
            et al. 2008; a finding needs z ≥ 1.96 on three uses, and an event too small to tell \
            its sources apart is said to be); how it names the actors; what only it reports; its \
            loaded language per 1,000 words with quotations left out; and its attribution verbs, \
            hedges, intensifiers, labels and loaded terms, each sentence once with the words \
            marked. The lexicons are the editable files of Reports/lexicons/ (one word or phrase a \
            line, in its base form: "slam" also finds "slammed"); --lexicons uses a folder of \
            your own. To compare outlets over many events, use 'parallax compare'.

              parallax events                      # find the event
              parallax report --event 01m8jmz9m2   # any article id of the event names it
              parallax report --articles ID,ID,ID --format json -o report.json
            """)

    @Option(help: ArgumentHelp("An event id, or the id of any article in it.", valueName: "event")) var event:
        String?
    @Option(
        help: ArgumentHelp("Articles to compare, by id, separated by commas.", valueName: "ids"),
        transform: { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
    var articles: [String]?
    @Option(
        help: "Markdown (md), a self-contained HTML page (html), or JSON (documented in docs/report-json.md)."
    )
    var format: Format = .md
    @Option(
        name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file.", valueName: "file"))
    var outputPath: String?
    @Option(
        help: ArgumentHelp(
            "A folder of .txt lexicons to use instead of the shipped ones.", valueName: "folder"))
    var lexicons: String?
    @OptionGroup var libraryOptions: LibraryOptions

    func validate() throws {
        if (event == nil) == (articles == nil) { throw ValidationError("Give either --event or --articles.") }
        if let articles, articles.filter({ !$0.isEmpty }).count < 2 {
            throw ValidationError("--articles needs at least two ids, separated by commas.")
        }
    }

    func run() throws {
        let library = try libraryOptions.openForReading()
        let events = LibraryEvents.showingProgress(library)
        let items =
            try event.map { try events.event($0).items }
            ?? articles!.filter { !$0.isEmpty }.map(library.resolve)
        Terminal.endProgress()
        let lexiconList: [MarkerLexicon]
        do {
            lexiconList = try lexicons.map(MarkerLexicon.load(folder:)) ?? MarkerLexicon.shipped
        } catch {
            throw Failure(
                message: "cannot read lexicons from \(lexicons ?? ""): \(error.localizedDescription)",
                code: Failure.notFound)
        }
        let report = try events.report(items: items, lexicons: lexiconList)
        let data: Data =
            switch format {
            case .md: Data(MarkdownReport.render(report).utf8)
            case .html: Data(HTMLReport.render(report).utf8)
            case .json: try Library.jsonEncoder(pretty: true).encode(report) + Data("\n".utf8)
            }
        if let outputPath = StandardOutput.file(outputPath) {
            try ReportFile.at(outputPath).write(data)
            FileHandle.standardError.write(Data("Wrote \(outputPath).\n".utf8))
        } else {
            Terminal.write(String(decoding: data, as: UTF8.self))
        }
    }
}
