import Foundation
import ParallaxTestSupport
import Testing

@testable import ParallaxFraming
@testable import ParallaxStore

/// Adding articles updates only the events they touch, and gives the events grouping the
/// whole library at once gives.
@Suite struct IncrementalGroupingTests {
    /// Generated coverage: each event has its own names, told by three outlets in their own
    /// words around its date, with common words shared by every event.
    static func coverage(events: Int, seed: UInt64) -> [ItemDraft] {
        var random = SeededGenerator(seed: seed)
        let common = (0..<300).map { "common\(Self.syllables($0))" }
        let outlets = ["Harbour Times", "Port Wire", "Coast Ledger", "Valley Post"]
        var drafts: [ItemDraft] = []
        for event in 0..<events {
            let names = (0..<8).map { "name\(Self.syllables(event * 8 + $0))" }
            let day = 1 + (event * 3) % 27
            for outlet in 0..<3 {
                let mine = names.shuffled(using: &random).prefix(6)
                var words: [String] = []
                for _ in 0..<60 {
                    words.append(
                        random.next() % 3 == 0
                            ? mine.randomElement(using: &random)! : common.randomElement(using: &random)!)
                }
                var draft = ItemDraft(
                    title: mine.prefix(3).joined(separator: " ") + " " + common.randomElement(
                        using: &random)!,
                    text: words.joined(separator: " ") + ".")
                draft.source = outlets[(event + outlet) % outlets.count]
                draft.url = "https://example.org/\(event)/\(outlet)"
                draft.published = String(format: "2024-05-%02d", day + outlet % 2)
                drafts.append(draft)
            }
        }
        return drafts.shuffled(using: &random)
    }

    static func syllables(_ number: Int) -> String {
        let letters = Array("bcdfghklmnprstvz")
        var (number, word) = (number, "")
        repeat {
            word += String(letters[number % letters.count]) + "a"
            number /= letters.count
        } while number > 0
        return word
    }

    /// The events of a library as sets of URLs, which do not depend on the ids a library draws.
    static func partition(_ library: Library) throws -> Set<Set<String>> {
        Set(try LibraryEvents(library: library).events().map { Set($0.items.compactMap(\.url)) })
    }

    /// Adds drafts in batches, bringing the events up to date after each batch.
    static func grouped(_ drafts: [ItemDraft], batch: Int) throws -> (TemporaryLibrary, Set<Set<String>>) {
        let temporary = try TemporaryLibrary()
        for start in stride(from: 0, to: drafts.count, by: batch) {
            for draft in drafts[start..<min(start + batch, drafts.count)] {
                _ = try temporary.library.add(draft)
            }
            _ = try LibraryEvents(library: temporary.library).events()
        }
        return (temporary, try partition(temporary.library))
    }

    @Test func testGroupingOneAtATimeGivesTheEventsOfOneBatch() throws {
        let drafts = Self.coverage(events: 30, seed: 5)
        let (_, batch) = try Self.grouped(drafts, batch: drafts.count)
        let (_, single) = try Self.grouped(drafts, batch: 1)
        let (_, tens) = try Self.grouped(drafts, batch: 10)
        #expect(batch.count == 30)
        #expect(single == batch)
        #expect(tens == batch)
    }

    /// The library's events as grouping it from scratch now makes them.
    static func regroupedFromScratch(_ library: Library) throws -> Set<Set<String>> {
        try library.database.write { db in try db.execute(sql: "UPDATE event_grouping_state SET grouper = ''")
        }
        return try partition(library)
    }

