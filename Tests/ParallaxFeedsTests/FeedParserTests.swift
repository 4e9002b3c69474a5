import Foundation
import ParallaxFeeds
import ParallaxSimulation
import ParallaxTestSupport
import Testing

/// Each format's fixture, written from its specification, reads into what Parallax keeps.
@Suite struct FeedParserTests {
    static func fixture(_ name: String, address: String? = nil) throws -> ParsedFeed {
        try FeedParser.parse(file: Fixtures.resource(name, in: "ParallaxFeedsTests").path, address: address)
    }

    static func moment(_ date: Date?) -> String? { date.map(FeedDate.iso8601) }

    @Test func testRSS2KeepsTitlesLinksGUIDsDatesAuthorsAndFullText() throws {
        let feed = try Self.fixture("rss2.xml", address: "https://www.example-news.com/rss.xml")
        #expect(feed.kind == .rss)
        #expect(feed.title == "Example News & Views")
        #expect(feed.home == "https://www.example-news.com/")
        #expect(feed.selfURL == "https://www.example-news.com/rss.xml")
        #expect(feed.minimumInterval == 3_600)
        #expect(feed.entries.count == 4)
        let first = feed.entries[0]
        #expect(first.title == "Café owners & the new law")
        #expect(first.url == "https://www.example-news.com/2024/03/05/cafe-owners")
        #expect(first.id == "tag:example-news.com,2024:1")
        #expect(Self.moment(first.published) == "2024-03-05T19:30:00Z")
        #expect(first.author == "Ana Ruiz")
        #expect(first.summary == "Owners say the law came too fast.")
        #expect(first.content?.hasPrefix("<p>Owners of the city's cafés said on Tuesday") == true)
        // No link: the permalink guid is the address.
        #expect(feed.entries[1].url == "https://www.example-news.com/2024/03/06/second")
        #expect(Self.moment(feed.entries[1].published) == "2024-03-06T09:15:00Z")
        #expect(feed.entries[1].summary == "<p>A summary in <b>escaped</b> HTML.</p>")
        #expect(feed.entries[2].url == "https://www.example-news.com/2024/03/07/third")
        #expect(Self.moment(feed.entries[2].published) == "2024-03-07T07:00:00Z")
        // A script address is no address, and a guid that is not a permalink is none either.
        #expect(feed.entries[3].url == nil)
        #expect(feed.entries[3].id == "story-4")
    }

    @Test func testRDFReadsItemsBesideItsChannel() throws {
        let feed = try Self.fixture("rdf.xml")
        #expect(feed.kind == .rdf)
        #expect(feed.title == "RDF Daily")
        #expect(feed.home == "https://rdf.example.net/")
        #expect(feed.minimumInterval == 1_800)
        #expect(feed.entries.map(\.url) == ["https://rdf.example.net/a", "https://rdf.example.net/b"])
        #expect(feed.entries[0].id == "https://rdf.example.net/a")
        #expect(Self.moment(feed.entries[0].date) == "2024-03-05T09:14:55Z")
        #expect(feed.entries[0].author == "Jo Bloggs")
        #expect(Self.moment(feed.entries[1].date) == "2024-03-06T00:00:00Z")
    }

    @Test func testAtomResolvesLinksAgainstXMLBaseAndReadsEveryTextType() throws {
        let feed = try Self.fixture("atom.xml")
        #expect(feed.kind == .atom)
        #expect(feed.title == "Notes & Queries")
        #expect(feed.home == "https://blog.example.org/")
        #expect(feed.selfURL == "https://blog.example.org/feed.atom")
        let first = feed.entries[0]
        #expect(first.url == "https://blog.example.org/posts/first.html")
        #expect(first.id == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a")
        #expect(Self.moment(first.published) == "2024-03-04T13:00:00Z")
        #expect(Self.moment(first.updated) == "2024-03-05T18:30:02Z")
        #expect(first.author == "Kim Lee")
        #expect(first.summary == "<p>A plain summary &lt;not markup&gt;.</p>")
        #expect(first.content?.contains("<p>The <em>first</em> post.</p>") == true)
        let second = feed.entries[1]
        #expect(second.title == "Second post")
        #expect(second.url == "https://other.example.org/archive/second.html")
        #expect(second.content == "<p>Escaped <i>HTML</i>.</p>")
        #expect(Self.moment(second.date) == "2024-03-06T12:00:00Z")
    }

