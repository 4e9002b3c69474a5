import Crypto
import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// Ways two libraries could end up different for good, or lose a change, each pinned down by
/// the case that showed it. Replicas are compared on their clocks and vectors, not only exports.
@Suite struct DivergenceTests {
    /// Two paired replicas on test clocks, the laptop `ahead` seconds ahead of the phone.
    static func pair(ahead: TimeInterval = 0, seed: UInt64 = 1) -> (Replica, Replica, TestClock, TestClock) {
        let laptopClock = TestClock()
        let phoneClock = TestClock()
        laptopClock.advance(by: ahead)
        let replicas = try! Replica.pairedGroup(
            2,
            environments: [
                .simulated(clock: laptopClock, seed: seed), .simulated(clock: phoneClock, seed: seed + 1),
            ])
        return (replicas[0], replicas[1], laptopClock, phoneClock)
    }

    /// Adds articles to `replica` and sends them both ways, so both hold them.
    static func shared(_ numbers: [Int], on first: Replica, with second: Replica) throws -> [String] {
        let ids = try numbers.map { try first.library.add(Fixtures.draft($0)).item.id }
        try first.send(to: second)
        try second.send(to: first)
        return ids
    }

    /// Two rounds both ways: the second carries what merging the first wrote.
    static func settle(_ first: Replica, _ second: Replica) throws {
        try exchange(first, second)
        try exchange(first, second)
    }

    @Test func testNotesMergedFromAClockAheadReachTheSenderToo() throws {
        let (laptop, phone, _, _) = Self.pair(ahead: 3_600)
        let ids = try Self.shared([1, 2], on: laptop, with: phone)
        for (index, id) in ids.enumerated() { try phone.library.setNote(id, "Phone note \(index)") }
        for (index, id) in ids.enumerated() { try laptop.library.setNote(id, "Laptop note \(index)") }
        // The phone merges both conflicts in one transaction, then sends the merges back.
        try laptop.send(to: phone)
        try phone.send(to: laptop)
        try laptop.send(to: phone)
        #expect(try laptop.state() == phone.state())
        for id in ids {
            let note = try #require(try laptop.library.resolve(id).note)
            #expect(note.contains("Laptop note") && note.contains("Phone note"))
        }
    }

    @Test func testStaleBundleDoesNotReviveAReplacedNote() throws {
        let replicas = try Replica.pairedGroup(3)
        let (laptop, phone, tablet) = (replicas[0], replicas[1], replicas[2])
        let id = try laptop.library.add(Fixtures.draft(1)).item.id
        try laptop.library.setNote(id, "v1")
        let stale = try laptop.bundle(for: phone)
        // "v1" reaches the phone by way of the tablet; the phone then replaces it.
        try laptop.send(to: tablet)
        try tablet.send(to: phone)
        try phone.library.setNote(id, "v2")
        _ = try phone.sync.importBundle(at: stale)
        #expect(try phone.library.resolve(id).note == "v2")
        try phone.send(to: laptop)
        #expect(try laptop.library.resolve(id).note == "v2")
    }

    @Test func testConcurrentReadAndReadingMergeToAStateOneDeviceHad() throws {
        let (laptop, phone, _, phoneClock) = Self.pair()
        let id = try Self.shared([1], on: laptop, with: phone)[0]
        try laptop.library.mark(id, as: .read)
        // The phone's change is the later one, by a minute.
        phoneClock.advance(by: 60)
        try phone.library.mark(id, as: .reading, progress: 0.5)
        try Self.settle(laptop, phone)
        let item = try laptop.library.resolve(id)
        #expect(item.readingState == .read && item.progress == 1)
        #expect(try laptop.state() == phone.state())
        // A reset on one side still beats reading on concurrently on the other.
        try laptop.library.mark(id, as: .unread)
        try phone.library.mark(id, as: .read)
        try Self.settle(laptop, phone)
        let reset = try phone.library.resolve(id)
        #expect(reset.readingState == .unread && reset.progress == 0)
        #expect(try laptop.state() == phone.state())
        // A reset of the state alone (progress was already 0) beats a concurrent position too.
        try laptop.library.mark(id, as: .reading, progress: 0)
        try Self.settle(laptop, phone)
        try laptop.library.mark(id, as: .unread)
        phoneClock.advance(by: 60)
        try phone.library.mark(id, as: .reading, progress: 0.6)
        try Self.settle(laptop, phone)
        let stateReset = try phone.library.resolve(id)
        #expect(stateReset.readingState == .unread && stateReset.progress == 0)
        #expect(try laptop.state() == phone.state())
    }

