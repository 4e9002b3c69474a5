import Foundation
import ParallaxFeeds
import ParallaxIngest
import ParallaxStore
import ParallaxTestSupport
import Testing

/// Hostile feeds met by a refresh over real HTTP on a loopback port: each ends bounded in time
/// and memory, says what happened in one line, and leaves the library as it was or with what
/// the feed rightly holds.
@Suite struct FeedRefreshHostileTests {
    static func refresh(
        _ answer: @escaping @Sendable (String) -> LocalHTTPServer.Response,
        policy: FetchPolicy = FetchPolicy()
    )
        async throws -> (FeedRefreshSummary, TemporaryLibrary)
    {
        let server = try LocalHTTPServer(routes: answer)
        defer { server.stop() }
        let temporary = try TemporaryLibrary(environment: .simulated(clock: TestClock(), seed: 3))
        try temporary.library.follow(url: server.baseURL + "/feed.xml")
        let refresh = FeedRefresh(library: temporary.library, policy: policy)
        return (try await refresh.run(try refresh.feedsToFetch(all: true)), temporary)
    }

    static func items(_ library: Library) throws -> [Item] {
        var filter = ItemFilter()
        filter.includeDeleted = true
        return try library.items(matching: filter)
    }

    @Test func testAGzippedFeedIsReadAsItsDocument() async throws {
        let feed = Data(
            """
            <rss version="2.0"><channel><title>Zipped</title><item><guid>tag:z,2026:1</guid>
            <link>http://zipped.example/1</link><title>One</title><description>Short.</description></item>
            </channel></rss>
            """.utf8)
        let zipped = try Self.gzip(feed)
        let (summary, temporary) = try await Self.refresh { path in
            path == "/feed.xml"
                ? .init(
                    contentType: "application/rss+xml", body: zipped, headers: ["Content-Encoding": "gzip"])
                : .init(status: 404)
        }
        #expect(summary.changed == 1 && summary.newArticles == 1, "\(summary)")
        #expect(try Self.items(temporary.library).map(\.title) == ["One"])
    }

    @Test func testAGzipBombStopsAtTheFeedCap() async throws {
        let bomb = try Self.gzip(Data(repeating: 0x20, count: 40 << 20))
        let (summary, temporary) = try await Self.refresh { _ in
            .init(contentType: "application/rss+xml", body: bomb, headers: ["Content-Encoding": "gzip"])
        }
        #expect(summary.failed == 1 && summary.problems.count == 1, "\(summary)")
        #expect(summary.problems[0].contains("larger than"), "\(summary.problems)")
        #expect(try Self.items(temporary.library).isEmpty)
    }

    /// The limit is what ends it, as its one line says; the wall time is not asserted, since a
    /// full parallel test run can keep the cooperative pool busy past any bound.
    @Test func testATrickledFeedEndsAtTheTotalLimit() async throws {
        var policy = FetchPolicy()
        (policy.idleTimeout, policy.totalTimeout) = (1, 2)
        let (summary, _) = try await Self.refresh(
            { _ in
                // Hours of trickle: only a limit can end it.
                var answer = LocalHTTPServer.Response(
                    contentType: "application/rss+xml", body: Data(repeating: 0x20, count: 100_000))
                answer.trickle = 0.2
                return answer
            }, policy: policy)
        #expect(summary.failed == 1 && summary.problems.count == 1, "\(summary)")
        // Which limit ends it depends on where the trickle is when the idle limit looks.
        #expect(summary.problems[0].contains("in time") || summary.problems[0].contains("longer than 2 s"))
        #expect(summary.problems[0].components(separatedBy: "/feed.xml").count == 2, "the address once")
    }

    @Test func testEntitiesOverHTTPAreNeitherExpandedNorRead() async throws {
        let laughs = try Data(
            contentsOf: Fixtures.resource("billion-laughs.xml", in: "ParallaxFeedsTests"))
        let secret = TemporaryDirectory()
        let file = secret.path("secret.txt")
        try "TOP-SECRET-VALUE".write(toFile: file, atomically: true, encoding: .utf8)
        let external = Data(
            """
            <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY leak SYSTEM "file://\(file)">]>
            <rss version="2.0"><channel><title>Leak</title><item><guid>tag:l,2026:1</guid>
            <link>http://leak.example/1</link><title>Leak &leak;</title><description>&leak;</description></item>
            </channel></rss>
            """.utf8)
        for document in [laughs, external] {
            let (summary, temporary) = try await Self.refresh { _ in
                .init(contentType: "application/rss+xml", body: document)
            }
            #expect(summary.problems.allSatisfy { !$0.contains("\n") })
            for item in try Self.items(temporary.library) {
                #expect(!item.title.contains("TOP-SECRET") && !item.title.contains("lolololol"))
                #expect(try !temporary.library.text(of: item).contains("TOP-SECRET"))
            }
        }
    }

