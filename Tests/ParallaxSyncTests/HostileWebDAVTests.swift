import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// A WebDAV server that answers without end, falls silent, or names files outside the
/// collection costs one bounded request and one clear line, never memory, time or a request
/// it chose.
@Suite struct HostileWebDAVTests {
    /// A bundle's name as a listing gives it.
    static let bundleName = "0123456789-01hzzzzzzzzzzzzzzzzzzzzzzz.pxb"

    static func remote(
        _ server: HostileWebDAVServer, idle: Duration = .seconds(60), request: Duration = .seconds(60)
    ) throws -> WebDAVTransport {
        try WebDAVTransport(
            url: server.url, retry: WebDAVRemoteTests.noWaiting,
            timeouts: WebDAVTransport.Timeouts(
                connect: .seconds(10), idle: idle, request: request, transfer: .seconds(60)))
    }

    /// The reason of a ``SyncError/remote(location:reason:)``, or nil for any other error.
    static func reason(_ error: any Error) -> String? {
        guard case SyncError.remote(_, let reason) = error else { return nil }
        return reason
    }

    @Test func aListingWithoutEndIsRefusedAtItsCapInOneLine() throws {
        let start = Data(#"<?xml version="1.0" encoding="utf-8"?><D:multistatus xmlns:D="DAV:">"#.utf8)
        let entry = Data(HostileWebDAVServer.response(href: "/px/", collection: true).utf8)
        let chunk = Data((0..<256).flatMap { _ in entry })
        let server = try HostileWebDAVServer { request in
            request.method == "PROPFIND"
                ? .endless(status: 207, start: start, chunk: chunk) : .complete(status: 404)
        }
        defer { server.stop() }
        let remote = try Self.remote(server, request: .seconds(3))
        let replica = try Replica()
        #expect {
            try replica.sync.pull(from: remote)
        } throws: { error in
            Self.reason(error)?.contains("the listing is larger than 16 MiB") == true
        }
        // Reading stopped at the cap, not at the deadline: what arrived is bounded by it.
        let received = remote.traffic.bytes.received
        #expect(received > WebDAVTransport.maximumListingBytes, "\(received)")
        #expect(received <= WebDAVTransport.maximumListingBytes + (1 << 20), "\(received)")
        #expect(server.requests.filter { $0.method == "PROPFIND" }.count == 2, "not asked for again")
    }

    @Test func aServerThatFallsSilentMidAnswerEndsThePullWithOneLine() throws {
        let listing = HostileWebDAVServer.listing(hrefs: ["/px/\(Self.bundleName)"])
        let server = try HostileWebDAVServer { request in
            request.method == "PROPFIND"
                ? .complete(status: 207, body: listing) : .stall(status: 200, start: Data("PXB1\n".utf8))
        }
        defer { server.stop() }
        let remote = try Self.remote(server, idle: .milliseconds(300))
        let replica = try Replica()
        #expect {
            try replica.sync.pull(from: remote)
        } throws: { error in
            Self.reason(error)?.contains("the server sent nothing for 0.3 seconds") == true
        }
        #expect(server.requests.filter { $0.method == "GET" }.count == 1, "a stall is not waited for again")
    }

    @Test func aDownloadSlowerThanTheSlowestTransferAllowedIsLeft() throws {
        let server = try HostileWebDAVServer { _ in .complete(status: 200, body: Data(count: 100_000)) }
        defer { server.stop() }
        var remote = try Self.remote(server)
        // A transfer must average a tebibyte a second from its start: no server keeps that up.
        remote.timeouts.request = .zero
        remote.timeouts.slowestTransfer = 1 << 40
        let directory = TemporaryDirectory()
        #expect {
            try remote.download(Self.bundleName, to: directory.path("bundle"))
        } throws: { error in
            Self.reason(error)?.contains("slower than 1073741824 KiB a second") == true
        }
        #expect(server.requests.filter { $0.method == "GET" }.count == 1)
        #expect(!FileManager.default.fileExists(atPath: directory.path("bundle")))
    }

    @Test func aListingThatNeverFinishesEndsAtTheRequestDeadline() throws {
        let server = try HostileWebDAVServer { request in
            .stall(status: 207, start: Data(#"<?xml version="1.0"?>"#.utf8))
        }
        defer { server.stop() }
        let remote = try Self.remote(server, request: .milliseconds(300))
        #expect {
            try remote.list()
        } throws: { error in
            Self.reason(error)?.contains("the server took more than 0.3 seconds to answer") == true
        }
        #expect(server.requests.filter { $0.headers["depth"] == "1" }.count == 1)
    }

    @Test func hrefsThatClimbOutOfTheCollectionOrHoldControlCharactersAreIgnored() throws {
        let hostile = [
            "/px/0123456789-..%2f..%2fevil.pxb", "/px/0123456789-a%0D%0AX-Evil:%201.pxb",
            "/px/0123456789-%2e%2e.pxb", "/px/..%2F0123456789-01abc.pxb", "/px/0123456789-%C3%BC.pxb",
            "http://other.example/px/0123456789-01abc%2Fx.pxb",
        ]
        let listing = HostileWebDAVServer.listing(hrefs: hostile + ["/px/\(Self.bundleName)"])
        let server = try HostileWebDAVServer { request in
            request.method == "PROPFIND" ? .complete(status: 207, body: listing) : .complete(status: 404)
        }
        defer { server.stop() }
        let remote = try Self.remote(server)
        let names = try remote.list().map(\.name)
        #expect(names.allSatisfy(RemoteFileName.isPlain), "\(names)")
        #expect(names.filter(RemoteFileName.isListed) == [Self.bundleName], "\(names)")
        let report = try Replica().sync.pull(from: remote)
        let gets = server.requests.filter { $0.method == "GET" }.map(\.path)
        #expect(gets == ["/px/\(Self.bundleName)"], "\(gets)")
        #expect(report.skipped.count == 1, "\(report.skipped)")
    }

    @Test func aNameThatIsNotOnePlainFileNameIsRefusedBeforeAnyRequest() throws {
        let server = try HostileWebDAVServer { _ in .complete(status: 200, body: Data("x".utf8)) }
        defer { server.stop() }
        let remote = try Self.remote(server)
        let before = server.requests.count
        let directory = TemporaryDirectory()
        for name in ["../evil.pxb", "a/b.pxb", "a%2fb.pxb", "a\r\nX-Evil: 1.pxb", "..", ""] {
            #expect(throws: SyncError.self) { try remote.read(name) }
            #expect(throws: SyncError.self) { try remote.download(name, to: directory.path("file")) }
            #expect(throws: SyncError.self) { try remote.delete(name) }
            #expect(throws: SyncError.self) { try remote.write(name, Data("x".utf8)) }
        }
        #expect(server.requests.count == before, "\(server.requests.map(\.path))")
    }
}
