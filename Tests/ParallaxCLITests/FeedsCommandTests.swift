import Foundation
import ParallaxTestSupport
import Testing

/// `parallax feeds parse` through the built binary: what a feed holds, from a file or over
/// HTTP, and one line with the documented exit code for what is no feed.
@Suite struct FeedsCommandTests {
    let directory = TemporaryDirectory()

    static func fixture(_ name: String) -> String { Fixtures.resource(name, in: "ParallaxFeedsTests").path }

    @Test func testParseJSONPrintsTheDocumentedShape() throws {
        let result = try CommandLineRunner.run(["feeds", "parse", Self.fixture("rss2.xml"), "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["kind"] as? String == "rss")
        #expect(json["title"] as? String == "Example News & Views")
        let entries = try #require(json["entries"] as? [[String: Any]])
        #expect(entries.count == 4)
        #expect(entries[0]["published"] as? String == "2024-03-05T19:30:00Z")
    }

    @Test func testParseOverHTTPResolvesLinksAgainstTheFeedsAddress() throws {
        let feed = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("rss2.xml")))
        let server = try LocalHTTPServer { path in
            path == "/rss.xml"
                ? .init(contentType: "application/rss+xml", body: feed) : .init(status: 404)
        }
        defer { server.stop() }
        let result = try CommandLineRunner.run(["feeds", "parse", "\(server.baseURL)/rss.xml", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let entries = try #require(json["entries"] as? [[String: Any]])
        #expect(entries[2]["url"] as? String == "\(server.baseURL)/2024/03/07/third")
        let missing = try CommandLineRunner.run(["feeds", "parse", "\(server.baseURL)/gone.xml"])
        #expect(missing.status == 10)
        #expect(missing.stderr.split(separator: "\n").count == 1)
    }

    @Test(arguments: [("page.html", Int32(4)), ("truncated.xml", Int32(4)), ("not-a-feed.json", Int32(4))])
    func testSomethingThatIsNoFeedFailsInOneLine(name: String, status: Int32) throws {
        let result = try CommandLineRunner.run(["feeds", "parse", Self.fixture(name)])
        #expect(result.status == status)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("parallax: error: "))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func testASavedPageNamesTheFeedsItDeclaresAtItsAddress() throws {
        let result = try CommandLineRunner.run([
            "feeds", "parse", Self.fixture("page.html"), "--url", "https://www.example-news.com/world/",
        ])
        #expect(result.status == 4)
        #expect(
            result.stderr
                == "parallax: error: \(Self.fixture("page.html")) is a web page, not a feed; it declares "
                + "https://www.example-news.com/rss.xml\n")
    }

    @Test func testATextPastLibxml2sLimitFailsInOneLine() throws {
        // libxml2 stops at a text node of 10 MB and once printed three lines of the document.
        let path = directory.write(
            "long-text.xml",
            #"<rss version="2.0"><channel><title>T</title><item><description>"#
                + String(repeating: "word ", count: 2_100_000) + "</description></item></channel></rss>")
        let result = try CommandLineRunner.run(["feeds", "parse", path])
        #expect(result.status == 4)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr.prefix(300))")
    }

    @Test func testAMissingFileExitsWithNotFound() throws {
        let result = try CommandLineRunner.run(["feeds", "parse", directory.path("missing.xml")])
        #expect(result.status == 2)
        #expect(result.stderr == "parallax: error: cannot read \(directory.path("missing.xml"))\n")
    }
}
