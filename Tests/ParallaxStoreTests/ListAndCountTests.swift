import Foundation
import GRDB
import ParallaxTestSupport
import Testing

@testable import ParallaxStore

/// Lists page by key in either date order, and `stats` reads counts the write path keeps.
@Suite struct ListAndCountTests {
    /// Four items saved an hour apart, published in the opposite order but for one undated.
    static func library() throws -> (TemporaryLibrary, [String]) {
        let clock = TestClock()
        let temporary = try TemporaryLibrary(environment: .simulated(clock: clock, seed: 8))
        var ids: [String] = []
        for (number, published) in [(1, "2019-02-17"), (2, "2019-02-16"), (3, nil), (4, "2019-02-14")] {
            var draft = Fixtures.draft(number, source: number % 2 == 0 ? "Even Post" : "Odd Times")
            draft.published = published
            ids.append(try temporary.library.add(draft).item.id)
            clock.advance(by: 3600)
        }
        return (temporary, ids)
    }

    @Test func testListPagesByKeyInSavedOrPublishedOrder() throws {
        let (temporary, ids) = try Self.library()
        var filter = ItemFilter()
        #expect(try temporary.library.items(matching: filter).map(\.id) == ids.reversed())
        filter.order = .published
        // Item 3 has no publication date and sorts by its saving, in 2026.
        let published = [ids[2], ids[0], ids[1], ids[3]]
        #expect(try temporary.library.items(matching: filter).map(\.id) == published)
        filter.limit = 2
        let first = try temporary.library.items(matching: filter)
        filter.after = first.last?.id
        let second = try temporary.library.items(matching: filter)
        #expect((first + second).map(\.id) == published)
        filter.source = "odd times"
        filter.after = nil
        #expect(try temporary.library.items(matching: filter).map(\.id) == [ids[2], ids[0]])
        filter.after = "nonexistent"
        #expect(throws: LibraryError.unknownItem(reference: "nonexistent")) {
            try temporary.library.items(matching: filter)
        }
    }

    @Test func testShortIDsAreUniqueAmongNeighbours() throws {
        let (temporary, ids) = try Self.library()
        let short = try temporary.library.shortIDs(for: ids)
        for id in ids {
            let prefix = try #require(short[id])
            #expect(id.hasPrefix(prefix) && prefix.count >= ItemID.minimumShortLength)
            #expect(ids.filter { $0.hasPrefix(prefix) } == [id])
        }
    }

    @Test func testStatsAreKeptByTheWritePathAsRowsChange() throws {
        let (temporary, ids) = try Self.library()
        let library = temporary.library
        _ = try library.updateTags(ids[0], adding: ["energy", "europe"], removing: [])
        _ = try library.updateTags(ids[1], adding: ["energy"], removing: [])
        _ = try library.updateTags(ids[1], adding: [], removing: ["energy"])
        _ = try library.addHighlight(ids[0], quote: "officials discussed sanctions")
        let removed = try library.addHighlight(ids[1], quote: "officials discussed sanctions")
        try library.removeHighlight(removed.id)
        _ = try library.mark(ids[2], as: .read)
        _ = try library.setArchived(ids[3], true)
        _ = try library.setFavorite(ids[3], true)
        var stats = try library.statistics()
        #expect(stats.items == 4 && stats.unread == 3 && stats.read == 1 && stats.deleted == 0)
        #expect(stats.archived == 1 && stats.favorite == 1 && stats.highlights == 1)
        #expect(stats.tags.map { "\($0.name) \($0.count)" } == ["energy 1", "europe 1"])
        #expect(stats.sources.map { "\($0.name) \($0.count)" } == ["Even Post 2", "Odd Times 2"])
        // Removing an item takes its tags, highlights, words and states out of the counts.
        let words = stats.words
        let gone = try library.delete(ids[0])
        stats = try library.statistics()
        #expect(stats.items == 3 && stats.deleted == 1 && stats.unread == 2 && stats.highlights == 0)
        #expect(stats.tags.isEmpty && stats.words == words - gone.wordCount)
        #expect(stats.sources.map { "\($0.name) \($0.count)" } == ["Even Post 2", "Odd Times 1"])
        #expect(try library.checkIntegrity().isEmpty)
    }

    @Test func testDoctorFindsCountsThatDriftedAndRepairRecounts() throws {
        let (temporary, _) = try Self.library()
        try temporary.library.database.write { db in
            try db.execute(sql: "UPDATE item_count SET count = count + 5 WHERE kind = 'items'")
        }
        let problems = try temporary.library.checkIntegrity()
        #expect(problems.map(\.check) == ["counts"], "\(problems)")
        #expect(try temporary.library.checkIntegrity(rebuildSearchIndex: true).isEmpty)
        #expect(try temporary.library.statistics().items == 4)
    }
}
