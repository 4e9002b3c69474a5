import Foundation
import ParallaxFeeds
import ParallaxTestSupport
import Testing

/// A document that is not a feed, is cut short, is hostile or is huge is refused in one line or
/// read within bounds: never a crash, never a file outside it read.
@Suite struct FeedBadInputTests {
    let directory = TemporaryDirectory()

    static func path(_ name: String) -> String { Fixtures.resource(name, in: "ParallaxFeedsTests").path }

    @Test func testATruncatedFeedIsMalformed() {
        #expect(
            throws: FeedError.malformed(
                path: Self.path("truncated.xml"), reason: "it is truncated or not well-formed XML")
        ) {
            try FeedParser.parse(file: Self.path("truncated.xml"))
        }
    }

    @Test func testAWebPageIsNotAFeedAndNamesTheFeedsItDeclares() {
        let declared = [
            DeclaredFeed(url: "https://www.example-news.com/rss.xml", title: nil, type: "application/rss+xml")
        ]
        #expect(throws: FeedError.webPage(path: Self.path("page.html"), declared: declared)) {
            try FeedParser.parse(file: Self.path("page.html"), address: "https://www.example-news.com/world/")
        }
        let wellFormed = directory.write("page.xhtml", "<html><head><title>T</title></head><body/></html>")
        #expect(throws: FeedError.webPage(path: wellFormed, declared: [])) {
            try FeedParser.parse(file: wellFormed)
        }
    }

    @Test func testJSONWithoutAFeedVersionIsNotAFeed() {
        #expect(
            throws: FeedError.notAFeed(
                path: Self.path("not-a-feed.json"), reason: "it is JSON without a JSON Feed version")
        ) {
            try FeedParser.parse(file: Self.path("not-a-feed.json"))
        }
    }

    @Test(arguments: [
        ("", "it is empty"), ("   \n", "it is neither XML nor JSON"),
        ("plain words", "it is neither XML nor JSON"),
    ])
    func testEmptyOrPlainTextIsNotAFeed(text: String, reason: String) {
        let path = directory.write("feed", text)
        #expect(throws: FeedError.notAFeed(path: path, reason: reason)) { try FeedParser.parse(file: path) }
    }

    @Test func testTruncatedJSONFeedIsMalformed() throws {
        let whole = try String(contentsOfFile: Self.path("feed.json"), encoding: .utf8)
        let path = directory.write("cut.json", String(whole.prefix(300)))
        #expect(throws: FeedError.malformed(path: path, reason: "it is truncated")) {
            try FeedParser.parse(file: path)
        }
    }

    @Test func testEveryCutOfAFeedIsReadOrRefusedInOneError() throws {
        let whole = try Data(contentsOf: URL(fileURLWithPath: Self.path("rss2.xml")))
        for length in stride(from: 0, to: whole.count, by: 7) {
            let path = directory.write("cut-\(length).xml", whole.prefix(length))
            do {
                _ = try FeedParser.parse(file: path)
            } catch let error as FeedError {
                #expect(error.errorDescription?.contains("\n") == false)
            }
        }
    }

    @Test func testEntitiesTheDocumentDeclaresAreNeverExpanded() throws {
        // libxml2 stops at the declarations' amplification; either way nothing is expanded.
        do {
            let feed = try FeedParser.parse(file: Self.path("billion-laughs.xml"))
            let texts = [feed.title ?? ""] + feed.entries.flatMap { [$0.title ?? "", $0.summary ?? ""] }
            #expect(texts.allSatisfy { !$0.contains("lollol") })
        } catch let error as FeedError {
            guard case .malformed = error else { throw error }
        }
    }

    @Test func testADeclaredEntityThatIsNotAmplifiedStaysUnexpanded() throws {
        let path = directory.write(
            "entity.xml",
            """
            <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY name "Expanded">]>
            <rss version="2.0"><channel><title>Kept &name; title</title>
            <item><link>https://entity.example.com/1</link></item></channel></rss>
            """)
        let feed = try FeedParser.parse(file: path)
        #expect(feed.title == "Kept title")
        #expect(feed.entries.first?.url == "https://entity.example.com/1")
    }

    @Test func testAnExternalEntityNeverReadsALocalFile() throws {
        let secret = directory.write("secret.txt", "the-secret-in-a-local-file")
        let feed = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY stolen SYSTEM "file://\(secret)">]>
            <rss version="2.0"><channel><title>Leak &stolen;</title>
            <item><title>&stolen;</title><link>https://leak.example.com/1</link></item></channel></rss>
            """
        let path = directory.write("xxe.xml", feed)
        let parsed = try? FeedParser.parse(file: path)
        let texts = [parsed?.title ?? ""] + (parsed?.entries.compactMap(\.title) ?? [])
        #expect(texts.allSatisfy { !$0.contains("the-secret") })
    }

    @Test func testAHugeFeedKeepsTheFirstFiveThousandEntriesAndCountsTheRest() throws {
        let items = (0..<100_000).map {
            "<item><title>Story \($0)</title><link>https://big.example.com/\($0)</link></item>"
        }
        let path = directory.write(
            "big.xml",
            "<rss version=\"2.0\"><channel><title>Big</title>" + items.joined() + "</channel></rss>")
        let feed = try FeedParser.parse(file: path)
        #expect(feed.entries.count == FeedLimits.maximumEntries)
        #expect(feed.entriesLeftOut == 100_000 - FeedLimits.maximumEntries)
        #expect(feed.entries.last?.url == "https://big.example.com/4999")
    }

    @Test func testAnElementWithThousandsOfAttributesIsRefusedBeforeLibxml2ComparesThem() throws {
        // libxml2 2.9 compares each attribute with all the others: 200,000 take many minutes.
        let attributes = (0..<200_000).map { "a\($0)=\"\($0)\"" }.joined(separator: " ")
        let path = directory.write(
            "crowded.xml", "<rss><channel><item \(attributes)><title>t</title></item></channel></rss>")
        #expect(throws: FeedError.malformed(path: path, reason: "an element has more than 256 attributes")) {
            try FeedParser.parse(file: path)
        }
    }

    @Test func testADoctypeQuotingAClosingBracketDoesNotHideACrowdedElement() throws {
        let attributes = (0..<20_000).map { "a\($0)=\"\"" }.joined(separator: " ")
        let path = directory.write(
            "hidden.xml",
            #"<!DOCTYPE rss SYSTEM "><!--"><rss version="2.0"><channel><title>T</title><item "#
                + attributes + "/></channel></rss>")
        #expect(throws: FeedError.malformed(path: path, reason: "an element has more than 256 attributes")) {
            try FeedParser.parse(file: path)
        }
    }

    @Test func testEqualsSignsInTextCDATACommentsAndValuesAreNoAttributes() throws {
        let many = String(repeating: "a=b ", count: 1_000)
        let feed = """
            <?xml version="1.0"?><!-- \(many) --><!DOCTYPE rss [<!ENTITY e "\(many)">]>
            <rss version="2.0"><channel><title>\(many)</title>
            <item><link>https://eq.example.com/?\(many.replacingOccurrences(of: " ", with: "&amp;"))</link>
            <description><![CDATA[\(many) ]]] ]]></description><guid isPermaLink="false" note="\(many)">g</guid></item>
            </channel></rss>
            """
        let feed2 = directory.write("equals.xml", feed)
        let parsed = try FeedParser.parse(file: feed2)
        #expect(parsed.entries.first?.id == "g")
    }

    @Test func testAFeedLargerThanTheCapIsRefusedBeforeItIsRead() throws {
        let path = directory.write("large.xml", Data(count: FeedLimits.maximumBytes + 1))
        #expect(throws: FeedError.tooLarge(path: path)) { try FeedParser.parse(file: path) }
    }

    @Test func testAMissingFileOrAFolderIsUnreadable() {
        #expect(throws: FeedError.unreadable(path: directory.path("missing.xml"))) {
            try FeedParser.parse(file: directory.path("missing.xml"))
        }
        #expect(throws: FeedError.unreadable(path: directory.url.path)) {
            try FeedParser.parse(file: directory.url.path)
        }
    }

    @Test func testANamedPipeIsUnreadableWithoutWaitingForAWriter() throws {
        let pipe = directory.path("feed.pipe")
        try #require(mkfifo(pipe, 0o600) == 0, "a named pipe can be made here")
        // With no writer, opening the pipe to read would wait for ever: it is refused at once.
        #expect(throws: FeedError.unreadable(path: pipe)) { try FeedParser.parse(file: pipe) }
    }

    @Test func testLongFieldsAreCutToTheirCaps() throws {
        let title = String(repeating: "word ", count: 2_000)
        let path = directory.write(
            "long.xml", "<rss version=\"2.0\"><channel><item><title>\(title)</title></item></channel></rss>")
        let feed = try FeedParser.parse(file: path)
        #expect(feed.entries.first?.title?.count == FeedLimits.maximumLineCharacters)
    }
}
