import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing
import ZIPFoundation

@testable import ParallaxIngest

@Suite struct ReadingListImportTests {
    func importing(_ name: String, format: ImportFormat? = nil, into temporary: TemporaryLibrary) throws
        -> ImportSummary
    {
        try ReadingListImporter(path: Fixtures.resource(name).path, format: format).run(
            into: temporary.library)
    }

    func item(_ url: String, in library: Library) throws -> Item {
        try #require(try library.item(withURL: url), "\(url) was not saved")
    }

    @Test func testFormatsAreToldFromTheFile() throws {
        let expected: [(String, ImportFormat)] = [
            ("pocket.csv", .pocket), ("instapaper.csv", .instapaper), ("pocket.html", .pocketHTML),
            ("bookmarks.html", .bookmarks), ("wallabag.json", .wallabag), ("urls.txt", .urls),
        ]
        for (name, format) in expected {
            #expect(try ImportFormat.detect(path: Fixtures.resource(name).path) == format, "\(name)")
        }
        let directory = TemporaryDirectory()
        let prose = directory.write("notes.txt", "Just some notes\nabout nothing in particular\n")
        #expect(throws: IngestError.unknownFormat(name: prose)) { try ImportFormat.detect(path: prose) }
        // A JSON document spread over many lines is not JSON Lines, even when its first line is
        // a whole object.
        let document = directory.write(
            "document.json", "{\"url\": \"https://a.example.com/1\"}\n{\n  \"more\": 1\n}\n")
        #expect(try ImportFormat.detect(path: document) == .jsonl)
        let spread = directory.write("spread.json", "{\n  \"theme\": \"dark\"\n}\n")
        #expect(throws: IngestError.unknownJSON(name: spread, shape: "a JSON object with keys theme")) {
            try ImportFormat.detect(path: spread)
        }
        let lines = directory.write(
            "saved", #"{"url": "https://a.example.com/1", "text": "Text."}"#)
        #expect(try ImportFormat.detect(path: lines) == .jsonl)
    }

    @Test func testPocketCSVKeepsTagsStateAndDatesAndSkipsTheSameURL() throws {
        let temporary = try TemporaryLibrary()
        let summary = try importing("pocket.csv", into: temporary)
        #expect(summary.saved == 3)
        #expect(summary.duplicates == 1)
        #expect(summary.failures.count == 2)
        #expect(summary.failures[0].contains("pocket.csv:4: 2 fields where the header has 6"))
        #expect(summary.failures[1].contains("pocket.csv:7:") && summary.failures[1].contains("mailto:"))
        #expect(summary.unfetched.count == 4)
        let strike = try item("https://ledger.example.com/business/strike", in: temporary.library)
        #expect(strike.title == "Dockworkers walk out, talks collapse")
        #expect(strike.tags == ["labour", "ports"])
        #expect(strike.saved == "2024-03-05T06:30:00Z")
        #expect(strike.wordCount == 0 && strike.readingState == .unread && !strike.archived)
        let rain = try item("https://valley-courier.example/weather/1", in: temporary.library)
        #expect(rain.archived && rain.readingState == .read)
        #expect(try item("https://news.example.org/world/sanctions", in: temporary.library).tags == ["world"])
    }