    @Test func testAFeedOfAHundredThousandEntriesBringsInAHundred() async throws {
        var xml = #"<rss version="2.0"><channel><title>Flood</title>"#
        for number in 0..<100_000 {
            xml +=
                "<item><guid>tag:f,2026:\(number)</guid><title>Entry \(number)</title><description>Entry \(number) in brief.</description></item>"
        }
        let document = Data((xml + "</channel></rss>").utf8)
        let (summary, temporary) = try await Self.refresh { _ in
            .init(contentType: "application/rss+xml", body: document)
        }
        #expect(summary.changed == 1 && summary.newArticles == FeedRefresh.maximumNewEntries, "\(summary)")
        #expect(try Self.items(temporary.library).count == FeedRefresh.maximumNewEntries)
    }

    @Test func testAPortPastTheLastIsRefusedNotACrash() async throws {
        let (summary, temporary) = try await Self.refresh { _ in
            .init(
                contentType: "application/rss+xml",
                body: Data(
                    """
                    <rss version="2.0"><channel><title>Ports</title><item><guid>tag:p,2026:1</guid>
                    <link>http://127.0.0.1:99999/x</link><title>Far port</title><description>Kept.</description></item>
                    </channel></rss>
                    """.utf8))
        }
        #expect(summary.newArticles == 1 && summary.keptSummaries == 1, "\(summary)")
        #expect(try Self.items(temporary.library).map(\.title) == ["Far port"])
        await #expect(throws: FetchError.unsupportedAddress("http://[::1]:70000/")) {
            _ = try await PageFetcher().fetch("http://[::1]:70000/")
        }
    }

    @Test func testEntriesPastTheCapComeAtTheNextRefreshNewestFirst() async throws {
        var xml = #"<rss version="2.0"><channel><title>Many</title>"#
        for number in 0..<150 {
            let day = String(format: "%02d", number / 24 + 1)
            let hour = String(format: "%02d", number % 24)
            xml += "<item><guid>tag:m,2026:\(number)</guid><title>Entry \(number)</title>"
            xml +=
                "<pubDate>\(day) Nov 2026 \(hour):00:00 GMT</pubDate><description>Entry \(number) in brief.</description></item>"
        }
        let document = Data((xml + "</channel></rss>").utf8)
        let server = try LocalHTTPServer.answering { request in
            request.headers["if-none-match"] == "\"v1\""
                ? .init(status: 304, contentType: nil)
                : .init(contentType: "application/rss+xml", body: document, headers: ["ETag": "\"v1\""])
        }
        defer { server.stop() }
        let temporary = try TemporaryLibrary(environment: .simulated(clock: TestClock(), seed: 4))
        try temporary.library.follow(url: server.baseURL + "/feed.xml")
        let refresh = FeedRefresh(library: temporary.library)
        let first = try await refresh.run(try refresh.feedsToFetch(all: true))
        #expect(first.newArticles == 100)
        let titles = Set(try Self.items(temporary.library).map(\.title))
        #expect(titles.contains("Entry 149") && !titles.contains("Entry 0"), "the newest come first")
        let second = try await refresh.run(try refresh.feedsToFetch(all: true))
        #expect(second.newArticles == 50 && second.notModified == 0, "\(second)")
        let third = try await refresh.run(try refresh.feedsToFetch(all: true))
        #expect(third.notModified == 1 && third.newArticles == 0, "\(third)")
    }

    @Test func testAnOutletLongerThanTheStoreKeepsIsCutNotRefused() async throws {
        let title = String(repeating: "T", count: 1_500)
        let (summary, temporary) = try await Self.refresh { _ in
            .init(
                contentType: "application/rss+xml",
                body: Data(
                    """
                    <rss version="2.0"><channel><title>\(title)</title><item><guid>tag:t,2026:1</guid>
                    <title>Long outlet</title><description>Kept.</description></item></channel></rss>
                    """.utf8))
        }
        #expect(summary.newArticles == 1 && summary.problems.isEmpty, "\(summary.problems)")
        #expect(try Self.items(temporary.library).first?.source?.count == TextField.source.maximumLength)
    }

    static func gzip(_ data: Data) throws -> Data {
        let folder = TemporaryDirectory()
        let path = folder.path("data")
        try data.write(to: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-k", "-9", path]
        try process.run()
        process.waitUntilExit()
        return try Data(contentsOf: URL(fileURLWithPath: path + ".gz"))
    }
}
