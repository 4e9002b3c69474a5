import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// The merge rule of each kind of field (docs/bundle-format.md, "Merge rules").
@Suite struct MergeRuleTests {
    /// Two replicas on one test clock that share one item, then diverge.
    static func sharedItem() throws -> (Replica, Replica, String, TestClock) {
        let clock = TestClock()
        let replicas = try Replica.pairedGroup(
            2, environments: [.simulated(clock: clock, seed: 1), .simulated(clock: clock, seed: 2)])
        let (laptop, phone) = (replicas[0], replicas[1])
        let id = try laptop.library.add(Fixtures.draft(1)).item.id
        try laptop.send(to: phone)
        try phone.send(to: laptop)
        return (laptop, phone, id, clock)
    }

    static func exchange(_ first: Replica, _ second: Replica) throws {
        try ParallaxSyncTests.exchange(first, second)
    }

    @Test func testProgressKeepsTheFurthestPosition() throws {
        let (laptop, phone, id, clock) = try Self.sharedItem()
        try laptop.library.mark(id, as: .reading, progress: 0.4)
        try phone.library.mark(id, as: .reading, progress: 0.7)
        clock.advance(by: 5)
        try laptop.library.mark(id, as: .reading, progress: 0.5)
        try Self.exchange(laptop, phone)
        #expect(try laptop.library.resolve(id).progress == 0.7)
        #expect(try phone.state() == laptop.state())
    }

    @Test func testLaterResetBeatsAConcurrentAdvance() throws {
        let (laptop, phone, id, clock) = try Self.sharedItem()
        try laptop.library.mark(id, as: .reading, progress: 0.6)
        try Self.exchange(laptop, phone)
        try laptop.library.mark(id, as: .reading, progress: 0.9)
        clock.advance(by: 5)
        try phone.library.mark(id, as: .unread)
        try Self.exchange(laptop, phone)
        #expect(try laptop.library.resolve(id).progress == 0)
        // Reading on after the reset counts again.
        try laptop.library.mark(id, as: .reading, progress: 0.2)
        try Self.exchange(laptop, phone)
        #expect(try phone.library.resolve(id).progress == 0.2)
        #expect(try phone.state() == laptop.state())
    }

    @Test func testConcurrentTagAddSurvivesALaterRemoval() throws {
        let (laptop, phone, id, clock) = try Self.sharedItem()
        try laptop.library.updateTags(id, adding: ["x"], removing: [])
        try Self.exchange(laptop, phone)
        // The laptop removes and re-adds the tag; the phone, not knowing, removes it later in time.
        try laptop.library.updateTags(id, adding: [], removing: ["x"])
        try laptop.library.updateTags(id, adding: ["x"], removing: [])
        clock.advance(by: 5)
        try phone.library.updateTags(id, adding: [], removing: ["x"])
        try Self.exchange(laptop, phone)
        #expect(try laptop.library.resolve(id).tags == ["x"])
        #expect(try phone.state() == laptop.state())
        // A removal that saw the add removes it everywhere.
        try phone.library.updateTags(id, adding: [], removing: ["x"])
        try Self.exchange(laptop, phone)
        #expect(try laptop.library.resolve(id).tags.isEmpty)
    }

    @Test func testConcurrentNoteEditsBothSurvive() throws {
        let (laptop, phone, id, clock) = try Self.sharedItem()
        try laptop.library.setNote(id, "Compare the verbs.")
        clock.advance(by: 5)
        try phone.library.setNote(id, "Check the sources.")
        try Self.exchange(laptop, phone)
        try Self.exchange(laptop, phone)
        let note = try #require(try laptop.library.resolve(id).note)
        #expect(note.hasPrefix("Check the sources."))
        #expect(note.contains("Compare the verbs."))
        #expect(note.contains("Conflicting edit"))
        #expect(try phone.state() == laptop.state())
        // A later edit that saw both simply replaces the note.
        try phone.library.setNote(id, "Merged by hand.")
        try Self.exchange(laptop, phone)
        #expect(try laptop.library.resolve(id).note == "Merged by hand.")
    }

    @Test func testEditAfterDeleteKeepsTheItemRemovedWithTheEdit() throws {
        let (laptop, phone, id, _) = try Self.sharedItem()
        try laptop.library.delete(id)
        try Self.exchange(laptop, phone)
        try phone.library.setNote(id, "Edited after it was removed")
        try Self.exchange(laptop, phone)
        let item = try laptop.library.resolve(id)
        #expect(item.deleted && item.note == "Edited after it was removed")
        try laptop.library.restore(id)
        try Self.exchange(laptop, phone)
        #expect(try phone.library.items().map(\.note) == ["Edited after it was removed"])
        #expect(try phone.state() == laptop.state())
    }

    @Test func testConcurrentRestoreAndEditBothApply() throws {
        let (laptop, phone, id, _) = try Self.sharedItem()
        try laptop.library.delete(id)
        try Self.exchange(laptop, phone)
        try laptop.library.restore(id)
        try phone.library.setFavorite(id, true)
        try Self.exchange(laptop, phone)
        let item = try phone.library.resolve(id)
        #expect(!item.deleted && item.favorite)
    }
}
