import Foundation
import ParallaxServer
import ParallaxStore
import ParallaxTestSupport
import Testing

/// What a site, or a slow client, can make the bookmarklet route do on the wire: a request
/// without the save token is answered before its body is sent, and a head or body trickled a
/// byte at a time is cut at its deadline, whatever the idle timeout says.
@Suite("Slow and hostile clients")
struct SlowClientTests {
    static var configuration: ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.headTimeout = 1
        configuration.bodyTimeout = 0.5
        return configuration
    }

    /// The save token, read from the Save page as a signed-in reader would.
    static func saveToken(of fixture: ServerFixture) async throws -> String {
        let token = LockedValue("")
        try await fixture.test { browser in
            try await browser.signIn()
            token.value = try await BrowserSaveTests.bookmarkletToken(browser)
        }
        return token.value
    }

    static func head(token: String, length: Int, close: Bool = false) -> String {
        "POST /save/bookmarklet?token=\(token) HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(length)\r\n"
            + (close ? "Connection: close\r\n" : "") + "\r\n"
    }

    @Test func testAWrongTokenIsRefusedBeforeTheBodyIsSent() async throws {
        // The usual deadlines: the answer must come while the body is still awaited.
        let fixture = try ServerFixture()
        _ = try await Self.saveToken(of: fixture)
        try await fixture.testLive { port in
            let status = try await blocking {
                let connection = try RawConnection(port: port)
                connection.send(Self.head(token: "guess", length: ServerConfiguration.pageLimit))
                return connection.statusLine()
            }
            #expect(status == "HTTP/1.1 403 Forbidden")
        }
        #expect(fixture.server.bookmarkletBodiesRead == 0)
    }

    @Test func testTrickledBodiesAreCutAtTheDeadlineAndLeaveTheRouteFree() async throws {
        let fixture = try ServerFixture(configuration: Self.configuration)
        let token = try await Self.saveToken(of: fixture)
        try await fixture.testLive { port in
            // Two clients with the token, as many as are read at once, each sending a byte at a time.
            let body = Data(repeating: UInt8(ascii: "a"), count: 400)
            let sent = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try await blocking {
                            let connection = try RawConnection(port: port)
                            connection.send(Self.head(token: token, length: body.count))
                            return connection.trickle(body, every: 0.05)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(sent.allSatisfy { $0 < body.count }, "\(sent)")
            let form = "url=https%3A%2F%2Fharbour.example%2Fstrike"
            // The handlers give their places back as the cut reaches them; a busy answer says to try again.
            var answer = ""
            for _ in 0..<20 {
                answer = try await blocking {
                    let connection = try RawConnection(port: port)
                    connection.send(Self.head(token: token, length: form.utf8.count, close: true) + form)
                    return connection.receive()
                }
                guard answer.hasPrefix("HTTP/1.1 503") else { break }
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(300))")
            #expect(answer.contains("Save this page?"))
        }
    }

    @Test func testATrickledHeadIsCutAtTheDeadline() async throws {
        let fixture = try ServerFixture(configuration: Self.configuration)
        try await fixture.testLive { port in
            let head = Data(Self.head(token: "guess", length: 0).utf8)
            let sent = try await blocking { try RawConnection(port: port).trickle(head, every: 0.05) }
            #expect(sent < head.count)
        }
    }
}

/// Runs blocking socket calls on a dispatch queue, off the threads the server's handlers need.
private func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}