    @Test func testInstapaperFoldersSelectionsAndQuotedFields() throws {
        let temporary = try TemporaryLibrary()
        let summary = try importing("instapaper.csv", into: temporary)
        #expect(summary.saved == 4 && summary.failures.isEmpty, "\(summary.failures)")
        let strike = try item("https://ledger.example.com/business/strike", in: temporary.library)
        #expect(strike.title == "Dockworkers walk out, as \"talks\" collapse")
        #expect(strike.tags == ["labour", "ports"])
        let highlights = try temporary.library.highlights(of: strike)
        #expect(highlights.map(\.quote) == ["The union said a strike was\nthe only language left to them."])
        #expect(try item("https://valley-courier.example/weather/1", in: temporary.library).archived)
        #expect(try item("https://news.example.org/world/sanctions", in: temporary.library).favorite)
        #expect(
            try item("https://news.example.org/science/comet", in: temporary.library).tags == [
                "space reading"
            ])
    }

    @Test func testPocketHTMLAndBookmarksKeepHeadingsAsStateOrTags() throws {
        let pocket = try TemporaryLibrary()
        #expect(try importing("pocket.html", into: pocket).saved == 3)
        let rain = try item("https://valley-courier.example/weather/1", in: pocket.library)
        #expect(rain.archived && rain.tags == ["weather"])
        #expect(
            try item("https://ledger.example.com/business/strike", in: pocket.library).tags == [
                "labour", "ports",
            ])

        let browser = try TemporaryLibrary()
        let summary = try importing("bookmarks.html", into: browser)
        #expect(summary.saved == 2, "\(summary)")
        let strike = try item("https://ledger.example.com/business/strike", in: browser.library)
        #expect(strike.tags.isEmpty && strike.saved == "2024-03-05T06:30:00Z")
        #expect(
            try item("https://news.example.org/world/sanctions", in: browser.library).tags == [
                "sanctions", "venezuela",
            ])
    }

    @Test func testWallabagKeepsContentAnnotationsAndReportsBadEntries() throws {
        let temporary = try TemporaryLibrary()
        let summary = try importing("wallabag.json", into: temporary)
        #expect(summary.saved == 2)
        #expect(summary.failures.count == 2)
        #expect(summary.failures[0].contains("entry 3: not a JSON object"))
        #expect(summary.failures[1].contains("entry 4: the record has no url"))
        let strike = try item("https://ledger.example.com/business/strike", in: temporary.library)
        #expect(try temporary.library.text(of: strike).hasPrefix("Dockworkers at the harbour's three"))
        #expect(strike.archived && strike.byline == "Mara Lindqvist" && strike.language == "en")
        #expect(strike.published == "2024-03-05T06:30:00Z")
        let highlight = try #require(try temporary.library.highlights(of: strike).first)
        #expect(highlight.quote == "the only language left to us" && highlight.note == "key claim")
        let gone = try item("https://gone.example.com/page", in: temporary.library)
        #expect(gone.favorite && gone.wordCount == 0)
        #expect(summary.unfetched == [gone.id])

        let truncated = temporary.directory.write(
            "cut.json",
            "[{\"url\": \"https://a.example.com/1\", \"title\": \"One\"}, {\"url\": \"https://a.exa")
        let cut = try ReadingListImporter(path: truncated, format: .wallabag).run(into: temporary.library)
        #expect(
            cut.saved == 1 && cut.failures.count == 1
                && cut.failures[0].contains("entry 2: the file ends inside"))
        let object = temporary.directory.write("object.json", "{\"entries\": []}")
        let notArray = try ReadingListImporter(path: object, format: .wallabag).run(into: temporary.library)
        #expect(notArray.failures.count == 1 && notArray.failures[0].contains("not a Wallabag export"))
    }

    @Test func testOmnivoreArchiveKeepsContentLabelsProgressAndHighlights() throws {
        let temporary = try TemporaryLibrary()
        let zip = temporary.directory.url.appendingPathComponent("omnivore.zip")
        let archive = try Archive(url: zip, accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count),
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        try add(
            "metadata_0_to_2.json",
            """
            [{"id":"1","slug":"strike","title":"Dockworkers walk out","author":"Mara Lindqvist",
              "url":"https://ledger.example.com/business/strike","state":"Succeeded","readingProgress":40,
              "labels":["labour",{"name":"ports"}],"savedAt":"2024-03-05T08:00:00.000Z","publishedAt":"2024-03-05T07:30:00.000Z"},
             {"id":"2","slug":"rain","title":"Rainfall record","url":"https://valley-courier.example/weather/1",
              "state":"Archived","readingProgress":100,"labels":[],"savedAt":"2024-03-06T08:00:00.000Z"},
             {"id":"3","slug":"old","title":"Deleted one","url":"https://old.example.com/","state":"Deleted"}]
            """)
        try add(
            "content/strike.html",
            "<div><p>Dockworkers at the harbour walked out on Tuesday morning.</p><p>Talks resume on Thursday.</p></div>"
        )
        try add(
            "highlights/strike.md",
            "> Talks resume on Thursday. [⤴️](https://omnivore.app/me/strike#1)\n\nworth following\n\n> walked out\n"
        )
        let summary = try ReadingListImporter(path: zip.path).run(into: temporary.library)
        #expect(summary.saved == 2 && summary.skipped == 1 && summary.failures.isEmpty, "\(summary)")
        let strike = try item("https://ledger.example.com/business/strike", in: temporary.library)
        #expect(
            try temporary.library.text(of: strike)
                == "Dockworkers at the harbour walked out on Tuesday morning.\n\nTalks resume on Thursday.")
        #expect(
            strike.tags == ["labour", "ports"] && strike.readingState == .reading && strike.progress == 0.4)
        let highlights = try temporary.library.highlights(of: strike)
        #expect(highlights.map(\.quote).sorted() == ["Talks resume on Thursday.", "walked out"])
        #expect(highlights.first { $0.quote.hasPrefix("Talks") }?.note == "worth following")
        let rain = try item("https://valley-courier.example/weather/1", in: temporary.library)
        #expect(rain.archived && rain.readingState == .read && rain.wordCount == 0)

        let notZip = temporary.directory.write("broken.zip", "PK\u{3}\u{4} but not really a zip")
        #expect(throws: IngestError.self) {
            try ReadingListImporter(path: notZip).run(into: temporary.library)
        }
    }

    @Test func testOmnivoreEntryThatInflatesPastWhatItDeclaresFailsItsRecord() throws {
        let temporary = try TemporaryLibrary()
        let zip = temporary.directory.url.appendingPathComponent("omnivore.zip")
        let archive = try Archive(url: zip, accessMode: .create)
        func add(_ path: String, _ data: Data) throws {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        try add(
            "metadata_0_to_1.json",
            Data(
                #"[{"slug":"bomb","title":"Bomb","url":"https://example.com/bomb","state":"Succeeded"}]"#.utf8
            ))
        try add("content/bomb.html", Data(repeating: 0x61, count: TextInput.byteLimit + (4 << 20)))
        // The central directory now claims the page is 1,000 bytes.
        var bytes = try Data(contentsOf: zip)
        let central = try #require(bytes.lastRange(of: Data([0x50, 0x4B, 0x01, 0x02]))).lowerBound
        bytes.replaceSubrange(central + 24..<central + 28, with: [0xE8, 0x03, 0x00, 0x00])
        try bytes.write(to: zip)
        let summary = try ReadingListImporter(path: zip.path).run(into: temporary.library)
        #expect(summary.saved == 0 && summary.failures.count == 1, "\(summary)")
        #expect(summary.failures.first?.contains("content/bomb.html") == true, "\(summary.failures)")
        #expect(try temporary.library.items().isEmpty)
    }

    @Test func testURLListSkipsCommentsAndTheSameAddressTwice() throws {
        let temporary = try TemporaryLibrary()
        let summary = try importing("urls.txt", into: temporary)
        #expect(summary.saved == 2 && summary.duplicates == 1 && summary.skipped == 2)
        #expect(summary.failures.count == 1 && summary.failures[0].contains("urls.txt:5: 'not a link'"))
        #expect(
            try item("https://ledger.example.com/business/strike", in: temporary.library).title
                == "Dockworkers walk out")
    }

    @Test func testImportIsIdempotentAndResumesWithoutDuplicates() throws {
        let temporary = try TemporaryLibrary()
        let rows = (1...1200).map {
            "Story \($0),https://example.com/story/\($0)?utm_source=x,1709620200,,,unread"
        }
        let half = temporary.directory.write(
            "half.csv", "title,url,time_added,cursor,tags,status\n" + rows.prefix(700).joined(separator: "\n")
        )
        let full = temporary.directory.write(
            "full.csv", "title,url,time_added,cursor,tags,status\n" + rows.joined(separator: "\n"))
        #expect(try ReadingListImporter(path: half).run(into: temporary.library).saved == 700)
        let resumed = try ReadingListImporter(path: full).run(into: temporary.library)
        #expect(resumed.saved == 500 && resumed.duplicates == 700)
        let again = try ReadingListImporter(path: full).run(into: temporary.library)
        #expect(again.saved == 0 && again.duplicates == 1200)
        #expect(try temporary.library.statistics().items == 1200)
    }

    @Test func testFetchFillsLinksKeepsFailuresAsLinksAndResumes() async throws {
        let page = try Data(contentsOf: Fixtures.samplePage)
        let server = try LocalHTTPServer { path in
            path.hasPrefix("/ok") ? .init(body: page) : .init(status: 404)
        }
        defer { server.stop() }
        let temporary = try TemporaryLibrary()
        let list = temporary.directory.write(
            "links.txt", "\(server.baseURL)/ok/1\n\(server.baseURL)/missing\n\(server.baseURL)/ok/2 Second\n")
        let summary = try ReadingListImporter(path: list).run(into: temporary.library)
        #expect(summary.unfetched.count == 3)
        try temporary.library.updateTags(summary.unfetched[0], adding: ["keep"], removing: [])
        let fetched = try await LinkFetch(library: temporary.library, concurrency: 2).run(
            itemIDs: summary.unfetched)
        #expect(fetched.fetched == 2 && fetched.failures.count == 1 && fetched.done == 3)
        #expect(fetched.failures[0].contains("/missing") && fetched.failures[0].contains("404"))
        let first = try item(server.baseURL + "/ok/1", in: temporary.library)
        #expect(first.title == "Dockworkers walk out as talks over automation collapse")
        #expect(first.source == "The Coastal Ledger" && first.tags == ["keep"] && first.wordCount > 150)
        #expect(try item(server.baseURL + "/missing", in: temporary.library).wordCount == 0)

        let requests = server.requests.count
        let again = try await LinkFetch(library: temporary.library).run(itemIDs: summary.unfetched)
        #expect(again.alreadyFetched == 2 && again.fetched == 0 && again.failures.count == 1)
        #expect(server.requests.count == requests + 1)
        #expect(try temporary.library.statistics().items == 3)
    }
}
