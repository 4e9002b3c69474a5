import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// Sync goes through a transport (list, read, write-then-rename, delete), so any place that can
/// hold files can be a remote; a folder is one.
@Suite struct SyncTransportTests {
    /// A remote held in memory, that counts what is asked of it.
    final class MemoryTransport: SyncTransport, @unchecked Sendable {
        private let lock = NSLock()
        private var files: [String: Data] = [:]
        private(set) var reads = 0

        func list() throws -> [String] { lock.withLock { Array(files.keys) } }
        func read(_ name: String) throws -> Data {
            try lock.withLock {
                reads += 1
                guard let data = files[name] else {
                    throw SyncError.malformed(path: name, reason: "no such file")
                }
                return data
            }
        }
        func write(_ name: String, _ data: Data) throws { lock.withLock { files[name] = data } }
        func delete(_ name: String) throws { _ = lock.withLock { files.removeValue(forKey: name) } }
        func location(of name: String) -> String { "memory:\(name)" }
    }

    @Test func testThreeDevicesConvergeThroughAnyTransport() throws {
        let replicas = try Replica.pairedGroup(3)
        let remote = MemoryTransport()
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
        #expect(try remote.list().allSatisfy { $0.hasSuffix(".pxb") })
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
        #expect(try folder.list() == [name])
        try folder.delete(name)
        try folder.delete(name)
        #expect(try folder.list().isEmpty)
        let file = directory.write("not-a-folder", Data("x".utf8))
        #expect(throws: LibraryError.self) { try FolderTransport(path: file) }
    }
}
