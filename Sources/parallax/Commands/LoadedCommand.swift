import ArgumentParser
import Foundation
import ParallaxFraming
import ParallaxIngest
import ParallaxStore

struct LoadedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loaded",
        abstract: "Show one article's loaded language: each flagged word in its sentence.",
        discussion: """
            Flags the words that carry the writer's judgment rather than the facts: labels and \
            epithets (regime, radical, so-called), attribution verbs that cast doubt or take sides \
            (claimed, insisted, slammed), loaded and emotive words, intensifiers, hedges, words of \
            strong valence, and scare quotes. Words inside a direct quotation are the speaker's: \
            they are shown as such and left out of the rate. The framing report uses the same \
            finder; the lexicons are in Reports/lexicons (docs/framing.md says how it works and how \
            well it does).

              parallax loaded 01hq3k            # an item of the library
              parallax loaded article.txt --json
              pbpaste | parallax loaded -

            JSON fields (offsets in UTF-16 code units of the text) are in docs/cli.md.
            """)

    @Argument(help: ArgumentHelp("An item id, a text file, or - for standard input.", valueName: "article"))
    var article: String

    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let reading = LoadedLanguage().read(try text())
        if output.json {
            try Terminal.printJSON(reading)
            return
        }
        for sentence in reading.sentences {
            let terms = reading.terms.filter { $0.sentence == sentence.index }
            Terminal.line(Rendering.marking(sentence, terms: terms))
            for term in terms {
                let quoted = term.inQuote ? ", quoted" + (term.speaker.map { " from \($0)" } ?? "") : ""
                Terminal.line(Terminal.dim("    \(term.text): \(term.category.rawValue)\(quoted)"))
            }
        }
        let counts = reading.counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            .map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        Terminal.line(
            String(
                format: "%d words; %.1f flagged per 1,000 words outside quotations%@", reading.words,
                reading.ratePerThousandWords, counts.isEmpty ? "" : " (\(counts))"))
    }

    /// The article: standard input, a file, or else an item of the library.
    private func text() throws -> String {
        if article == "-" || FileManager.default.fileExists(atPath: article) {
            return try TextInput.read(path: article)
        }
        let library = try libraryOptions.openForReading()
        return try library.text(of: try library.resolve(article))
    }
}