    @Test func testAtom03ReadsIssuedModifiedAndEscapedContent() throws {
        let feed = try Self.fixture("atom03.xml")
        #expect(feed.kind == .atom)
        #expect(feed.entries.count == 1)
        #expect(feed.entries[0].url == "http://old.example.com/2004/01/entry")
        #expect(Self.moment(feed.entries[0].published) == "2004-01-01T17:00:00Z")
        #expect(feed.entries[0].content == "<p>Escaped content.</p>")
    }

    @Test func testJSONFeedReadsItemsAuthorsAndExternalLinks() throws {
        let feed = try Self.fixture("feed.json")
        #expect(feed.kind == .json)
        #expect(feed.title == "JSON Times")
        #expect(feed.home == "https://json.example.com/")
        #expect(feed.entries.count == 2)
        #expect(feed.entries[0].author == "Sam Roe")
        #expect(Self.moment(feed.entries[0].published) == "2024-03-05T07:30:00Z")
        #expect(feed.entries[0].content == "<p>The first item.</p>")
        #expect(feed.entries[1].id == "2")
        #expect(feed.entries[1].url == "https://elsewhere.example.org/story")
        #expect(feed.entries[1].author == "Old-style Author")
        #expect(feed.entries[1].content == "<p>Plain text &lt;kept as text&gt;.</p>")
        #expect(Self.moment(feed.entries[1].date) == "2024-03-06T10:00:00Z")
    }

    /// Strings are read in place when they end in the bytes read so far without an escape, and
    /// the long way otherwise: escapes, surrogate pairs and their broken halves, and strings
    /// that cross from one 64 KiB read into the next come out the same either way.
    @Test func testJSONStringsReadTheSameWhereverTheyFallInTheFile() throws {
        let directory = TemporaryDirectory()
        let escaped = #"caf\u00e9 \ud83d\ude00 \ud800x \udc00 \ud800\u0041 \"q\" \\ \/ \t"#
        // Padding moves the next item's strings across the edge of the first read.
        for padding in [65_400, 65_480, 65_530, 65_536] {
            let filler = String(repeating: "a", count: padding)
            let path = directory.write(
                "feed-\(padding).json",
                #"{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "content_html": "\#(filler)"}, "#
                    + #"{"id": "2", "title": "\#(escaped)", "content_html": "<p>long \#(escaped)</p>"}]}"#)
            let feed = try FeedParser.parse(file: path)
            #expect(feed.entries.count == 2)
            #expect(feed.entries[0].content == filler)
            #expect(feed.entries[1].title == "caf\u{E9} \u{1F600} \u{FFFD}x \u{FFFD} \u{FFFD}A \"q\" \\ /")
            #expect(
                feed.entries[1].content
                    == "<p>long caf\u{E9} \u{1F600} \u{FFFD}x \u{FFFD} \u{FFFD}A \"q\" \\ / \t</p>")
        }
    }

