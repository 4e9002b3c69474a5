import Foundation
import GRDB
import ParallaxTestSupport
import Testing

@testable import ParallaxStore

/// A draft that fails in a bulk add fails alone, and leaves nothing of itself behind.
@Suite struct BulkAddTests {
    static func draft(_ number: Int, word: String) -> ItemDraft {
        var draft = Fixtures.draft(number)
        draft.text += "\n\nOnly this one mentions the \(word)."
        return draft
    }

    @Test func testDraftWithABadHighlightDateFailsAloneAndIsNotSearchable() throws {
        let temporary = try TemporaryLibrary()
        var bad = Self.draft(2, word: "zebrafish")
        bad.highlights = [HighlightDraft(quote: "Paragraph one", created: "last Tuesday")]
        let drafts: [Result<ItemDraft, any Error>] = [
            .success(Self.draft(1, word: "aardvark")), .success(bad),
            .success(Self.draft(3, word: "capybara")),
        ]
        var failures: [Int] = []
        try temporary.library.add(contentsOf: drafts) { index, outcome in
            if case .failure = outcome { failures.append(index) }
        }
        #expect(failures == [1])
        #expect(try temporary.library.search("zebrafish").isEmpty)
        #expect(try temporary.library.search("capybara").map(\.item.title) == [Fixtures.draft(3).title])
        #expect(try temporary.library.checkIntegrity().isEmpty)
    }

    @Test func testLongArticlesShareATransactionOnlyUpToTheBatchTextLimit() throws {
        let temporary = try TemporaryLibrary()
        let library = temporary.library
        let before = try library.currentVersion()
        // Six articles of 6 MiB: three fill a batch's 16 MiB, whatever the count limit.
        let paragraph = String(repeating: "A long paragraph of a very long article. ", count: 150_000)
        let drafts = (1...6).map { number -> Result<ItemDraft, any Error> in
            var draft = Fixtures.draft(number)
            draft.text = "Article \(number).\n\n" + paragraph
            return .success(draft)
        }
        var added = 0
        try library.add(contentsOf: drafts) { _, outcome in
            if case .success(.added) = outcome { added += 1 }
        }
        #expect(added == 6)
        #expect(try library.currentVersion() - before == 2)
    }

    @Test func testBulkAddReadsNoMoreThanThreeBatchesAheadOfWhatItHasSaved() throws {
        let temporary = try TemporaryLibrary()
        let read = LockedValue(0)
        let drafts = (1...300).lazy.map { number -> Result<ItemDraft, any Error> in
            read.value += 1
            return .success(Fixtures.draft(number))
        }
        var furthestAhead = 0
        try temporary.library.add(contentsOf: drafts, batchSize: 10) { index, _ in
            furthestAhead = max(furthestAhead, read.value - (index + 1))
        }
        // The batch being written, the one waiting and the one being prepared: memory is bounded
        // by the batch size, not by the number of drafts.
        #expect(furthestAhead < 30)
        #expect(read.value == 300)
    }

    @Test func testRolledBackSavepointTakesItsQueuedIndexRowsWithIt() throws {
        let temporary = try TemporaryLibrary()
        let library = temporary.library
        struct Refused: Error {}
        try library.write("test a savepoint") { writer in
            for (number, word) in [(1, "zebrafish"), (2, "capybara")] {
                let draft = try PreparedDraft(Self.draft(number, word: word))
                _ = try? writer.inSavepoint {
                    try writer.storeBody(draft.draft.text, hash: draft.hash)
                    _ = try writer.insertItem(
                        id: library.environment.makeID(), saved: "2026-01-01T00:00:00Z",
                        values: [.title: draft.draft.title.databaseValue, .body: draft.hash.databaseValue],
                        text: draft.draft.text)
                    if word == "zebrafish" { throw Refused() }
                }
            }
        }
        #expect(try library.search("zebrafish").isEmpty)
        #expect(try library.search("capybara").map(\.item.title) == [Fixtures.draft(2).title])
        #expect(try library.checkIntegrity().isEmpty)
    }
}

/// A body stored other than it was hashed, as earlier versions stored a text with a NUL.
@Suite struct BodyRepairTests {
    @Test func testRepairGivesACutBodyTheHashOfItsTextAndSyncsIt() throws {
        let temporary = try TemporaryLibrary()
        let library = temporary.library
        let item = try library.add(Fixtures.draft(1)).item
        let version = try library.currentVersion()
        try library.database.writeWithoutTransaction { db in
            try db.execute(sql: "UPDATE body SET text = substr(text, 1, 40)")
        }
        #expect(try library.checkIntegrity().map(\.check).contains("bodies"))
        #expect(try library.repairBodies() == 1)
        // The index was built from the whole text, as it was then; `doctor --repair` rebuilds it too.
        #expect(try library.checkIntegrity(rebuildSearchIndex: true).isEmpty)
        let set = try library.changes(since: VersionVector(counters: [library.deviceID: version]))
        #expect(set.records.map(\.field) == ["body"])
        #expect(set.bodies.allSatisfy { ContentHash.of($0.value) == $0.key })
        #expect(try library.resolve(item.id).contentHash == set.bodies.keys.first)
    }
}

extension BodyRepairTests {
    @Test func testRepairKeepsTheTextAfterANulStoredInsideABody() throws {
        let temporary = try TemporaryLibrary()
        let library = temporary.library
        let draft = Fixtures.draft(1)
        let item = try library.add(draft).item
        // The whole text with a NUL inside, as SQLite can hold it when given the bytes.
        try library.database.writeWithoutTransaction { db in
            try db.execute(
                sql: "UPDATE body SET text = CAST(? AS TEXT)",
                arguments: [Data("Paragraph\u{0}".utf8) + Data(draft.text.dropFirst("Paragraph".count).utf8)])
        }
        #expect(try library.checkIntegrity().map(\.check).contains("bodies"))
        #expect(try library.repairBodies() == 1)
        #expect(try library.checkIntegrity(rebuildSearchIndex: true).isEmpty)
        #expect(try library.text(of: item) == draft.text)
        #expect(try library.resolve(item.id).contentHash == item.contentHash)
    }
}
