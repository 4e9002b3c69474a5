import Foundation
import HummingbirdTesting
import ParallaxServer
import ParallaxStore
import ParallaxTestSupport
import Testing

/// Feeds in the reading app: their articles stay off the list in a view of their own, one
/// button keeps one, the Feeds page follows and unfollows, and events two outlets covered come
/// first.
@Suite("Reading app feeds")
struct ReadingServerFeedsTests {
    static func feedArticle(_ number: Int, source: String, published: String) -> ItemDraft {
        var draft = ItemDraft(
            title: "Feed story \(number)",
            text: "Officials in Caracas rejected the new sanctions announced on Monday, story \(number) says."
        )
        draft.url =
            "https://\(source.lowercased().replacingOccurrences(of: " ", with: "-")).example/\(number)"
        draft.source = source
        draft.published = published
        draft.feedEntry = FeedEntryOrigin(
            feed: ItemID.forAddress("https://feeds.example/\(source)"), entry: nil)
        return draft
    }

    @Test func testFeedArticlesHaveTheirOwnViewAndOneButtonKeepsOne() async throws {
        let fixture = try ServerFixture()
        let article = try await fixture.library.add(
            Self.feedArticle(1, source: "Wire One", published: "2026-12-06")
        )
        .item
        try await fixture.test { browser in
            try await browser.signIn()
            let list = try await browser.get("/")
            #expect(!list.text.contains("Feed story 1"), "a feed's article is not on the list")
            let feeds = try await browser.get("/?view=feeds")
            #expect(feeds.text.contains("Feed story 1"))
            let reader = try await browser.get("/items/\(article.id)")
            #expect(reader.text.contains("Save to my list"))
            let kept = try await browser.post("/items/\(article.id)/keep")
            #expect(kept.status == .seeOther)
            #expect(try await browser.get("/").text.contains("Feed story 1"))
            #expect(!(try await browser.get("/items/\(article.id)").text.contains("Save to my list")))
        }
        #expect(try await fixture.library.resolve(article.id).listed)
    }

    @Test func testFeedsPageFollowsAFeedOnLoopbackAndUnfollowsIt() async throws {
        let server = try LocalHTTPServer { _ in
            .init(
                contentType: "application/rss+xml",
                body: Data(#"<rss version="2.0"><channel><title>Loopback News</title></channel></rss>"#.utf8))
        }
        defer { server.stop() }
        let fixture = try ServerFixture()
        try await fixture.test { browser in
            try await browser.signIn()
            #expect(try await browser.get("/feeds").text.contains("You follow no feeds yet"))
            let followed = try await browser.post("/feeds/add", [("url", server.baseURL + "/feed.xml")])
            #expect(followed.status == .ok && followed.text.contains("Following Loopback News."))
            let id = try #require(try fixture.library.subscriptions().first?.id)
            let refreshed = try await browser.post("/feeds/refresh")
            #expect(refreshed.text.contains("Fetched 1 feeds: 0 new articles"), "\(refreshed.text)")
            let bad = try await browser.post("/feeds/add", [("url", "file:///etc/passwd")])
            #expect(bad.status == .badRequest)
            #expect(try await browser.post("/feeds/\(id)/remove").status == .seeOther)
        }
        #expect(try fixture.library.subscriptions().isEmpty)
    }

    @Test func testEventsCoveredByTwoOutletsComeFirst() async throws {
        let fixture = try ServerFixture()
        for (number, source) in [(2, "Wire One"), (3, "Wire Two")] {
            try await fixture.library.add(Self.feedArticle(number, source: source, published: "2026-12-07"))
        }
        try await fixture.test { browser in
            try await browser.signIn()
            let page = try await browser.get("/events?all=1").text
            let first = try #require(page.range(of: "Feed story")?.lowerBound)
            // The fixture's own event (one outlet's articles, older) comes after.
            let fixtureEvent = try #require(page.range(of: "2019-02-14")?.lowerBound)
            #expect(first < fixtureEvent, "\(page)")
        }
    }
}
