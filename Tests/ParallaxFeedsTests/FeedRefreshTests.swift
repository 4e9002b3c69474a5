import Foundation
import ParallaxFeeds
import ParallaxIngest
import ParallaxStore
import ParallaxTestSupport
import Testing

/// Refreshing followed feeds against a real HTTP server on a loopback port: entries become
/// articles once, politely (conditional requests, moves, 410, Retry-After), and a feed on the
/// web never reaches a private address.
@Suite struct FeedRefreshTests {
    /// An RSS 2.0 feed of `items`: (guid, link path, title, full text or nil).
    static func rss(_ base: String, items: [(String, String, String, String?)], ttl: Int? = nil) -> Data {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
            <channel><title>Example News</title><link>\(base)/</link>
            """
        if let ttl { xml += "<ttl>\(ttl)</ttl>" }
        for (guid, path, title, text) in items {
            xml += "<item><guid>\(guid)</guid><link>\(base)\(path)</link><title>\(title)</title>"
            xml +=
                "<pubDate>Mon, 07 Dec 2026 09:30:00 GMT</pubDate><description>Teaser of \(title).</description>"
            if let text { xml += "<content:encoded><![CDATA[<p>\(text)</p>]]></content:encoded>" }
            xml += "</item>"
        }
        return Data((xml + "</channel></rss>").utf8)
    }

    /// An article page with enough text for the extractor.
    static func page(_ title: String) -> Data {
        let paragraph =
            "<p>" + String(repeating: "The ministry said the talks on \(title) would resume. ", count: 12)
            + "</p>"
        return Data(
            "<html><head><title>\(title)</title></head><body><article><h1>\(title)</h1>\(paragraph)\(paragraph)</article></body></html>"
                .utf8)
    }

    static let longText = String(
        repeating: "Sanctions were widened on Monday, the officials said. ", count: 30)

    static func library(clock: TestClock = TestClock()) throws -> TemporaryLibrary {
        try TemporaryLibrary(environment: .simulated(clock: clock, seed: 7))
    }

    static func articles(_ library: Library) throws -> [Item] {
        var filter = ItemFilter()
        filter.includeDeleted = true
        return try library.items(matching: filter)
    }

    @Test func testEntriesBecomeArticlesOffTheListOnceAndAnUnchangedFeedSendsNoBody() async throws {
        let server = try LocalHTTPServer.answering { request in
            switch request.path {
            case "/feed.xml":
                if request.headers["if-none-match"] == "\"v1\"" {
                    return .init(status: 304, contentType: nil)
                }
                return .init(
                    contentType: "application/rss+xml",
                    body: Self.rss(
                        "",
                        items: [
                            ("tag:example,2026:1", "/story/1", "Whole text", Self.longText),
                            ("tag:example,2026:2", "/story/2", "Talks resume", nil),
                        ]),
                    headers: ["ETag": "\"v1\""])
            case "/story/2": return .init(body: Self.page("Talks resume"))
            default: return .init(status: 404)
            }
        }
        defer { server.stop() }
        let temporary = try Self.library()
        let library = temporary.library
        try library.follow(url: server.baseURL + "/feed.xml", tags: ["world"])
        let refresh = FeedRefresh(library: library)
        let first = try await refresh.run(try refresh.feedsToFetch(all: true))
        #expect(first.newArticles == 2 && first.fromFeedText == 1 && first.pagesFetched == 1, "\(first)")
        let items = try Self.articles(library)
        #expect(
            items.count == 2
                && items.allSatisfy { !$0.listed && $0.source == "Example News" && $0.tags == ["world"] })
        #expect(
            try library.text(of: items.first { $0.title == "Whole text" }!).contains("Sanctions were widened")
        )
        #expect(
            try library.text(of: items.first { $0.title == "Talks resume" }!).contains(
                "talks on Talks resume"))
        #expect(server.receivedRequests.allSatisfy { $0.headers["user-agent"]?.contains("Parallax") == true })

        let second = try await refresh.run(try refresh.feedsToFetch(all: true))
        #expect(second.notModified == 1 && second.newArticles == 0 && second.bytes == 0, "\(second)")
        #expect(
            server.requests.filter { $0 == "/story/2" }.count == 1,
            "a known entry's page is not fetched again")
        let state = try #require(try refresh.states().values.first)
        #expect(
            state.etag == "\"v1\"" && state.notModified == 1 && state.articles == 2 && state.lastError == nil)
        #expect(try refresh.feedsToFetch().isEmpty, "not due again for half an hour")
    }

    @Test func testRemovedArticleIsNotBroughtBackByTheNextRefresh() async throws {
        let feed = Self.rss("", items: [("tag:example,2026:1", "/story/1", "Whole text", Self.longText)])
        let server = try LocalHTTPServer { _ in .init(contentType: "application/rss+xml", body: feed) }
        defer { server.stop() }
        let temporary = try Self.library()
        try temporary.library.follow(url: server.baseURL + "/feed.xml")
        let refresh = FeedRefresh(library: temporary.library)
        _ = try await refresh.run(try refresh.feedsToFetch(all: true))
        let id = try #require(try Self.articles(temporary.library).first?.id)
        try temporary.library.delete(id)
        let again = try await refresh.run(try refresh.feedsToFetch(all: true))
        #expect(again.newArticles == 0 && again.changed == 1)
        #expect(try Self.articles(temporary.library).map(\.deleted) == [true])
    }

    @Test func testPermanentMoveUpdatesTheFeedAndATemporaryOneDoesNot() async throws {
        let feed = Self.rss("", items: [])
        let server = try LocalHTTPServer { path in
            switch path {
            case "/old.xml": .init(status: 301, contentType: nil, headers: ["Location": "/new.xml"])
            case "/elsewhere.xml": .redirect(to: "/new.xml")
            default: .init(contentType: "application/rss+xml", body: feed)
            }
        }
        defer { server.stop() }
        let temporary = try Self.library()
        let moved = try temporary.library.follow(url: server.baseURL + "/old.xml").subscription
        let visiting = try temporary.library.follow(url: server.baseURL + "/elsewhere.xml").subscription
        let refresh = FeedRefresh(library: temporary.library)
        let summary = try await refresh.run(try refresh.feedsToFetch(all: true))
        #expect(summary.changed == 2 && summary.failed == 0, "\(summary)")
        #expect(try temporary.library.subscription(moved.id).url == server.baseURL + "/new.xml")
        #expect(try temporary.library.subscription(visiting.id).url == server.baseURL + "/elsewhere.xml")
    }

    @Test func testGoneFeedIsNoLongerFetchedAndThrottledOneWaitsAsAsked() async throws {
        let server = try LocalHTTPServer { path in
            path == "/gone.xml"
                ? .init(status: 410) : .init(status: 429, contentType: nil, headers: ["Retry-After": "7200"])
        }
        defer { server.stop() }
        let clock = TestClock()
        let temporary = try Self.library(clock: clock)
        let gone = try temporary.library.follow(url: server.baseURL + "/gone.xml").subscription
        let busy = try temporary.library.follow(url: server.baseURL + "/busy.xml").subscription
        let refresh = FeedRefresh(library: temporary.library)
        let summary = try await refresh.run(try refresh.feedsToFetch(all: true))
        #expect(summary.gone == 1 && summary.failed == 2, "\(summary)")
        #expect(summary.problems.contains { $0.contains("gone (HTTP 410)") })
        let states = try refresh.states()
        #expect(states[gone.id]?.gone == true)
        let wait = try #require(states[busy.id]?.nextFetch).timeIntervalSince(clock.now())
        #expect(wait > 7_000 && wait <= 7_200, "\(wait)")
        clock.advance(by: 8_000)
        #expect(try refresh.feedsToFetch().map(\.id) == [busy.id], "the gone feed is never due")
        #expect(try refresh.feedsToFetch(all: true).map(\.id) == [busy.id])
        #expect(try refresh.feedsToFetch(named: [gone.id]).map(\.id) == [gone.id], "named, it is tried again")
    }

    @Test func testPageThatFailsKeepsTheSummaryAndIsFetchedLater() async throws {
        let failing = LockedValue(true)
        let server = try LocalHTTPServer { path in
            switch path {
            case "/feed.xml":
                .init(
                    contentType: "application/rss+xml",
                    body: Self.rss("", items: [("tag:example,2026:3", "/story/3", "Budget vote", nil)]))
            default: failing.value ? .init(status: 500) : .init(body: Self.page("Budget vote"))
            }
        }
        defer { server.stop() }
        let temporary = try Self.library()
        try temporary.library.follow(url: server.baseURL + "/feed.xml")
        let refresh = FeedRefresh(library: temporary.library)
        let first = try await refresh.run(try refresh.feedsToFetch(all: true))
        #expect(first.newArticles == 1 && first.keptSummaries == 1, "\(first)")
        let item = try #require(try Self.articles(temporary.library).first)
        #expect(try temporary.library.text(of: item) == "Teaser of Budget vote.")
        #expect(try refresh.states().values.first?.pendingPages == 1)
        failing.value = false
        let second = try await refresh.run([])
        #expect(second.pagesRecovered == 1, "\(second)")
        let refetched = try await temporary.library.resolve(item.id)
        #expect(try temporary.library.text(of: refetched).contains("talks on Budget vote"))
        #expect(!refetched.listed && refetched.title == "Budget vote")
        #expect(try refresh.states().values.first?.pendingPages == 0)
    }

    @Test func testFeedOnTheWebCannotMakeParallaxFetchAPrivateAddress() async throws {
        let server = try LocalHTTPServer { path in
            path == "/feed.xml"
                ? .init(
                    contentType: "application/rss+xml",
                    body: Self.rss(
                        "http://intranet.test", items: [("tag:example,2026:4", "/admin", "Router", nil)]))
                : .init(body: Self.page("Router"))
        }
        defer { server.stop() }
        let port = try #require(URL(string: server.baseURL)?.port)
        let temporary = try Self.library()
        try temporary.library.follow(url: "http://feeds.test:\(port)/feed.xml")
        // The feed's host is public (its connection pinned to this server); the entry's is not.
        let refresh = FeedRefresh(library: temporary.library) { host in
            host == "feeds.test" ? .publicAddress("127.0.0.1") : .privateNetwork
        }
        let summary = try await refresh.run(try refresh.feedsToFetch(all: true))
        #expect(summary.newArticles == 1 && summary.keptSummaries == 1, "\(summary)")
        #expect(summary.problems.contains { $0.contains("private network") })
        #expect(server.requests == ["/feed.xml"], "the private page was never requested")
        #expect(try refresh.states().values.first?.pendingPages == 0, "a refusal is not tried again")
    }

    @Test func testRedirectLoopAndEndlessFeedEachEndInOneLine() async throws {
        let server = try LocalHTTPServer { path in
            switch path {
            case "/a.xml": .redirect(to: "/b.xml")
            case "/b.xml": .redirect(to: "/a.xml")
            default: .init(contentType: "application/rss+xml", endlessBytes: true)
            }
        }
        defer { server.stop() }
        let temporary = try Self.library()
        try temporary.library.follow(url: server.baseURL + "/a.xml")
        try temporary.library.follow(url: server.baseURL + "/endless.xml")
        let refresh = FeedRefresh(library: temporary.library)
        let summary = try await refresh.run(try refresh.feedsToFetch(all: true))
        #expect(summary.failed == 2 && summary.problems.count == 2, "\(summary)")
        #expect(summary.problems.contains { $0.contains("loop") })
        #expect(summary.problems.contains { $0.contains("larger than 16 MiB") })
        #expect(summary.problems.allSatisfy { !$0.contains("\n") })
    }

    @Test func testBackoffDoublesFromHalfAnHourToADay() {
        let now = Date(timeIntervalSince1970: 0)
        let waits = (1...8).map { FeedSchedule.afterFailure(at: now, failures: $0).timeIntervalSince(now) }
        #expect(waits == [1_800, 3_600, 7_200, 14_400, 28_800, 57_600, 86_400, 86_400])
        #expect(FeedSchedule.afterSuccess(at: now, floor: 3 * 3_600).timeIntervalSince(now) == 10_800)
        #expect(FeedSchedule.afterSuccess(at: now, floor: 60).timeIntervalSince(now) == 1_800)
        #expect(FeedSchedule.afterSuccess(at: now, floor: 30 * 86_400).timeIntervalSince(now) == 86_400)
        #expect(FeedSchedule.maxAge("public, max-age=3600") == 3_600)
        #expect(FeedSchedule.retryAfter("120", now: now) == 120)
        #expect(FeedSchedule.retryAfter("Thu, 01 Jan 1970 01:00:00 GMT", now: now) == 3_600)
    }
}
