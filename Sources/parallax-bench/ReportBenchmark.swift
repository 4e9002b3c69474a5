import Foundation
import ParallaxFraming
import ParallaxStore

/// One framing report of a 10-article event, with a library of generated articles as background.
struct ReportBenchmark {
    let libraryArticles: Int

    func run() throws -> (seconds: Double, events: Int) {
        let folder = try ScratchFolder()
        // Keep the folder until the scenario returns, however early its last use.
        defer { withExtendedLifetime(folder) {} }
        let library = try Library.create(at: folder.url.appendingPathComponent("library.sqlite").path)
        var generator = ArticleGenerator(seed: 5)
        let background = (0..<libraryArticles).map { generator.article($0) }
        try library.add(contentsOf: background.lazy.map { .success($0) }) { _, _ in }
        let story = generator.article(999_999)
        var ids: [String] = []
        for outlet in 0..<10 {
            var draft = ItemDraft(
                title: story.title,
                text: story.text.split(separator: ".").shuffled(using: &generator.random).joined(
                    separator: "."))
            draft.source = ArticleGenerator.sources[outlet]
            ids.append(try library.add(draft).item.id)
        }
        let items = try ids.map(library.resolve)
        let events = LibraryEvents(library: library)
        var best = Double.infinity
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try events.report(items: items)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return (best, items.count)
    }
}
