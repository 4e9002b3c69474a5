import Foundation
import ParallaxFeeds
import ParallaxIngest
import ParallaxTestSupport
import Testing

/// A feed fetched over HTTP is held to the feed's own cap while it streams, whatever the server
/// sends; a real server on a loopback port stands where an outlet's would.
@Suite struct FeedFetchBoundsTests {
    @Test func testAnEndlessFeedStopsAtTheFeedCap() async throws {
        let server = try LocalHTTPServer { _ in .init(contentType: "application/rss+xml", endlessBytes: true)
        }
        defer { server.stop() }
        var policy = FetchPolicy()
        policy.maximumBytes = 64 << 20
        let address = server.baseURL + "/rss.xml"
        await #expect(throws: FetchError.tooLarge(url: address, limit: FeedLimits.maximumBytes)) {
            _ = try await FeedParser.read(address, fetcher: PageFetcher(policy: policy))
        }
    }

    @Test func testAStalledFeedStopsAtTheIdleLimit() async throws {
        let server = try LocalHTTPServer { _ in .init(contentType: "application/rss+xml", delay: 30) }
        defer { server.stop() }
        var policy = FetchPolicy()
        policy.idleTimeout = 1
        policy.totalTimeout = 2
        let address = server.baseURL + "/rss.xml"
        await #expect(throws: FetchError.self) {
            _ = try await FeedParser.read(address, fetcher: PageFetcher(policy: policy))
        }
    }
}
