import ArgumentParser
import Foundation
import ParallaxFraming
import ParallaxStore

extension Bench {
    /// Compares two outlets over their matched events in a generated library.
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two outlets over their matched events, beside grouping the library alone.",
            discussion: """
                Generates a library of --articles articles in which two outlets cover --events stories \
                (each story once by each, in its own words), then times, beside the baseline of grouping \
                the library from scratch: listing the events again from the grouping the first call \
                stored, and `parallax compare` through the library API (which reads that grouping). \
                Target (issue 11): compare ≤ 5 s on 100,000 articles. The generated library is kept \
                between runs (in the temporary folder's parallax-bench-libraries); each run measures a copy.
                """)

        @Option(help: "Articles in the library.") var articles = 10_000
        @Option(help: "Stories both outlets covered.") var events = 100
        @Flag(help: "Remove the generated libraries kept between runs, and measure nothing.") var clean =
            false

        func run() throws {
            if clean { return try KeptLibrary.clean() }
            let kept = try KeptLibrary(named: "compare-\(articles)-\(events)") { library in
                var generator = ArticleGenerator(seed: 11)
                let background = (0..<max(0, articles - 2 * events)).map { generator.article($0) }
                try library.add(contentsOf: background.lazy.map { .success($0) }) { _, _ in }
                for draft in generator.coveredTwice(stories: events) { _ = try library.add(draft) }
            }
            let folder = try ScratchFolder()
            defer { withExtendedLifetime(folder) {} }
            let library = try kept.copy(into: folder.url)
            let grouping = LibraryEvents(library: library)
            var start = DispatchTime.now().uptimeNanoseconds
            let grouped = try grouping.events()
            let groupSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            start = DispatchTime.now().uptimeNanoseconds
            _ = try grouping.events()
            let storedSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            start = DispatchTime.now().uptimeNanoseconds
            let comparison = try grouping.compare(outlets: ["Left Daily", "Right Wire"])
            let compareSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print("\(articles) articles, \(grouped.count) events; \(comparison.events.count) matched events")
            print(String(format: "group the library from scratch (baseline): %.2f s", groupSeconds))
            print(
                String(
                    format: "list events from the stored grouping:       %.2f s (%.3f× the baseline)",
                    storedSeconds,
                    storedSeconds / max(groupSeconds, 1e-9)))
            print(
                String(
                    format: "compare two outlets:                        %.2f s (%.2f× the baseline)",
                    compareSeconds,
                    compareSeconds / max(groupSeconds, 1e-9)))
            let regime = comparison.distinctive.first?.terms.first { $0.score.term == "regime" }
            print(
                "planted term found: \(regime.map { String(format: "regime, z %.1f", $0.score.z) } ?? "no")")
        }
    }
}
