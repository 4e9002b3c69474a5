import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// A library restored from a backup on its own machine (docs/bundle-format.md, "Device ids").
@Suite struct RestoredBackupTests {
    /// An environment that keeps this machine's marks in a folder of its own.
    static func environment(clock: TestClock, state: TemporaryDirectory) -> LibraryEnvironment {
        var environment = LibraryEnvironment.simulated(clock: clock, seed: 1)
        environment.stateFolder = state.path("state")
        return environment
    }

    @Test func aRestoredBackupThatOutworksTheLostOriginalStillReachesItsPeers() throws {
        let clock = TestClock()
        let state = TemporaryDirectory()
        let laptopEnvironment = Self.environment(clock: clock, state: state)
        let phone = try Replica(environment: .simulated(clock: clock, seed: 2))
        let folder = TemporaryDirectory()
        let path = folder.path("laptop.sqlite")
        let id = try DeviceAndTrustTests.laptopLostAfterABackup(
            at: path, environment: laptopEnvironment, phone: phone)
        let restored = try Library.open(at: path, environment: laptopEnvironment)
        let succession = try #require(restored.succession)
        #expect(succession.reason == .restored(seen: 3, own: 1))
        // More changes than the lost laptop made after the backup: its counters would all be reused.
        try restored.setArchived(id, true)
        try restored.updateTags(id, adding: ["a"], removing: [])
        try restored.updateTags(id, adding: ["b"], removing: [])
        try restored.mark(id, as: .read)
        let restoredSync = try LibrarySync(library: restored)
        try DeviceAndTrustTests.exchange(restored, restoredSync, with: phone, through: folder)
        let item = try phone.library.resolve(id)
        #expect(item.archived && item.tags == ["a", "b"] && item.readingState == .read)
        // What the lost laptop had sent the phone comes back to the restored one.
        #expect(item.favorite && item.note == "Written before the loss")
        #expect(try restored.resolve(id) == item)
        #expect(try restored.changes() == phone.library.changes())
    }

    @Test func reopeningALibraryThatWasNotRestoredKeepsItsDeviceID() throws {
        let clock = TestClock()
        let state = TemporaryDirectory()
        let environment = Self.environment(clock: clock, state: state)
        let folder = TemporaryDirectory()
        let path = folder.path("laptop.sqlite")
        let library = try Library.create(at: path, environment: environment)
        try library.add(Fixtures.draft(1))
        let reopened = try Library.open(at: path, environment: environment)
        #expect(reopened.succession == nil && reopened.deviceID == library.deviceID)
        try reopened.add(Fixtures.draft(2))
        #expect(try Library.open(at: path, environment: environment).succession == nil)
    }

    @Test func anUnwritableStateFolderNeverFailsAWrite() throws {
        let clock = TestClock()
        let folder = TemporaryDirectory()
        var environment = LibraryEnvironment.simulated(clock: clock, seed: 1)
        // A file where the folder should be: no mark can be written under it.
        environment.stateFolder = folder.write("state", "not a folder")
        let library = try Library.create(at: folder.path("library.sqlite"), environment: environment)
        #expect(try library.add(Fixtures.draft(1)).item.title.isEmpty == false)
        #expect(
            try Library.open(at: folder.path("library.sqlite"), environment: environment).succession == nil)
    }
}
