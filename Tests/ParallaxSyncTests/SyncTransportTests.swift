import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// Sync goes through a transport (list, read, write-then-rename, delete), so any place that can
/// hold files can be a remote; a folder is one.
@Suite struct SyncTransportTests {
    @Test func testThreeDevicesConvergeThroughAnyTransport() throws {
        let replicas = try Replica.pairedGroup(3)
        let remote = MemoryRemote()
        for (index, replica) in replicas.enumerated() { try replica.library.add(Fixtures.draft(index + 1)) }
        for replica in replicas { _ = try replica.sync.sync(through: remote) }
        try replicas[1].library.setNote(try replicas[0].library.items()[0].id, "from the phone")
        for _ in 0..<3 {
            for replica in replicas { _ = try replica.sync.sync(through: remote) }
        }
        let quiet = try replicas[0].sync.sync(through: remote)
        #expect(quiet.written == nil && quiet.imported.isEmpty)
        #expect(try replicas[1].state() == replicas[0].state())
        #expect(try replicas[2].state() == replicas[0].state())
        #expect(try remote.list().allSatisfy { $0.name.hasSuffix(".pxb") || $0.name.hasSuffix(".pxv") })
    }

    @Test func testABundleImportsFromItsBytesWhereverTheyCameFrom() throws {
        let (laptop, phone) = try BundleTests.pair()
        try laptop.library.add(Fixtures.draft(1))
        let (data, _) = try laptop.sync.exportBundle(for: phone.library.deviceID)
        let imported = try phone.sync.importBundle(data, name: "https://dav.example/parallax/one.pxb")
        #expect(imported.summary.createdItems == 1 && imported.path == "https://dav.example/parallax/one.pxb")
        var damaged = data
        damaged[damaged.count / 2] ^= 0xFF
        #expect(throws: SyncError.self) { try phone.sync.importBundle(damaged, name: "damaged.pxb") }
    }

    @Test func testAFolderRemoteDeletesWhatItIsAskedToAndRefusesAFile() throws {
        let directory = TemporaryDirectory()
        let folder = try FolderTransport(path: directory.path("remote"))
        let (laptop, _) = try BundleTests.pair()
        try laptop.library.add(Fixtures.draft(1))
        let written = try #require(try laptop.sync.sync(through: folder).written)
        let name = (written as NSString).lastPathComponent
        #expect(try folder.list().map(\.name).filter { $0.hasSuffix(".pxb") } == [name])
        try folder.delete(name)
        try folder.delete(name)
        #expect(try folder.list().allSatisfy { !$0.name.hasSuffix(".pxb") })
        let file = directory.write("not-a-folder", Data("x".utf8))
        #expect(throws: LibraryError.self) { try FolderTransport(path: file) }
    }
}