    @Test func testAddingRemovingAndChangingArticlesUpdatesOnlyTheEventsTheyTouch() throws {
        let drafts = Self.coverage(events: 12, seed: 9)
        let (temporary, _) = try Self.grouped(Array(drafts.dropLast(3)), batch: drafts.count)
        let library = temporary.library
        let items = try library.items()
        // Split, in the stored state, an event no change below touches: were the update to
        // group everything again, it would be joined again.
        let touched = Set(
            (drafts.suffix(3).compactMap(\.url) + items.prefix(3).compactMap(\.url)).map(Self.event))
        let event = try Self.partition(library).first {
            $0.count > 1 && !touched.contains(Self.event($0.first!))
        }!
        try library.database.write { db in
            for url in event {
                try db.execute(
                    sql:
                        "UPDATE grouping_article SET event = item WHERE item = (SELECT seq FROM item WHERE url = ?)",
                    arguments: [url])
            }
        }
        for draft in drafts.suffix(3) { _ = try library.add(draft) }
        _ = try library.delete(items[0].id)
        var changed = ItemDraft(title: items[1].title, text: try library.texts(ofItemIDs: [items[2].id])[0])
        changed.source = items[1].source
        changed.url = items[1].url
        _ = try library.add(changed, force: true)
        let updated = try Self.partition(library)
        #expect(event.allSatisfy { updated.contains([$0]) })
        let scratch = try Self.regroupedFromScratch(library)
        #expect(scratch.contains(event))
        #expect(
            updated.filter { $0.isDisjoint(with: event) } == scratch.filter { $0.isDisjoint(with: event) })
    }

    @Test func testCountsWaitingInAFileComeBackAsTheyWereAndLeaveNoFile() throws {
        let folder = TemporaryDirectory()
        let written = (0..<3_000).map { (index: Int) -> CountedArticle in
            let terms: [UInt32] = (0..<(index % 300)).map { UInt32($0 * 7 + index) }
            let day: Int32? = index % 2 == 0 ? nil : Int32(index)
            return CountedArticle(seq: Int64(index), id: "id\(index)", source: "Wire", day: day, terms: terms)
        }
        var read: [CountedArticle] = []
        do {
            let counted = CountedArticles(spillingInto: folder.url)
            #expect(counted.isSpilled)
            for article in written { try counted.append(article) }
            // Unlinked as soon as it is open, so a killed process leaves nothing behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
            try counted.drain { read.append($0) }
        }
        #expect(read.map(\.terms) == written.map(\.terms))
        #expect(read.map(\.id) == written.map(\.id) && read.map(\.day) == written.map(\.day))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
        #expect(!CountedArticles(spillingInto: folder.url.appendingPathComponent("missing")).isSpilled)
    }

    /// A damaged state (term ids it does not know, blobs of odd lengths) is read without a
    /// crash: unknown terms count as used by no article, and the next full grouping heals it.
    @Test func testADamagedGroupingStateNeitherCrashesNorStopsEvents() throws {
        let drafts = Self.coverage(events: 12, seed: 4)
        let (temporary, _) = try Self.grouped(Array(drafts.dropLast()), batch: drafts.count)
        try temporary.library.database.write { db in
            try db.execute(
                sql:
                    "UPDATE grouping_article SET terms = randomblob(abs(random()) % 2000 + 1) WHERE item % 2 = 0"
            )
            try db.execute(sql: "DELETE FROM grouping_term WHERE id % 3 = 0")
        }
        _ = try temporary.library.add(drafts.last!)
        #expect(try !LibraryEvents(library: temporary.library).events().isEmpty)
        #expect(try Self.regroupedFromScratch(temporary.library).count >= 12)
    }

    /// The generated event a URL belongs to.
    static func event(_ url: String) -> Substring { url.split(separator: "/").dropLast().last ?? "" }

    @Test(.enabled(if: Fixtures.sharedDirectory != nil, "needs ../shared"))
    func testThePACStoriesGroupedOneAtATimeMatchTheBatch() throws {
        let lines = try String(
            contentsOf: Fixtures.sharedDirectory!.appendingPathComponent("corpora/pac-stories.jsonl"),
            encoding: .utf8
        ).split(separator: "\n")
        let drafts = try lines.map { line -> ItemDraft in
            let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String] ?? [:]
            var draft = ItemDraft(title: row["title"] ?? "", text: row["text"] ?? "")
            draft.source = row["source"]
            draft.published = row["date"]
            draft.url = "https://example.org/pac/\(row["id"] ?? "")"
            return draft
        }
        let (_, batch) = try Self.grouped(drafts, batch: drafts.count)
        let (_, single) = try Self.grouped(drafts, batch: 1)
        let moved = batch.subtracting(single).reduce(0) { $0 + $1.count }
        #expect(moved == 0, "\(moved) of \(drafts.count) articles are in events the batch does not make")
    }
}
