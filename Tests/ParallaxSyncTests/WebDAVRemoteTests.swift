import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// Sync through a real WebDAV server: Apache httpd with mod_dav, started by the test on a free
/// loopback port with Basic authentication.
@Suite(
    .enabled(
        if: LocalWebDAVServer.isInstalled,
        "Apache with mod_dav is not installed: scripts/install-dependencies adds Debian's apache2"))
struct WebDAVRemoteTests {
    /// A retry policy that does not wait, so a test of a failing server takes no time.
    static let noWaiting = RetryPolicy(delays: [0, 0, 0]) { _ in }

    static func remote(_ server: LocalWebDAVServer, password: String? = nil) throws -> WebDAVTransport {
        try WebDAVTransport(
            url: server.url, user: server.user, password: password ?? server.password, retry: noWaiting)
    }

    @Test func testThreeLibrariesWithConflictingEditsConvergeThroughAWebDAVRemote() throws {
        let server = try #require(LocalWebDAVServer(), "Apache did not start")
        let replicas = try Replica.pairedGroup(3)
        let remote = try Self.remote(server)
        let id = try replicas[0].library.add(Fixtures.draft(1)).item.id
        for replica in replicas { _ = try replica.sync.sync(through: remote) }
        _ = try replicas[0].sync.sync(through: remote)
        try replicas[1].library.setNote(id, "from the phone")
        try replicas[2].library.setNote(id, "from the tablet")
        try replicas[0].library.mark(id, as: .read)
        for _ in 0..<3 {
            for replica in replicas { _ = try replica.sync.sync(through: remote) }
        }
        #expect(try replicas[1].state() == replicas[0].state())
        #expect(try replicas[2].state() == replicas[0].state())
        let note = try #require(try replicas[0].library.resolve(id).note)
        #expect(note.contains("from the phone") && note.contains("from the tablet"))
        // Only whole bundles are there: every write went to a temporary name and was moved.
        let files = try FileManager.default.contentsOfDirectory(atPath: server.root + "/parallax")
        #expect(
            !files.isEmpty
                && files.allSatisfy { ($0.hasSuffix(".pxb") || $0.hasSuffix(".pxv")) && !$0.hasPrefix(".") })
    }

    @Test func testOtherFilesInTheCollectionAreLeftAlone() throws {
        let server = try #require(LocalWebDAVServer(), "Apache did not start")
        let remote = try Self.remote(server)
        try remote.write("shopping-list.txt", Data("milk".utf8))
        let (laptop, phone) = try BundleTests.pair()
        try laptop.library.add(Fixtures.draft(1))
        _ = try laptop.sync.sync(through: remote)
        let result = try phone.sync.sync(through: remote)
        #expect(result.imported.count == 1 && result.skipped.isEmpty)
        #expect(try remote.read("shopping-list.txt") == Data("milk".utf8))
    }

    @Test func testAWrongPasswordOrAStoppedServerIsOneClearErrorAndChangesNothing() throws {
        let server = try #require(LocalWebDAVServer(), "Apache did not start")
        #expect(throws: SyncError.remoteAuthentication(location: server.url.absoluteString)) {
            try Self.remote(server, password: "wrong")
        }
        let remote = try Self.remote(server)
        let replica = try Replica()
        try replica.library.add(Fixtures.draft(1))
        let version = try replica.library.currentVersion()
        server.stop()
        #expect {
            try replica.sync.sync(through: remote)
        } throws: { error in
            guard case SyncError.remote(let location, _) = error else { return false }
            return location.hasPrefix(server.url.absoluteString)
        }
        #expect(try replica.library.currentVersion() == version)
    }

    @Test func testPlainHTTPToAnotherMachineIsRefusedUnlessInsecure() {
        #expect(throws: SyncError.self) {
            try WebDAVTransport(url: URL(string: "http://cloud.example.org/dav/")!, user: "me", password: "x")
        }
    }
}

/// The convergence property test with a real WebDAV server as the shared remote, compacted and
/// pruned as the replicas go.
@Suite(
    .enabled(
        if: LocalWebDAVServer.isInstalled,
        "Apache with mod_dav is not installed: scripts/install-dependencies adds Debian's apache2"))
struct WebDAVConvergenceTests {
    @Test(arguments: [UInt64(17), 29])
    func testReplicasSyncingThroughAWebDAVRemoteConverge(seed: UInt64) throws {
        let server = try #require(LocalWebDAVServer(), "Apache did not start")
        var options = ConvergenceSimulation.Options()
        options.operations = 300
        options.remote = try WebDAVRemoteTests.remote(server)
        let problems = try ConvergenceSimulation(seed: seed, options: options).run()
        #expect(problems.isEmpty, "\(problems.prefix(5).joined(separator: "\n"))")
    }
}