    /// Small documents are read by libxml2 readers kept from earlier parses: whatever was read
    /// before, on however many threads, and however it ended, each reads as on its own.
    @Test func testSmallFeedsReadTheSameWhateverWasReadBefore() async throws {
        let names = [
            "rss2.xml", "atom.xml", "atom03.xml", "rdf.xml", "latin1.xml", "subscriptions.opml", "feed.json",
        ]
        let paths = names.map { Fixtures.resource($0, in: "ParallaxFeedsTests").path }
        let alone = try paths.map { try FeedParser.parse(file: $0, address: "https://base.example.com/") }
        let refused = ["truncated.xml", "billion-laughs.xml", "page.html"].map {
            Fixtures.resource($0, in: "ParallaxFeedsTests").path
        }
        let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
            for seed in 0..<8 {
                group.addTask {
                    var generator = SeededGenerator(seed: UInt64(seed))
                    var mismatches = 0
                    for _ in 0..<40 {
                        let index = Int.random(in: 0..<paths.count, using: &generator)
                        // A parse that fails midway must not leave its reader to the next one.
                        _ = try? FeedParser.parse(file: refused.randomElement(using: &generator)!)
                        let feed = try FeedParser.parse(
                            file: paths[index], address: "https://base.example.com/")
                        if feed != alone[index] { mismatches += 1 }
                    }
                    return mismatches
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }

    /// A document held in memory reads as its file does, and one that is refused from a file
    /// is refused from memory with the same error, a web page's declared feeds included.
    @Test func testADocumentInMemoryReadsAsItsFileDoes() throws {
        let folder = Fixtures.resource("rss2.xml", in: "ParallaxFeedsTests").deletingLastPathComponent()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names.count >= 10)
        for name in names {
            let path = folder.appendingPathComponent(name).path
            let document = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let fromFile = Result {
                try FeedParser.parse(file: path, name: name, address: "https://b.example/")
            }
            let fromMemory = Result {
                try FeedParser.parse(document: document, name: name, address: "https://b.example/")
            }
            switch (fromFile, fromMemory) {
            case (.success(let file), .success(let memory)): #expect(file == memory, "\(name)")
            case (.failure(let file as FeedError), .failure(let memory as FeedError)):
                #expect(file == memory, "\(name)")
            default: Issue.record("\(name): \(fromFile) from its file, \(fromMemory) from memory")
            }
        }
        let tooLarge = [UInt8](repeating: 0x20, count: FeedLimits.maximumBytes + 1)
        #expect(throws: FeedError.tooLarge(path: "big")) {
            try FeedParser.parse(document: tooLarge, name: "big")
        }
    }

    @Test func testOPMLListsEachWebFeedOnce() throws {
        let feed = try Self.fixture("subscriptions.opml")
        #expect(feed.kind == .opml)
        #expect(
            feed.feeds == [
                ListedFeed(url: "https://www.example-news.com/rss.xml", title: "Example News"),
                ListedFeed(url: "https://rdf.example.net/index.rdf", title: "RDF Daily"),
            ])
    }

    @Test func testWindows1252LabelledAsLatin1KeepsItsQuotes() throws {
        let feed = try Self.fixture("latin1.xml")
        #expect(feed.title == "Café “Quotes”")
        #expect(feed.entries.first?.title == "“Smart” quotes – and a dash")
    }

    @Test func testALatin1LabelWithSpacesAroundItsEqualsSignIsReadTheSameWay() throws {
        let folder = TemporaryDirectory()
        let original = try Data(contentsOf: Fixtures.resource("latin1.xml", in: "ParallaxFeedsTests"))
        let spaced =
            Data(
                String(decoding: original.prefix(44), as: UTF8.self)
                    .replacingOccurrences(of: "encoding=", with: "encoding = ").utf8) + original.dropFirst(44)
        let feed = try FeedParser.parse(file: folder.write("spaced.xml", spaced))
        #expect(feed.title == "Café “Quotes”")
    }

    @Test func testJSONOutputHasTheDocumentedShape() throws {
        let feed = try Self.fixture("rss2.xml", address: "https://www.example-news.com/rss.xml")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try #require(
            try JSONSerialization.jsonObject(with: encoder.encode(feed)) as? [String: Any])
        #expect(Set(json.keys) == ["kind", "title", "home", "entries"])
        let entry = try #require((json["entries"] as? [[String: Any]])?.first)
        #expect(Set(entry.keys) == ["id", "url", "title", "published", "author"])
        #expect(entry["published"] as? String == "2024-03-05T19:30:00Z")
        let outline = try JSONSerialization.jsonObject(
            with: encoder.encode(try Self.fixture("subscriptions.opml")))
        #expect(
            Set((outline as? [String: Any])?.keys.map { $0 } ?? []) == ["kind", "title", "home", "feeds"])
    }
}
