import Foundation
import ParallaxTestSupport
import Testing

@testable import ParallaxFraming

@Suite struct EventGroupingTests {
    static func day(_ text: String) -> Date? { try? Date(text, strategy: .iso8601.year().month().day()) }

    static func article(_ id: String, _ source: String, _ date: String, _ text: String) -> GroupableArticle {
        GroupableArticle(
            id: id, title: String(text.prefix(60)), text: text, source: source, published: day(date))
    }

    @Test func testTokenizerKeepsInnerApostrophesAndHyphens() {
        #expect(
            Tokenizer.words("The self-proclaimed leader’s \"coup d'état\" — 23 January.") == [
                "the", "self-proclaimed", "leader's", "coup", "d'état", "23", "january",
            ])
        #expect(
            Tokenizer.contentWords("The sanctions on the military were said to be new") == [
                "sanctions", "military",
            ])
    }

    @Test func testSameEventFromTwoOutletsGroupsAndOtherEventsStayApart() {
        let articles = [
            Self.article(
                "a1", "Wire", "2019-02-14",
                "Venezuela sanctions: Washington weighs new sanctions on Maduro officials and Cuban intelligence officers helping the military."
            ),
            Self.article(
                "a2", "Ledger", "2019-02-15",
                "New sanctions on Maduro: the administration targets Cuban intelligence officers and Venezuelan military commanders."
            ),
            Self.article(
                "b1", "Wire", "2019-02-14",
                "Heavy snowfall closes schools across Minnesota as blizzard warnings spread to Wisconsin and Michigan roads."
            ),
            Self.article(
                "b2", "Post", "2019-02-14",
                "Blizzard shuts Minnesota schools; snowfall and icy roads spread into Wisconsin and Michigan."
            ),
            Self.article(
                "c1", "Post", "2019-02-14",
                "Central bank holds interest rates steady, citing slowing inflation and a cooling labour market."
            ),
        ]
        let groups = Set(GroupingSettings().group(articles).map(Set.init))
        #expect(groups == [["a1", "a2"], ["b1", "b2"], ["c1"]])
    }

    @Test func testSameTopicWeeksApartStaysApart() {
        let text =
            "Venezuela sanctions: Washington weighs new sanctions on Maduro officials and Cuban intelligence officers."
        let articles = [
            Self.article("early", "Wire", "2019-02-14", text),
            Self.article("late", "Ledger", "2019-04-20", text),
        ]
        #expect(GroupingSettings().group(articles).count == 2)
    }

    @Test func testOneOutletsArticlesAreNeverOneEvent() {
        let text =
            "Venezuela sanctions: Washington weighs new sanctions on Maduro officials and Cuban intelligence officers."
        let articles = [
            Self.article("x", "Wire", "2019-02-14", text), Self.article("y", "Wire", "2019-02-14", text),
        ]
        #expect(GroupingSettings().group(articles).count == 2)
    }

    /// The development corpus of shared/: 152 real stories, each covered by two outlets.
    @Test(.enabled(if: Fixtures.sharedDirectory != nil, "needs ../shared"))
    func testGroupingReachesTheTargetOnThePACStories() throws {
        let url = try #require(Fixtures.sharedDirectory).appendingPathComponent("corpora/pac-stories.jsonl")
        let rows = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String])
        }
        let articles = rows.map { row in
            GroupableArticle(
                id: row["id"]!, title: row["title"] ?? "", text: row["text"] ?? "",
                source: row["source"] ?? "",
                published: Self.day(row["date"] ?? ""))
        }
        let gold = Dictionary(uniqueKeysWithValues: rows.map { ($0["id"]!, $0["story"]!) })
        let groups = GroupingSettings().group(articles)
        let score = BCubed.score(groups: groups, gold: gold)
        #expect(score.f1 >= 0.93, "B-cubed F1 \(score.f1)")
    }
}

/// B-cubed precision, recall and F1 of a grouping against gold labels.
enum BCubed {
    static func score(groups: [[String]], gold: [String: String]) -> (
        precision: Double, recall: Double, f1: Double
    ) {
        var predicted: [String: Set<String>] = [:]
        for group in groups { for id in group { predicted[id] = Set(group) } }
        var byGold: [String: Set<String>] = [:]
        for (id, label) in gold { byGold[label, default: []].insert(id) }
        var precision = 0.0
        var recall = 0.0
        for (id, label) in gold {
            let mine = predicted[id] ?? [id]
            let truth = byGold[label]!
            let shared = Double(mine.intersection(truth).count)
            precision += shared / Double(mine.count)
            recall += shared / Double(truth.count)
        }
        precision /= Double(gold.count)
        recall /= Double(gold.count)
        return (precision, recall, 2 * precision * recall / (precision + recall))
    }
}
