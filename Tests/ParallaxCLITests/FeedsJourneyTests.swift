import Foundation
import ParallaxTestSupport
import Testing

/// Following feeds as a new user would, through the built binary against a real HTTP server on
/// a loopback port: find a site's feed, refresh, read what came in, keep one, move the
/// subscriptions to another reader and back.
@Suite struct FeedsJourneyTests {
    let directory = TemporaryDirectory()
    var parallax: ParallaxCommand { ParallaxCommand(in: directory) }

    static func site() throws -> LocalHTTPServer {
        let long = String(repeating: "Sanctions were widened on Monday, the officials said. ", count: 30)
        let page =
            "<p>" + String(repeating: "The government in Caracas rejected the sanctions. ", count: 15)
            + "</p>"
        return try LocalHTTPServer { path in
            switch path {
            case "/":
                .init(
                    body: Data(
                        """
                        <html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml" title="Main">
                        <link rel="alternate" type="application/atom+xml" href="/atom.xml" title="Atom"></head></html>
                        """.utf8))
            case "/feed.xml":
                .init(
                    contentType: "application/rss+xml",
                    body: Data(
                        """
                        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
                        <title>Example News</title>
                        <item><guid>tag:example,2026:1</guid><link>/story/1</link><title>Whole story</title>
                        <content:encoded><![CDATA[<p>\(long)</p>]]></content:encoded></item>
                        <item><guid>tag:example,2026:2</guid><link>/story/2</link><title>Caracas answers</title>
                        <description>Teaser.</description></item>
                        </channel></rss>
                        """.utf8))
            case "/story/2":
                .init(
                    body: Data(
                        "<html><body><article><h1>Caracas answers</h1>\(page)\(page)</article></body></html>"
                            .utf8))
            default: .init(status: 404)
            }
        }
    }

    @Test func testANewUserFollowsASiteRefreshesKeepsOneAndMovesTheirFeeds() throws {
        let server = try Self.site()
        defer { server.stop() }
        #expect(try parallax("init").status == 0)
        let choices = try parallax("feeds", "add", server.baseURL + "/")
        #expect(choices.status == 4 && choices.stdout.isEmpty)
        #expect(choices.stderr.contains("1. \(server.baseURL)/feed.xml (Main)"))
        #expect(choices.stderr.hasSuffix("choose one with --pick N\n"))

        let added = try parallax("feeds", "add", server.baseURL + "/", "--pick", "1", "--tag", "world")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.hasPrefix("Following Example News"))

        let refreshed = try parallax("feeds", "refresh", "--json")
        #expect(refreshed.status == 0, "\(refreshed.stderr)")
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(refreshed.stdout.utf8)) as? [String: Any])
        #expect(summary["new_articles"] as? Int == 2 && summary["from_feed_text"] as? Int == 1)

        // Nothing came onto the reader's list; the feed's articles have a view of their own.
        let mine = try parallax("list", "--json")
        #expect(try JSONSerialization.jsonObject(with: Data(mine.stdout.utf8)) as? [Any] != nil)
        #expect(mine.stdout.filter { !$0.isWhitespace } == "[]")
        let fromFeeds = try parallax("list", "--feeds", "--json")
        let items = try #require(
            try JSONSerialization.jsonObject(with: Data(fromFeeds.stdout.utf8)) as? [[String: Any]])
        #expect(
            items.count == 2
                && items.allSatisfy {
                    $0["listed"] as? Bool == false && $0["source"] as? String == "Example News"
                })

        let id = try #require(items.first { $0["title"] as? String == "Caracas answers" }?["id"] as? String)
        let kept = try parallax("keep", String(id.prefix(10)))
        #expect(kept.status == 0 && kept.stdout.hasPrefix("Kept "), "\(kept.stderr)")
        #expect(try parallax("list").stdout.contains("Caracas answers"))

        let again = try parallax("feeds", "refresh")
        #expect(again.stdout.contains("No feed is due"), "\(again.stdout)")

        let outline = directory.path("subscriptions.opml")
        #expect(try parallax("feeds", "export", "-o", outline).status == 0)
        let opml = try String(contentsOfFile: outline, encoding: .utf8)
        #expect(
            opml.contains(#"xmlUrl="\#(server.baseURL)/feed.xml""#) && opml.contains(#"category="world""#))
        #expect(try parallax("feeds", "remove", "Example News").status == 0)
        let unknown = try parallax("feeds", "remove", "No Such Outlet")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.hasPrefix("parallax: error: no followed feed matches 'No Such Outlet'"))
        #expect(try parallax("feeds", "list", "--json").stdout.filter { !$0.isWhitespace } == "[]")
        let back = try parallax("feeds", "add", outline)
        #expect(back.status == 0 && back.stdout.hasPrefix("Following Example News"), "\(back.stderr)")
        // An export is replaced only by another export.
        let notes = directory.path("notes.txt")
        try "mine".write(toFile: notes, atomically: true, encoding: .utf8)
        let refused = try parallax("feeds", "export", "-o", notes)
        #expect(refused.status != 0 && refused.stderr.split(separator: "\n").count == 1)
        #expect(try String(contentsOfFile: notes, encoding: .utf8) == "mine")
    }

    @Test func testEveryFeedFailingExitsWithTheFetchCodeAndOneLineEach() throws {
        let server = try LocalHTTPServer { _ in .init(status: 500) }
        defer { server.stop() }
        #expect(try parallax("init").status == 0)
        #expect(try parallax("feeds", "add", server.baseURL + "/feed.xml").status == 10)
        // Followed from an outline, they are read at the first refresh.
        let outline = directory.path("list.opml")
        try """
        <opml version="2.0"><body><outline text="A" xmlUrl="\(server.baseURL)/a.xml"/>
        <outline text="B" xmlUrl="\(server.baseURL)/b.xml"/><outline text="Bad" xmlUrl="javascript:alert(1)"/></body></opml>
        """.write(toFile: outline, atomically: true, encoding: .utf8)
        let followed = try parallax("feeds", "add", outline)
        #expect(followed.status == 0 && followed.stdout.components(separatedBy: "Following").count == 3)
        // An address of another scheme is dropped as the outline is read.
        #expect(!followed.stdout.contains("javascript"))
        let refreshed = try parallax("feeds", "refresh")
        #expect(refreshed.status == 10)
        let lines = refreshed.stderr.split(separator: "\n")
        #expect(
            lines.count == 3 && lines.last == "parallax: error: none of the 2 feeds could be read", "\(lines)"
        )
        let listed = try parallax("feeds", "list")
        #expect(listed.stdout.contains("HTTP 500"))
    }
}
