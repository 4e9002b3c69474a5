import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// However many files a remote names, and whatever it names them, one sync checks a bounded
/// number, only by names Parallax writes, and does not fetch again at once what failed.
@Suite struct RemoteListingTests {
    /// Junk under a bundle's name: it is read, and does not check.
    static func junk(_ remote: MemoryRemote, count: Int, from start: Int = 0, bytes: Int = 4) throws {
        for index in start..<(start + count) {
            try remote.write(
                String(format: "0123456789-junk%06d.pxb", index), Data(repeating: 0x6A, count: bytes))
        }
    }

    @Test func oneSyncChecksAtMostItsBoundAndAFileThatFailedWaitsLongerEachTime() throws {
        let clock = TestClock()
        let replica = try Replica(environment: .simulated(clock: clock, seed: 7))
        let remote = MemoryRemote()
        let bound = RemoteSession.maximumChecks
        try Self.junk(remote, count: bound + 10)
        let first = try replica.sync.pull(from: remote)
        #expect(remote.reads == bound)
        #expect(first.skipped.contains { $0.reason.contains("10 new files wait for the next sync") })
        _ = try replica.sync.pull(from: remote)
        #expect(remote.reads == bound + 10, "only the files not tried yet")
        let waiting = try replica.sync.pull(from: remote)
        #expect(remote.reads == bound + 10, "every file waits for its next try")
        #expect(waiting.skipped.contains { $0.reason.contains("tried again after") }, "\(waiting.skipped)")
        clock.advance(by: RemoteCatalog.retryDelay(failures: 1) + 1)
        _ = try replica.sync.pull(from: remote)
        _ = try replica.sync.pull(from: remote)
        #expect(remote.reads == 2 * (bound + 10), "each tried again once, a bound at a time")
        clock.advance(by: RemoteCatalog.retryDelay(failures: 1) + 1)
        _ = try replica.sync.pull(from: remote)
        #expect(remote.reads == 2 * (bound + 10), "the second wait is longer")
        #expect(RemoteCatalog.retryDelay(failures: 2) > RemoteCatalog.retryDelay(failures: 1))
        #expect(RemoteCatalog.retryDelay(failures: 60) == RemoteCatalog.retryDelay(failures: 61))
    }

    @Test func aFileFromADeviceTrustedSinceItFailedIsImportedAtOnce() throws {
        let remote = MemoryRemote()
        let stranger = try Replica()
        try stranger.library.add(Fixtures.draft(1))
        _ = try stranger.sync.sync(through: remote)
        let replica = try Replica()
        #expect(try replica.sync.pull(from: remote).imported.isEmpty)
        try replica.trust(stranger)
        #expect(try replica.sync.pull(from: remote).imported.count == 1)
    }

    @Test func aForgeryInATrustedDevicesNameWaitsLikeAnyFailure() throws {
        let remote = MemoryRemote()
        let (laptop, phone) = try BundleTests.pair()
        // Another key under the phone's device id: the laptop trusts the id with the phone's key.
        let directory = TemporaryDirectory()
        let impostor = try LibrarySync(
            library: Library.create(at: directory.path("impostor.sqlite"), deviceID: phone.library.deviceID))
        try impostor.library.add(Fixtures.draft(1))
        _ = try impostor.sync(through: remote)
        let reads = remote.reads
        let first = try laptop.sync.pull(from: remote)
        #expect(first.skipped.contains { $0.reason.contains("does not trust") }, "\(first.skipped)")
        let checked = remote.reads
        #expect(checked > reads)
        _ = try laptop.sync.pull(from: remote)
        #expect(remote.reads == checked, "the forgery is not fetched again at once")
    }

    @Test func aFileWhoseSizeChangedIsTriedAgainAtOnce() throws {
        let replica = try Replica()
        let remote = MemoryRemote()
        try Self.junk(remote, count: 1)
        _ = try replica.sync.pull(from: remote)
        _ = try replica.sync.pull(from: remote)
        #expect(remote.reads == 1)
        try Self.junk(remote, count: 1, bytes: 8)
        _ = try replica.sync.pull(from: remote)
        #expect(remote.reads == 2)
    }

    @Test func aFolderRemoteIgnoresNamesParallaxNeverWrites() throws {
        let directory = TemporaryDirectory()
        let folder = try FolderTransport(path: directory.path("remote"))
        for name in [
            "0123456789-a\nb.pxb", "0123456789-\u{FC}.pxb", "0123456789-a b.pxb",
            "0123456789-a\u{1B}]0;x.pxb",
        ] {
            #expect(
                FileManager.default.createFile(atPath: folder.location(of: name), contents: Data("junk".utf8))
            )
        }
        let report = try Replica().sync.pull(from: folder)
        #expect(report.skipped.isEmpty, "\(report.skipped)")
        _ = directory.write("outside.pxb", Data("secret".utf8))
        #expect(throws: SyncError.self) { try folder.read("../outside.pxb") }
        #expect(throws: SyncError.self) { try folder.download("../outside.pxb", to: directory.path("copy")) }
        #expect(throws: SyncError.self) { try folder.delete("../outside.pxb") }
        #expect(FileManager.default.fileExists(atPath: directory.path("outside.pxb")))
    }

    @Test(arguments: [
        ("laptop-01hzzzzzzzzzzzzzzzzzzzzzzz.pxb", true), ("0123456789-01hzzzz.pxb", true),
        ("my-phone-1-01hzzzz.pxb", true), ("0123456789-applied-0123456789abcdef.pxv", true),
        ("laptop-applied-0123456789abcdef.pxv", true), (".laptop-01hzzzz.pxb", false),
        ("laptop.pxb", false), ("-01hzzzz.pxb", false), ("01234567890-01hzzzz.pxb", false),
        ("laptop-.pxb", false), ("laptop-a/b.pxb", false), ("laptop-a%2fb.pxb", false),
        ("laptop-a\r\nb.pxb", false), ("laptop-01hzzzz.pxb.partial-1A2B3C4D", false),
        ("laptop-applied-0123456789ABCDEF.pxv", false), ("laptop-applied-0123.pxv", true),
        ("laptop-applied-0123456789abcdef0.pxv", false), ("laptop-applied-.pxv", false),
        ("laptop-01hzzzz.pxv", false), (".pxb", false), ("a-.pxb", false), (".pxv", false),
        ("-applied-0.pxv", false), ("laptop-01hzzzz.txt", false),
    ])
    func onlyTheDocumentedNamesAreListed(name: String, listed: Bool) {
        #expect(RemoteFileName.isListed(name) == listed)
    }
}
