import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxFraming

/// Exact ties are broken by item ids, never by the order articles come in or by a hash order:
/// Swift seeds hashing per process, so anything decided by a `Set`'s or a `Dictionary`'s order
/// would differ between two runs, and seqs differ between two devices.
@Suite struct GroupingTieTests {
    /// An outlet that ran one wire story twice, word for word, and another outlet's take on it,
    /// close enough to link with one of the two copies but not to join both.
    static let articles = [
        article(
            "b-2", "Wire",
            "Harbour workers strike at the container terminals over automation plans, halting cranes and ships for a second day as talks stall."
        ),
        article(
            "b-1", "Wire",
            "Harbour workers strike at the container terminals over automation plans, halting cranes and ships for a second day as talks stall."
        ),
        article(
            "a-1", "Ledger",
            "Dockers vote on automation: the union says talks with terminal owners collapsed and a longer strike at the container port looms."
        ),
        article(
            "c-1", "Post",
            "Central bank holds interest rates steady, citing slowing inflation and a cooling labour market across the region."
        ),
        article(
            "d-1", "Courier",
            "Snowstorm closes mountain roads and schools as forecasters warn of more heavy snow and avalanches this weekend."
        ),
    ]

    static func article(_ id: String, _ source: String, _ text: String) -> GroupableArticle {
        GroupableArticle(
            id: id, title: String(text.prefix(40)), text: text, source: source,
            published: try? Date("2024-03-05", strategy: .iso8601.year().month().day()))
    }

    @Test func theConstructedTieIsExactAndDecidesTheEvents() throws {
        let engine = GroupingEngine(
            grouper: GroupingSettings(), source: NoStoredGrouping(), documents: 0, largestTermID: 0)
        let adding = Self.articles.enumerated().map { index, article in
            ArticleToAdd(
                seq: Int64(index + 1), id: article.id, title: article.title, text: article.text,
                source: article.source, day: 0)
        }
        try engine.update(removing: [], adding: adding, expected: adding.count)
        let (copy2, copy1, other) = (Int64(1), Int64(2), Int64(3))
        #expect(engine.similarity(other, copy1) == engine.similarity(other, copy2))
        let grouper = GroupingSettings()
        #expect((grouper.mutualThreshold..<grouper.attachThreshold).contains(engine.similarity(other, copy1)))
    }

    @Test func exactTiesGiveTheSameEventsWhateverOrderTheArticlesComeIn() {
        let expected: Set<Set<String>> = [["a-1", "b-1"], ["b-2"], ["c-1"], ["d-1"]]
        for order in Self.permutations(Array(Self.articles.indices)) {
            let groups = GroupingSettings().group(order.map { Self.articles[$0] })
            #expect(Set(groups.map(Set.init)) == expected, "in the order \(order)")
        }
    }

    static func permutations(_ items: [Int]) -> [[Int]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { index in
            var rest = items
            let first = rest.remove(at: index)
            return permutations(rest).map { [first] + $0 }
        }
    }
}
