import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// Copied and restored libraries, devices that trust different peers, and undo.
@Suite struct DeviceAndTrustTests {
    /// Syncs every replica through one folder until a round imports and writes nothing.
    static func syncUntilQuiet(_ replicas: [Replica], folder: TemporaryDirectory) throws -> [SyncReport] {
        var last: [SyncReport] = []
        for _ in 0..<6 {
            last = try replicas.map { try $0.sync.syncFolder(at: folder.url.path) }
            if last.allSatisfy({ $0.imported.isEmpty && $0.written == nil }) { return last }
        }
        Issue.record("the folder did not go quiet")
        return last
    }

    @Test func testCopiedLibraryTakesANewDeviceAndBothCopiesKeepSyncing() throws {
        let clock = TestClock()
        let replicas = try Replica.pairedGroup(
            2, environments: [.simulated(clock: clock, seed: 1), .simulated(clock: clock, seed: 2)])
        let (laptop, phone) = (replicas[0], replicas[1])
        let folder = TemporaryDirectory()
        let id = try laptop.library.add(Fixtures.draft(1)).item.id
        _ = try Self.syncUntilQuiet([laptop, phone], folder: folder)
        let copy = try Replica(
            copyOf: laptop, environment: .simulated(clock: clock, seed: 3, machine: "second-machine"))
        let succession = try #require(copy.library.succession)
        #expect(succession.previous == laptop.library.deviceID)
        #expect(copy.library.deviceID != laptop.library.deviceID)
        #expect(try copy.export() == laptop.export())
        try laptop.library.updateTags(id, adding: ["from-original"], removing: [])
        try copy.library.updateTags(id, adding: ["from-copy"], removing: [])
        let results = try Self.syncUntilQuiet([laptop, phone, copy], folder: folder)
        #expect(results.allSatisfy { $0.skipped.isEmpty })
        let states = try [laptop, phone, copy].map { try $0.state() }
        #expect(states[0] == states[1] && states[1] == states[2])
        #expect(try phone.library.resolve(id).tags == ["from-copy", "from-original"])
    }

    @Test func testRestoredBackupMovesToANewDeviceWhenAPeerKnowsMore() throws {
        let clock = TestClock()
        let laptopEnvironment = LibraryEnvironment.simulated(clock: clock, seed: 1)
        let phone = try Replica(environment: .simulated(clock: clock, seed: 2))
        let folder = TemporaryDirectory()
        let path = folder.path("laptop.sqlite")
        let id = try Self.laptopLostAfterABackup(at: path, environment: laptopEnvironment, phone: phone)
        let restored = try Library.open(at: path, environment: laptopEnvironment)
        let restoredSync = try LibrarySync(library: restored)
        #expect(restored.succession == nil, "same path, same machine: nothing tells yet")
        // Its next edit reuses a counter that the lost laptop had used for another change.
        try restored.setArchived(id, true)
        // The phone's bundle shows it: it was cut for what the lost laptop had seen, so it waits.
        let fromPhone = folder.write("b.pxb", try phone.sync.exportBundle(for: restored.deviceID).0)
        #expect(throws: LibraryError.self) { try restoredSync.importBundle(at: fromPhone) }
        let succession = try #require(restored.succession)
        #expect(succession.reason == .behindPeer(peer: phone.library.deviceID, claimed: 3, own: 2))
        try DeviceAndTrustTests.exchange(restored, restoredSync, with: phone, through: folder)
        let item = try phone.library.resolve(id)
        #expect(item.archived && item.favorite && item.note == "Written before the loss")
        let restoredItem = try restored.resolve(id)
        #expect(restoredItem == item, "\(restoredItem) \(item)")
        let (mine, theirs) = (try restored.changes(), try phone.library.changes())
        #expect(mine == theirs, "\(mine.records) \(theirs.records)")
    }

    /// Sends bundles both ways, twice, between a library opened outside a ``Replica`` and the phone.
    static func exchange(
        _ library: Library, _ sync: LibrarySync, with phone: Replica, through folder: TemporaryDirectory
    )
        throws
    {
        for _ in 0..<2 {
            _ = try phone.sync.importBundle(
                at: folder.write("c.pxb", try sync.exportBundle(for: phone.library.deviceID).0))
            _ = try sync.importBundle(
                at: folder.write("d.pxb", try phone.sync.exportBundle(for: library.deviceID).0))
        }
    }

    /// A laptop that saves an article, is backed up to `path`-backup, edits on and tells the
    /// phone, and is then lost: its backup is copied back to `path`.
    static func laptopLostAfterABackup(at path: String, environment: LibraryEnvironment, phone: Replica)
        throws -> String
    {
        let laptop = try Library.create(at: path, environment: environment)
        let laptopSync = try LibrarySync(library: laptop)
        _ = try laptopSync.trust(keyLine: phone.sync.publicKeyLine)
        _ = try phone.sync.trust(keyLine: laptopSync.publicKeyLine)
        let id = try laptop.add(Fixtures.draft(1)).item.id
        try laptop.backUp(to: path + "-backup")
        try laptop.setFavorite(id, true)
        try laptop.setNote(id, "Written before the loss")
        _ = try phone.sync.importBundle(at: phone.directory.write("a.pxb", try laptopSync.exportBundle().0))
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        try FileManager.default.copyItem(atPath: path + "-backup", toPath: path)
        return id
    }

