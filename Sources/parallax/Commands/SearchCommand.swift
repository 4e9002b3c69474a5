import ArgumentParser
import ParallaxStore

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search titles, sources and text, best matches first.",
        discussion: """
            Uses SQLite FTS5, ranked by BM25 (titles weigh most). Operators: AND, OR, NOT, "exact \
            phrase", prefix*, NEAR(a b), column filters such as title:maduro. Plain words that are \
            not valid FTS5 (such as coup d'état) are searched as words. A query that matches more \
            than 2,000 articles ranks the 2,000 saved most recently; narrow it to reach older ones.

              parallax search "sanctions AND military"
            """)

    @Argument(help: "The query.") var query: String
    @Option(help: "At most this many results.") var limit = 20
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if query.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("The query is empty.") }
        if limit < 1 { throw ValidationError("--limit must be at least 1.") }
    }

    func run() throws {
        let library = try libraryOptions.open(.readOnly)
        let hits = try library.search(query, limit: limit)
        let shortIDs = try library.shortIDs(for: hits.map(\.item.id))
        if output.json {
            try Terminal.printJSON(
                hits.map {
                    ListedItem(
                        item: $0.item, shortID: shortIDs[$0.item.id] ?? $0.item.id,
                        snippet: $0.snippet(open: "**", close: "**"), score: $0.score)
                })
        } else {
            Terminal.line(Rendering.search(hits, shortIDs: shortIDs, query: query))
        }
    }
}
