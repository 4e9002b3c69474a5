import Foundation
import ParallaxFeeds
import Testing

/// A web page's declared feeds are found as feed readers find them.
@Suite struct FeedDiscoveryTests {
    @Test func testAPageDeclaringSeveralFeedsListsEachOnceInItsOrder() {
        let page = """
            <!DOCTYPE html><html><head>
            <base href="https://www.example-news.com/">
            <link rel="alternate" type="application/rss+xml" title="World" href="/world/rss.xml">
            <link rel="alternate" type="application/atom+xml" title="  Opinion   pieces " href="opinion.atom">
            <link rel="alternate" type="application/feed+json" href="https://json.example-news.com/feed.json">
            <link rel="alternate" type="application/rss+xml" title="World again" href="/world/rss.xml">
            <link rel="alternate" hreflang="es" type="text/html" href="/es/">
            <link rel="stylesheet" type="text/css" href="/style.css">
            <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
            <link rel="alternate" type="application/rss+xml" href="ftp://files.example-news.com/rss.xml">
            </head><body><p>News.</p></body></html>
            """
        let feeds = FeedDiscovery.feeds(inPage: page, address: "https://www.example-news.com/world/today")
        #expect(
            feeds == [
                DeclaredFeed(
                    url: "https://www.example-news.com/world/rss.xml", title: "World",
                    type: "application/rss+xml"),
                DeclaredFeed(
                    url: "https://www.example-news.com/opinion.atom", title: "Opinion pieces",
                    type: "application/atom+xml"),
                DeclaredFeed(
                    url: "https://json.example-news.com/feed.json", title: nil, type: "application/feed+json"),
            ])
    }

    @Test func testRelativeAddressesResolveAgainstThePageWithoutABase() {
        let page =
            #"<html><head><link rel="Alternate Home" type="application/RSS+XML; charset=utf-8" href="feed"></head></html>"#
        #expect(
            FeedDiscovery.feeds(inPage: page, address: "https://blog.example.org/posts/")
                == [
                    DeclaredFeed(
                        url: "https://blog.example.org/posts/feed", title: nil, type: "application/rss+xml")
                ])
        #expect(FeedDiscovery.feeds(inPage: page, address: nil).isEmpty)
    }
}