    @Test func testImportThatOnlyObservesClocksKeepsThem() throws {
        let (laptop, phone, _, _) = Self.pair(ahead: 7_200)
        let id = try Self.shared([1], on: laptop, with: phone)[0]
        try laptop.library.mark(id, as: .reading, progress: 0.8)
        // The phone resets the item meanwhile: the laptop's progress loses, so nothing changes here.
        try phone.library.mark(id, as: .reading, progress: 0.5)
        try phone.library.mark(id, as: .unread)
        let version = try phone.library.currentVersion()
        try laptop.send(to: phone)
        #expect(try phone.library.currentVersion() == version)
        try phone.library.setFavorite(id, true)
        let laptopProgress = try #require(
            try laptop.library.changes().records.first { $0.field == "progress" })
        let favorite = try #require(try phone.library.changes().records.first { $0.field == "favorite" })
        #expect(favorite.hlc > laptopProgress.hlc, "the phone forgot the laptop's clock")
    }

    @Test func testBundleVectorClaimsNoChangeItDoesNotCarry() throws {
        let laptop = try Replica()
        let own = laptop.library.deviceID
        let done = LockedFlag()
        let finished = DispatchSemaphore(value: 0)
        let writer = Thread {
            var number = 0
            while !done.value && number < 2_000 {
                number += 1
                _ = try? laptop.library.add(Fixtures.draft(number))
            }
            finished.signal()
        }
        writer.start()
        defer {
            done.value = true
            finished.wait()
        }
        var since = VersionVector()
        for _ in 0..<40 {
            let (data, _) = try #require(try laptop.sync.exportBundle(since: since, allowEmpty: true))
            let (header, set) = try laptop.sync.verifiedBundle(at: laptop.directory.write("cut.pxb", data))
            let highest =
                set.records.filter { $0.device == own }.map(\.counter).max() ?? since.counters[own] ?? 0
            #expect(header.vector[own] ?? 0 == highest, "the bundle claims changes it does not carry")
            since = VersionVector(counters: header.vector)
        }
    }

    @Test func testRecordClaimingTheReceiversDeviceIsRefused() throws {
        let (laptop, phone, _, _) = Self.pair()
        let id = try Self.shared([1], on: laptop, with: phone)[0]
        try laptop.library.setFavorite(id, true)
        let (set, header) = try FaultTests.contents(of: laptop)
        var forged = set
        let index = try #require(forged.records.firstIndex { $0.field == "favorite" })
        forged.records[index].device = phone.library.deviceID
        forged.records[index].counter = 1_000_000
        // Outside what the header declares: the bundle is malformed.
        let path = try FaultTests.write(forged, header: header, signedBy: laptop, to: phone)
        #expect {
            try phone.sync.importBundle(at: path)
        } throws: { error in
            guard case SyncError.malformed(_, let reason) = error else { return false }
            return reason.contains("outside the range")
        }
        // Applied directly: the store refuses it too.
        #expect {
            try phone.library.apply(forged)
        } throws: { error in
            guard case LibraryError.invalidChange(_, _, _, let reason) = error else { return false }
            return reason.contains("of this device")
        }
        // The phone's own changes still go out.
        try phone.library.setArchived(id, true)
        let (_, sent) = try laptop.sync.verifiedBundle(at: try phone.bundle(for: laptop))
        #expect(sent.records.contains { $0.field == "archived" })
    }

    @Test func testNulCharacterIsNotStoredAndDoesNotStopSync() throws {
        let (laptop, phone, _, _) = Self.pair()
        var draft = Fixtures.draft(1)
        draft.text += "\u{0}After the NUL."
        draft.title += "\u{0}"
        let item = try laptop.library.add(draft).item
        try laptop.library.setNote(item.id, "A note\u{0} with a NUL")
        #expect(try laptop.library.text(of: item).contains("After the NUL."))
        #expect(try laptop.library.checkIntegrity().isEmpty)
        try laptop.send(to: phone)
        #expect(try laptop.state() == phone.state())
        #expect(try phone.library.resolve(item.id).note == "A note with a NUL")
    }

    @Test func testBadBundleInAFolderDoesNotBlockTheOthers() throws {
        let replicas = try Replica.pairedGroup(3)
        let (laptop, phone, tablet) = (replicas[0], replicas[1], replicas[2])
        let folder = TemporaryDirectory()
        try tablet.library.add(Fixtures.draft(2))
        _ = try tablet.sync.syncFolder(at: folder.url.path)
        // A bundle of the laptop's whose body holds a NUL: its records fit, but it cannot be stored.
        try laptop.library.add(Fixtures.draft(1))
        let text = "A body with a NUL\u{0} inside."
        let hash = ContentHash.of(text)
        var (set, header) = try FaultTests.contents(of: laptop)
        set.bodies = [hash: text]
        set.records[0].row?["body"] = .text(hash)
        let poisoned = try FaultTests.write(set, header: header, signedBy: laptop, to: phone)
        try FileManager.default.moveItem(atPath: poisoned, toPath: folder.path("laptop-poisoned.pxb"))
        let result = try phone.sync.syncFolder(at: folder.url.path)
        #expect(result.imported.count == 1)
        #expect(result.skipped.map { ($0.path as NSString).lastPathComponent } == ["laptop-poisoned.pxb"])
        #expect(try phone.library.items().map(\.title) == [Fixtures.draft(2).title])
    }
}

/// A flag two threads share.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = false
    var value: Bool {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
