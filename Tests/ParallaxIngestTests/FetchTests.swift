import Foundation
import ParallaxTestSupport
import Testing

@testable import ParallaxIngest

@Suite struct FetchTests {
    static let article = try! Data(contentsOf: Fixtures.samplePage)

    static func server() throws -> LocalHTTPServer {
        try LocalHTTPServer { path in
            switch path {
            case "/article": .init(body: article)
            case "/moved": .redirect(to: "/article")
            case "/loop": .redirect(to: "/loop")
            case "/missing": .init(status: 404, body: Data("not here".utf8))
            case "/broken": .init(status: 500, body: Data("oops".utf8))
            case "/slow": .init(body: article, delay: 3)
            case "/trickle":
                {
                    var response = LocalHTTPServer.Response(body: article)
                    response.trickle = 0.2
                    return response
                }()
            case "/endless": .init(endlessBytes: true)
            case "/declared-huge": .init(body: Data(repeating: 0x61, count: 300_000))
            case "/report.pdf": .init(contentType: "application/pdf", body: Data("%PDF-1.7".utf8))
            case "/untyped": .init(contentType: nil, body: article)
            case "/agent": .init(body: article)
            case "/brotli": .init(body: article, headers: ["Content-Encoding": "br"])
            case "/cut-gzip":
                .init(
                    body: Data([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03, 0x4B]),
                    headers: ["Content-Encoding": "gzip"])
            case "/nowhere": .init(status: 301)
            case "/to-file": .init(status: 302, headers: ["Location": "file:///etc/passwd"])
            default: .init(status: 404)
            }
        }
    }

    @Test func testPageIsFetchedThroughRedirectsWithItsHeaders() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let page = try await PageFetcher().fetch(server.baseURL + "/moved")
        #expect(page.url.absoluteString == server.baseURL + "/article")
        #expect(page.data == Self.article)
        #expect(page.contentType == "text/html; charset=utf-8")
        #expect(server.requests == ["/moved", "/article"])
        let untyped = try await PageFetcher().fetch(server.baseURL + "/untyped")
        #expect(untyped.data == Self.article)
    }

    @Test func testEachFailureIsOneTypedError() async throws {
        let server = try Self.server()
        defer { server.stop() }
        // Limits far from what a loaded machine needs, but for the one each timeout case tests.
        var policy = FetchPolicy()
        policy.idleTimeout = 15
        policy.totalTimeout = 60
        policy.maximumBytes = 200_000
        policy.maximumRedirects = 5
        var idle = policy
        idle.idleTimeout = 1
        var total = policy
        total.totalTimeout = 3
        let fetcher = PageFetcher(policy: policy)
        let base = server.baseURL
        let cases: [(String, FetchPolicy, FetchError)] = [
            ("/missing", policy, .httpStatus(url: base + "/missing", code: 404)),
            ("/broken", policy, .httpStatus(url: base + "/broken", code: 500)),
            ("/loop", policy, .redirectLoop(url: base + "/loop")),
            ("/nowhere", policy, .badRedirect(url: base + "/nowhere", location: nil)),
            ("/to-file", policy, .badRedirect(url: base + "/to-file", location: "file:///etc/passwd")),
            // Bytes in a compression the fetcher does not decode never reach the extractor as text.
            ("/brotli", policy, .unreadableEncoding(url: base + "/brotli", encoding: "br")),
            (
                "/cut-gzip", policy,
                .unreadableEncoding(url: base + "/cut-gzip", encoding: "damaged gzip or deflate")
            ),
            // Silent for 3 s before it answers: the idle limit stops it.
            ("/slow", idle, .timedOut(url: base + "/slow")),
            // Never silent for long, never done: the total limit stops it.
            ("/trickle", total, .tooSlow(url: base + "/trickle", seconds: 3)),
            ("/endless", policy, .tooLarge(url: base + "/endless", limit: 200_000)),
            ("/declared-huge", policy, .tooLarge(url: base + "/declared-huge", limit: 200_000)),
            ("/report.pdf", policy, .notHTML(url: base + "/report.pdf", contentType: "application/pdf")),
        ]
        for (path, limits, expected) in cases {
            await #expect(throws: expected, "\(path)") {
                try await PageFetcher(policy: limits).fetch(base + path)
            }
        }
        await #expect(throws: FetchError.unsupportedAddress("ftp://example.com/x")) {
            try await fetcher.fetch("ftp://example.com/x")
        }
        do {
            _ = try await fetcher.fetch("http://parallax-test.invalid/page")
            Issue.record("an unknown host was fetched")
        } catch let error as FetchError {
            guard case .unreachable = error else { throw error }
        }
        // TLS to a server that speaks plain HTTP: one plain sentence, none of the TLS library's dump.
        let plain = try LocalHTTPServer(greeting: Data("HTTP/1.1 400 Bad Request\r\n\r\n".utf8)) { _ in
            .init()
        }
        defer { plain.stop() }
        let secure = "https" + plain.baseURL.dropFirst("http".count) + "/article"
        await #expect(
            throws: FetchError.unreachable(
                url: secure, reason: "the secure (TLS) connection could not be made")
        ) { try await fetcher.fetch(secure) }
        server.stop()
        do {
            _ = try await fetcher.fetch(base + "/article")
            Issue.record("a stopped server answered")
        } catch let error as FetchError {
            #expect(
                error == .unreachable(url: base + "/article", reason: "the server refused the connection"))
        }
    }

    @Test func testErrorMessagesAreOneLine() {
        let errors: [FetchError] = [
            .httpStatus(url: "http://x/a", code: 404),
            .notHTML(url: "http://x/a.pdf", contentType: "application/pdf"),
            .tooLarge(url: "http://x/a", limit: 16 << 20), .timedOut(url: "http://x/a"),
            .tooSlow(url: "http://x/a", seconds: 60), .redirectLoop(url: "http://x/a"),
            .badRedirect(url: "http://x/a", location: "ftp://x/b"),
            .badRedirect(url: "http://x/a", location: nil),
            .unreadableEncoding(url: "http://x/a", encoding: "br"),
        ]
        for error in errors {
            let message = error.localizedDescription
            #expect(!message.contains("\n") && message.hasPrefix("http://x/a"), "\(message)")
        }
        #expect(
            FetchError.notHTML(url: "u", contentType: "application/pdf").localizedDescription.contains("PDF"))
    }
}
