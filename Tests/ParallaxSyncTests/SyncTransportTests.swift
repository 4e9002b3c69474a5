import Crypto
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

/// What an attacker or a careless user can leave in a folder remote is skipped, named, and never
/// read whole, blocked on, or copied.
@Suite struct HostileFolderRemoteTests {
    @Test func testAFIFOAFolderAndAnOversizedNoteAreSkippedWithoutBlockingOrReading() throws {
        let directory = TemporaryDirectory()
        let remote = try FolderTransport(path: directory.path("remote"))
        let (laptop, phone) = try BundleTests.pair()
        try laptop.library.add(Fixtures.draft(1))
        _ = try laptop.sync.sync(through: remote)
        #expect(mkfifo(remote.location(of: "01zzzzzzzz-fifo.pxb"), 0o644) == 0)
        try FileManager.default.createDirectory(
            atPath: remote.location(of: "01zzzzzzzz-folder.pxb"), withIntermediateDirectories: true)
        let huge = remote.location(of: "01zzzzzzzz-applied-0000000000000000.pxv")
        FileManager.default.createFile(atPath: huge, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: huge))
        try handle.truncate(atOffset: 2 << 20)
        try handle.close()
        let report = try phone.sync.sync(through: remote)
        #expect(report.imported.count == 1)
        let reasons = Dictionary(
            uniqueKeysWithValues: report.skipped.map { (($0.path as NSString).lastPathComponent, $0.reason) })
        #expect(reasons["01zzzzzzzz-fifo.pxb"]?.contains("not a regular file") == true, "\(reasons)")
        #expect(reasons["01zzzzzzzz-folder.pxb"]?.contains("it is a folder") == true, "\(reasons)")
        #expect(
            reasons["01zzzzzzzz-applied-0000000000000000.pxv"]?.contains("larger than 1 MiB") == true,
            "\(reasons)")
        // Nothing was copied beside the library, and nothing is left there.
        let beside = try FileManager.default.contentsOfDirectory(atPath: phone.directory.url.path)
        #expect(!beside.contains { $0.hasPrefix(".parallax-sync-") }, "\(beside)")
    }

    @Test func testAnAddedFolderRemoteThatIsGoneIsNotMadeAgain() throws {
        let directory = TemporaryDirectory()
        let replica = try Replica()
        let remote = try SyncRemotes(library: replica.library).add(
            name: "usb", location: directory.path("stick"))
        #expect(throws: SyncError.self) {
            try remote.connect(with: RemoteCredentials(user: nil, password: nil))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path("stick")))
        _ = try remote.connect(with: RemoteCredentials(user: nil, password: nil), creating: true)
        #expect(FileManager.default.fileExists(atPath: directory.path("stick")))
    }

    @Test func testScratchFoldersOfSyncsThatDiedAreSweptAndOnlyThose() throws {
        let replica = try Replica()
        let dead = replica.directory.path(".parallax-sync-999999-deadbeef")
        let alive = replica.directory.path(".parallax-sync-\(getpid())-0000cafe")
        for folder in [dead, alive] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let remote = try FolderTransport(path: replica.directory.path("remote"))
        _ = try replica.sync.sync(through: remote)
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: alive))
    }

    @Test func testAPublishedVectorNamesADeviceToTrust() throws {
        let directory = TemporaryDirectory()
        let stranger = try Replica()
        let (name, data) = try stranger.sync.appliedVector()
        let path = directory.write(name, data)
        let replica = try Replica()
        let trusted = try replica.sync.trust(bundleAt: path)
        #expect(
            trusted.device == stranger.library.deviceID && trusted.fingerprint == stranger.sync.fingerprint)
    }

    @Test func testTheFolderOfAPathNeverTraps() {
        #expect(FilePaths.folder(of: "c") == "")
        #expect(FilePaths.folder(of: "/c") == "/")
        #expect(FilePaths.folder(of: "a/b") == "a")
        #expect(FilePaths.folder(of: "/a/b/") == "/a")
        #expect(FilePaths.folder(of: "/") == "/")
        #expect(FilePaths.folder(of: "") == "")
    }
}

extension HostileFolderRemoteTests {
    @Test func testADeviceWithoutTheKeyDoesNotPushPlaintextWhereOthersEncrypt() throws {
        let directory = TemporaryDirectory()
        let remote = try FolderTransport(path: directory.path("remote"))
        let (laptop, phone) = try BundleTests.pair()
        let key = SymmetricKey(size: .bits256)
        try laptop.library.add(Fixtures.draft(1))
        _ = try laptop.sync.sync(through: remote, encryptionKey: key)
        try phone.library.add(Fixtures.draft(2))
        // Refused every time, not only when the encrypted bundle is first seen: a pull that
        // records it, then a push, a compaction or a sync, each on its own.
        _ = try phone.sync.pull(from: remote)
        #expect(throws: SyncError.remoteEncrypted(location: remote.address)) {
            try phone.sync.push(to: remote)
        }
        #expect(throws: SyncError.remoteEncrypted(location: remote.address)) {
            try phone.sync.sync(through: remote, compact: true)
        }
        #expect(throws: SyncError.remoteEncrypted(location: remote.address)) {
            try phone.sync.sync(through: remote)
        }
        #expect(try remote.list().filter { $0.name.hasSuffix(".pxb") }.count == 1)
        let keyed = try phone.sync.sync(through: remote, encryptionKey: key)
        #expect(keyed.imported.count == 1 && keyed.written != nil)
    }
}
