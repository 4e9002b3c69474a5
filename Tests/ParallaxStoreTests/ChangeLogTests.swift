import Foundation
import GRDB
import ParallaxTestSupport
import Testing

@testable import ParallaxStore

@Suite struct ChangeLogTests {
    /// Every public write path, in an order that exercises each on fresh and changed rows.
    static func operations(_ library: Library) -> [(String, () throws -> Void)] {
        var ids: [String] = []
        var highlightID = ""
        return [
            ("add", { ids.append(try library.add(Fixtures.draft(1)).item.id) }),
            (
                "add with state",
                {
                    var draft = Fixtures.draft(2)
                    draft.tags = ["venezuela", "later"]
                    draft.note = "first note"
                    draft.readingState = .reading
                    draft.progress = 0.25
                    draft.favorite = true
                    draft.highlights = [HighlightDraft(quote: "officials discussed", note: "verb")]
                    ids.append(try library.add(draft).item.id)
                }
            ),
            (
                "bulk add",
                {
                    try library.add(contentsOf: (3...5).map { .success(Fixtures.draft($0)) }) { _, outcome in
                        if case .success(let added) = outcome { ids.append(added.item.id) }
                    }
                }
            ),
            (
                "force",
                {
                    var revised = Fixtures.draft(1)
                    revised.title = "Revised"
                    revised.text += "\n\nUpdated."
                    _ = try library.add(revised, force: true)
                }
            ),
            ("mark", { try library.mark(ids[0], as: .reading, progress: 0.5) }),
            ("open", { try library.open(ids[2]) }),
            ("archive", { try library.setArchived(ids[1], true) }),
            ("favorite", { try library.setFavorite(ids[0], true) }),
            ("tags", { try library.updateTags(ids[1], adding: ["framing"], removing: ["later"]) }),
            ("note", { try library.setNote(ids[0], "a note") }),
            ("clear note", { try library.setNote(ids[1], nil) }),
            (
                "highlight",
                { highlightID = try library.addHighlight(ids[0], quote: "differs from every other").id }
            ),
            ("unhighlight", { try library.removeHighlight(highlightID) }),
            ("delete", { try library.delete(ids[3]) }),
            ("undelete", { try library.restore(ids[3]) }),
            ("delete again", { try library.delete(ids[4]) }),
            ("restore to version", { try library.restore(ids[0], to: 1) }),
            ("mark read", { try library.mark(ids[1], as: .read) }),
            ("event correction", { try library.setEvent(ids[0], of: [ids[0], ids[1]]) }),
        ]
    }

    @Test func testReplayingTheLogAfterEveryOperationReproducesTheExport() throws {
        let source = try TemporaryLibrary()
        let replica = try TemporaryLibrary()
        for (name, operation) in Self.operations(source.library) {
            try operation()
            let missing = try source.library.changes(since: replica.library.versionVector())
            try replica.library.apply(missing)
            #expect(try replica.export() == source.export(), "replica diverged after \(name)")
        }
        let fresh = try TemporaryLibrary()
        try fresh.library.apply(source.library.changes())
        #expect(try fresh.export() == source.export())
        #expect(try fresh.library.checkIntegrity().isEmpty)
    }

    @Test func testApplyingTheSameChangesTwiceChangesNothing() throws {
        let source = try TemporaryLibrary()
        for (_, operation) in Self.operations(source.library) { try operation() }
        let replica = try TemporaryLibrary()
        let changes = try source.library.changes()
        try replica.library.apply(changes)
        let once = try replica.export()
        let version = try replica.library.currentVersion()
        let second = try replica.library.apply(changes)
        #expect(second.applied == 0)
        #expect(try replica.export() == once)
        #expect(try replica.library.currentVersion() == version)
    }

    @Test func testConcurrentEditsConvergeWhicheverWayTheyTravel() throws {
        let laptop = try TemporaryLibrary(deviceID: "laptop")
        let phone = try TemporaryLibrary(deviceID: "phone")
        let id = try laptop.library.add(Fixtures.draft(1)).item.id
        try phone.library.apply(laptop.library.changes())
        try laptop.library.setNote(id, "from the laptop")
        try laptop.library.mark(id, as: .read)
        try phone.library.setNote(id, "from the phone")
        try phone.library.updateTags(id, adding: ["phone"], removing: [])
        let fromLaptop = try laptop.library.changes(since: phone.library.versionVector())
        let fromPhone = try phone.library.changes(since: laptop.library.versionVector())
        try laptop.library.apply(fromPhone)
        try phone.library.apply(fromLaptop)
        #expect(try laptop.export() == phone.export())
        let merged = try laptop.library.resolve(id)
        #expect(merged.tags == ["phone"])
        #expect(merged.readingState == .read)
    }

    @Test func testEveryChangeIsStampedInTheSameTransaction() throws {
        let temporary = try TemporaryLibrary()
        let id = try temporary.library.add(Fixtures.draft(1)).item.id
        try temporary.library.setFavorite(id, true)
        let counters = try temporary.library.database.read { db in
            [
                try Int.fetchOne(
                    db, sql: "SELECT counter FROM field_clock WHERE entity = 'item' AND field = 'favorite'"),
                try Int.fetchOne(db, sql: "SELECT version FROM library"),
                try Int.fetchOne(db, sql: "SELECT max_counter FROM device"),
            ]
        }
        #expect(counters == [2, 2, 2])
        // Setting the same value again is not a change.
        try temporary.library.setFavorite(id, true)
        #expect(try temporary.library.currentVersion() == 2)
    }

    @Test func testHistoryIsBounded() throws {
        let temporary = try TemporaryLibrary()
        let id = try temporary.library.add(Fixtures.draft(1)).item.id
        for index in 0..<(ChangeWriter.historyLimit + 40) {
            try temporary.library.setFavorite(id, index % 2 == 0)
        }
        let entries = try temporary.library.history(of: id).entries
        #expect(entries.count == ChangeWriter.historyLimit)
        #expect(entries.last?.version == ChangeWriter.historyLimit + 41)
    }

    @Test func testClockStaysMonotonicWhenTheWallClockStepsBack() {
        final class WallClock: @unchecked Sendable { var now = Date(timeIntervalSince1970: 1_000_000) }
        let wall = WallClock()
        var clock = HybridLogicalClock(latest: HybridTimestamp(rawValue: 0), wallClock: { wall.now })
        let first = clock.tick()
        wall.now = Date(timeIntervalSince1970: 999_000)
        let second = clock.tick()
        #expect(second > first)
        #expect(second.milliseconds == first.milliseconds)
        clock.receive(HybridTimestamp(milliseconds: 2_000_000_000, logical: 3))
        #expect(clock.tick() > HybridTimestamp(milliseconds: 2_000_000_000, logical: 3))
    }

    @Test func testInvalidChangeSetIsRefusedWhole() throws {
        let source = try TemporaryLibrary()
        try source.library.add(Fixtures.draft(1))
        var changes = try source.library.changes()
        changes.bodies = changes.bodies.mapValues { $0 + " tampered" }
        let replica = try TemporaryLibrary()
        #expect(throws: LibraryError.self) { try replica.library.apply(changes) }
        #expect(try replica.export().isEmpty)
    }
}
