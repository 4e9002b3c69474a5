import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// A WebDAV server that fails (no room, locked, broken, stopped mid-upload) costs a retry or one
/// clear error, never half a file or a changed library; the next sync completes.
@Suite(
    .enabled(
        if: LocalWebDAVServer.isInstalled,
        "Apache with mod_dav is not installed: scripts/install-dependencies adds Debian's apache2"))
struct WebDAVFaultTests {
    /// The bundles a reader of the collection would see, each checked whole.
    static func visibleBundlesVerify(_ server: LocalWebDAVServer, reader: Replica) -> Bool {
        server.files.filter { !$0.hasPrefix(".") && $0.hasSuffix(".pxb") }.allSatisfy { name in
            guard let data = FileManager.default.contents(atPath: "\(server.root)/parallax/\(name)") else {
                return false
            }
            return (try? reader.sync.verifiedBundle(of: data, name: name)) != nil
        }
    }

    @Test(arguments: [("PUT", 507), ("MOVE", 423), ("PUT", 500)])
    func testAServerThatRefusesAnUploadLeavesNoFileAndTheNextPushCompletes(method: String, status: Int) throws
    {
        let server = try #require(LocalWebDAVServer(), "Apache did not start")
        let (laptop, phone) = try BundleTests.pair()
        let remote = try WebDAVRemoteTests.remote(server)
        try laptop.library.add(Fixtures.draft(1))
        let version = try laptop.library.currentVersion()
        server.fail(method, with: status)
        #expect {
            try laptop.sync.push(to: remote)
        } throws: { error in
            guard case SyncError.remote(_, let reason) = error else { return false }
            return reason.contains("(\(status))")
        }
        #expect(try laptop.library.currentVersion() == version)
        #expect(server.files.allSatisfy { !$0.hasSuffix(".pxb") }, "\(server.files)")
        server.mend()
        #expect(try laptop.sync.push(to: remote).written != nil)
        #expect(try phone.sync.pull(from: remote).imported.count == 1)
        #expect(try phone.state() == laptop.state())
    }

    @Test func testAFailingServerIsTriedAgainUntilItRecovers() throws {
        let server = try #require(LocalWebDAVServer(), "Apache did not start")
        let waits = LockedCounter()
        // Each wait mends the server a little later: the third attempt goes through.
        let retry = RetryPolicy(delays: [1, 4, 15]) { _ in if waits.increment() == 2 { server.mend() } }
        let remote = try WebDAVTransport(
            url: server.url, user: server.user, password: server.password, retry: retry)
        let (laptop, phone) = try BundleTests.pair()
        try laptop.library.add(Fixtures.draft(1))
        server.fail("PUT", with: 503)
        #expect(try laptop.sync.push(to: remote).written != nil)
        #expect(waits.value == 2)
        #expect(try phone.sync.pull(from: remote).imported.count == 1)
    }

    @Test func testAPushCutShortByTheServerStoppingLeavesNoHalfFileAndTheNextOneCompletes() throws {
        let server = try #require(LocalWebDAVServer(), "Apache did not start")
        let (laptop, phone) = try BundleTests.pair()
        let remote = try WebDAVTransport(
            url: server.url, user: server.user, password: server.password, retry: .none)
        // Text that does not compress, so the upload takes a while.
        var generator = SystemRandomNumberGenerator()
        let words = (0..<4_000).map { _ in
            String((0..<7).map { _ in "abcdefghijklmnopqrstuvwxyz".randomElement(using: &generator)! })
        }
        let drafts = (0..<60).map { number in
            var draft = Fixtures.draft(number)
            draft.text = (0..<20_000).map { _ in words.randomElement(using: &generator)! }.joined(
                separator: " ")
            return draft
        }
        try laptop.library.add(contentsOf: drafts.map { .success($0) }) { _, _ in }
        var timings = KillTimings()
        let delay = timings.delay(in: 0.02...0.2)
        let stopper = Thread {
            usleep(UInt32(delay * 1_000_000)); server.stop()
        }
        stopper.start()
        _ = try? laptop.sync.push(to: remote)
        while !stopper.isFinished { usleep(10_000) }
        #expect(server.start(), "Apache did not start again")
        #expect(Self.visibleBundlesVerify(server, reader: phone), "\(server.files) \(timings)")
        _ = try laptop.sync.push(to: remote)
        #expect(try phone.sync.pull(from: remote).skipped.isEmpty, "\(timings)")
        #expect(try phone.library.items().count == 60, "\(timings)")
        #expect(Self.visibleBundlesVerify(server, reader: phone))
    }

    @Test func testADownloadCutShortResumesWhereItStopped() throws {
        let server = try #require(LocalWebDAVServer(), "Apache did not start")
        let remote = try WebDAVRemoteTests.remote(server)
        let data = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) })
        try remote.write("big.pxb", data)
        let directory = TemporaryDirectory()
        let path = directory.write("big.pxb", data.prefix(1_000_000))
        let before = remote.traffic.bytes.received
        try remote.download("big.pxb", to: path)
        #expect(FileManager.default.contents(atPath: path) == data)
        #expect(remote.traffic.bytes.received - before == 2_000_000, "only the rest was sent")
        // What is there cannot be the start of it (it is longer): the whole file comes again.
        let wrong = directory.write("other.pxb", Data(count: 4_000_000))
        try remote.download("big.pxb", to: wrong)
        #expect(FileManager.default.contents(atPath: wrong) == data)
        #expect(throws: SyncError.self) { try remote.download("missing.pxb", to: directory.path("missing")) }
        #expect(!FileManager.default.fileExists(atPath: directory.path("missing")))
    }

    @Test func testADigestOnlyServerIsReachedAndAWrongPasswordStillRefused() throws {
        let server = try #require(LocalWebDAVServer(digest: true), "Apache did not start")
        #expect(throws: SyncError.remoteAuthentication(location: server.url.absoluteString)) {
            try WebDAVRemoteTests.remote(server, password: "wrong")
        }
        let replicas = try Replica.pairedGroup(2)
        let remotes = try replicas.map { _ in try WebDAVRemoteTests.remote(server) }
        try replicas[0].library.add(Fixtures.draft(1))
        _ = try replicas[0].sync.sync(through: remotes[0])
        #expect(try replicas[1].sync.sync(through: remotes[1]).imported.count == 1)
        #expect(try replicas[1].state() == replicas[0].state())
    }
}

/// A counter tests can bump from a `@Sendable` closure.
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }

    /// Adds one and returns the new count.
    @discardableResult
    func increment() -> Int {
        lock.withLock {
            count += 1; return count
        }
    }
}
