import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// The same journeys against a second WebDAV implementation, `rclone serve webdav`, so the client
/// is not fitted to Apache's answers (its listings, status codes and MOVE).
@Suite(
    .enabled(
        if: LocalRcloneServer.isInstalled,
        "rclone is not installed: scripts/install-dependencies adds Debian's rclone"))
struct SecondWebDAVServerTests {
    static func remote(_ server: LocalRcloneServer) throws -> WebDAVTransport {
        try WebDAVTransport(
            url: server.url, user: server.user, password: server.password, retry: WebDAVRemoteTests.noWaiting)
    }

    @Test func testThreeLibrariesConvergePruneAndANewcomerStartsFromTheSnapshot() throws {
        let server = try #require(LocalRcloneServer(), "rclone did not start")
        let replicas = try Replica.pairedGroup(3)
        let remote = try Self.remote(server)
        let id = try replicas[0].library.add(Fixtures.draft(1)).item.id
        for replica in replicas { _ = try replica.sync.sync(through: remote) }
        try replicas[1].library.setNote(id, "from the phone")
        try replicas[2].library.setNote(id, "from the tablet")
        try replicas[2].library.add(Fixtures.draft(2))
        for _ in 0..<2 {
            for replica in replicas { _ = try replica.sync.sync(through: remote) }
        }
        let compacted = try replicas[0].sync.sync(through: remote, compact: true)
        #expect(compacted.snapshot != nil)
        for _ in 0..<2 {
            for replica in replicas { _ = try replica.sync.sync(through: remote) }
        }
        #expect(try replicas[1].state() == replicas[0].state() && replicas[2].state() == replicas[0].state())
        let bundles = server.files.filter { $0.hasSuffix(".pxb") }
        #expect(bundles.count <= 2, "\(server.files)")
        #expect(server.files.allSatisfy { !$0.hasPrefix(".") })

        let newcomer = try Replica()
        for replica in replicas {
            try newcomer.trust(replica)
            try replica.trust(newcomer)
        }
        let joined = try newcomer.sync.pull(from: try Self.remote(server))
        #expect(joined.skipped.isEmpty, "\(joined.skipped)")
        #expect(try newcomer.library.changes() == replicas[0].library.changes())
    }

    @Test func testAWrongPasswordIsOneTypedError() throws {
        let server = try #require(LocalRcloneServer(), "rclone did not start")
        #expect(throws: SyncError.remoteAuthentication(location: server.url.absoluteString)) {
            try WebDAVTransport(url: server.url, user: server.user, password: "wrong", retry: .none)
        }
    }
}