    @Test func testDevicesThatTrustDifferentPeersStillSyncThroughAFolder() throws {
        let replicas = try Replica.pairedGroup(2)
        let (laptop, phone) = (replicas[0], replicas[1])
        let stranger = try Replica()
        // The laptop trusts the stranger; the phone does not.
        try laptop.trust(stranger)
        try stranger.trust(laptop)
        let folder = TemporaryDirectory()
        try stranger.library.add(Fixtures.draft(3))
        _ = try stranger.sync.syncFolder(at: folder.url.path)
        _ = try laptop.sync.syncFolder(at: folder.url.path)
        try laptop.library.add(Fixtures.draft(1))
        _ = try laptop.sync.syncFolder(at: folder.url.path)
        let result = try phone.sync.syncFolder(at: folder.url.path)
        #expect(result.skipped.allSatisfy { $0.reason.contains("does not trust") }, "\(result.skipped)")
        #expect(try phone.library.items().count == 2)
        #expect(try phone.state().changes == laptop.state().changes)
    }

    @Test func testRevokingALostPhoneDoesNotCutAMachineOffFromTheRest() throws {
        let replicas = try Replica.pairedGroup(3)
        let (laptop, desktop, lostPhone) = (replicas[0], replicas[1], replicas[2])
        let folder = TemporaryDirectory()
        try lostPhone.library.add(Fixtures.draft(3))
        _ = try Self.syncUntilQuiet(replicas, folder: folder)
        #expect(try laptop.sync.revoke(device: lostPhone.library.deviceID))
        try lostPhone.library.add(Fixtures.draft(4))
        _ = try lostPhone.sync.syncFolder(at: folder.url.path)
        _ = try desktop.sync.syncFolder(at: folder.url.path)
        try desktop.library.add(Fixtures.draft(2))
        _ = try desktop.sync.syncFolder(at: folder.url.path)
        let result = try laptop.sync.syncFolder(at: folder.url.path)
        #expect(result.skipped.allSatisfy { $0.reason.contains("was revoked") }, "\(result.skipped)")
        #expect(try laptop.library.items().contains { $0.title == Fixtures.draft(2).title })
    }

    @Test func testUndoRefusesToOverwriteALaterEdit() throws {
        let (laptop, phone) = try BundleTests.pair()
        let id = try laptop.library.add(Fixtures.draft(1)).item.id
        try laptop.send(to: phone)
        try laptop.library.setNote(id, "From the laptop")
        try laptop.send(to: phone)
        try phone.library.setNote(id, "Edited on the phone afterwards")
        #expect {
            try phone.sync.undoLastImport()
        } throws: { error in
            guard case LibraryError.cannotUndo(_, let reason) = error else { return false }
            return reason.contains("note")
        }
        #expect(try phone.library.resolve(id).note == "Edited on the phone afterwards")
    }

    @Test func testTwoUndosInARowRevertTwoImports() throws {
        let (laptop, phone) = try BundleTests.pair()
        let id = try laptop.library.add(Fixtures.draft(1)).item.id
        try laptop.send(to: phone)
        try laptop.library.setNote(id, "First")
        try laptop.send(to: phone)
        try laptop.library.setNote(id, "Second")
        try laptop.library.updateTags(id, adding: ["later"], removing: [])
        try laptop.send(to: phone)
        _ = try phone.sync.undoLastImport()
        #expect(try phone.library.resolve(id).note == "First")
        #expect(try phone.library.resolve(id).tags.isEmpty)
        _ = try phone.sync.undoLastImport()
        #expect(try phone.library.resolve(id).note == nil)
    }

    @Test func testUndoRefusesWhenTheImportsHistoryWasPruned() throws {
        let (laptop, phone) = try BundleTests.pair()
        let id = try laptop.library.add(Fixtures.draft(1)).item.id
        try laptop.send(to: phone)
        try laptop.library.setFavorite(id, true)
        try laptop.send(to: phone)
        for index in 0...256 { try phone.library.setArchived(id, index % 2 == 0) }
        #expect {
            try phone.sync.undoLastImport()
        } throws: { error in
            guard case LibraryError.cannotUndo(_, let reason) = error else { return false }
            return reason.contains("pruned")
        }
        #expect(try phone.library.resolve(id).favorite)
    }
}

/// A library this user can read but not write still answers the commands that only read.
@Suite struct ReadOnlyLibraryTests {
    @Test func testDoctorAndSyncStatusRunOnALibraryOpenedReadOnly() throws {
        let (laptop, phone) = try BundleTests.pair()
        try laptop.library.add(Fixtures.draft(1))
        try laptop.send(to: phone)
        let reader = try Library.open(at: phone.library.path, mode: .readOnly)
        #expect(try reader.checkIntegrity().isEmpty)
        let status = try LibrarySync(library: reader).status()
        #expect(status.device == phone.library.deviceID)
        #expect(status.receipts.count == 1)
    }
}
