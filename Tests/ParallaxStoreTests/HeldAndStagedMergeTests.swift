import Foundation
import GRDB
import ParallaxStore
import ParallaxTestSupport
import Testing

/// A merge holds a stream's records as they were decoded when they fit its budget, and stages
/// them in a temporary table when they do not. Both paths must merge in the same order and leave
/// the same library, to the clock.
@Suite struct HeldAndStagedMergeTests {
    /// Every stored row that a merge writes, rendered, by table.
    static func state(of library: Library) throws -> [String: [String]] {
        let database = try DatabaseQueue(path: library.path)
        defer { try? database.close() }
        return try database.read { db in
            var tables: [String: [String]] = [:]
            for table in ["item", "item_tag", "highlight", "field_clock", "device", "change"] {
                tables[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map(\.description)
                    .sorted()
            }
            return tables
        }
    }

    /// A library with one device's history: saves, tags (some outside ASCII, one added and removed
    /// in one change), notes, highlights, reading state and a removal.
    static func sender(seed: UInt64) throws -> TemporaryLibrary {
        let clock = TestClock()
        let sender = try TemporaryLibrary(
            environment: .simulated(clock: clock, seed: seed, machine: "sender"))
        let library = sender.library
        for number in 1...12 {
            let item = try library.add(Fixtures.draft(number)).item
            clock.advance(by: 7)
            var generator = SeededGenerator(seed: seed &* 1_000 &+ UInt64(number))
            let tags = ["é", "e\u{301}", "日本", "Zeta", "alpha", "ß"].shuffled(using: &generator)
            try library.apply(.tags(adding: Array(tags.prefix(3)), removing: []), to: [item.id])
            if number % 3 == 0 { try library.apply(.tags(adding: ["x"], removing: [tags[0]]), to: [item.id]) }
            if number % 2 == 0 { _ = try library.setNote(item.id, "A note on \(number), ✓") }
            if number % 4 == 0 {
                _ = try library.addHighlight(item.id, quote: "Paragraph one of article \(number)")
            }
            if number % 5 == 0 { try library.apply(.readingState(.read), to: [item.id]) }
            if number == 11 { try library.apply(.delete, to: [item.id]) }
            clock.advance(by: 61)
        }
        return sender
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func testHeldAndStagedRecordsMergeToTheSameLibrary(seed: UInt64) throws {
        let sender = try Self.sender(seed: seed)
        // Records travel as JSON, in which a progress of 1.0 reads back as the integer 1.
        let changes = try JSONDecoder().decode(
            ChangeSet.self, from: JSONEncoder().encode(try sender.library.changes()))
        var states: [[String: [String]]] = []
        for budget in [32 << 20, 0] {
            let clock = TestClock(start: Date(timeIntervalSince1970: 1_767_226_000))
            var environment = LibraryEnvironment.simulated(
                clock: clock, seed: seed + 100, machine: "receiver")
            environment.heldChangeBytes = budget
            let receiver = try TemporaryLibrary(deviceID: "receiver-device-0001", environment: environment)
            // An edit of its own to two of the same items, so the merge has notes to settle.
            let shared = try receiver.library.apply(changes.filtered(toItems: 2))
            #expect(shared.createdItems == 2)
            for item in try receiver.library.items() {
                _ = try receiver.library.setNote(item.id, "Receiver's note")
            }
            clock.advance(by: 30)
            let summary = try receiver.library.apply(changes)
            #expect(summary.createdItems == 10)
            states.append(try Self.state(of: receiver.library))
        }
        for table in states[0].keys.sorted() {
            let held = states[0][table] ?? [], staged = states[1][table] ?? []
            let differing = zip(held, staged).first { $0 != $1 }
            #expect(
                held.count == staged.count && differing == nil,
                "\(table): \(differing.map { "\($0) vs \($1)" } ?? "counts")")
        }
    }
}

extension ChangeSet {
    /// The changes of the first `count` items created, with their bodies.
    fileprivate func filtered(toItems count: Int) -> ChangeSet {
        let items = Set(records.filter { $0.entity == .item && $0.field == "*" }.prefix(count).map(\.item))
        var set = self
        set.records = records.filter { items.contains($0.item) }
        return set
    }
}
