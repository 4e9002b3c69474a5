import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxIngest

/// The exports of services and browsers other than the read-it-later tools of
/// `ReadingListImportTests`: each field lands where it should, and a broken entry fails alone.
@Suite struct ServiceExportTests {
    func importing(_ name: String, into temporary: TemporaryLibrary) throws -> ImportSummary {
        try ReadingListImporter(path: Fixtures.resource(name).path).run(into: temporary.library)
    }

    func item(_ url: String, in library: Library) throws -> Item {
        try #require(try library.item(withURL: url), "\(url) was not saved")
    }

    @Test func testEachExportIsToldByItsContentWhateverItsName() throws {
        let expected: [(String, ImportFormat)] = [
            ("omnivore.json", .omnivoreJSON), ("pinboard.json", .pinboard),
            ("readability.json", .readability),
            ("firefox-bookmarks.json", .firefox), ("Bookmarks", .chrome), ("wallabag.json", .wallabag),
        ]
        let directory = TemporaryDirectory()
        for (name, format) in expected {
            #expect(try ImportFormat.detect(path: Fixtures.resource(name).path) == format, "\(name)")
            // Renamed, or with another service's name, the content still decides.
            let renamed = directory.write(
                "export-\(format.rawValue).txt", try Data(contentsOf: Fixtures.resource(name)))
            #expect(try ImportFormat.detect(path: renamed) == format, "\(name) renamed")
        }
    }

    @Test func testUnknownJSONIsDescribedInOneLineAndNothingIsWritten() throws {
        let directory = TemporaryDirectory()
        let object = directory.write(
            "settings.json", "{\n  \"theme\": \"dark\",\n  \"fontSize\": 14,\n  \"accounts\": []\n}\n")
        #expect(
            throws: IngestError.unknownJSON(
                name: object, shape: "a JSON object with keys accounts, fontSize, theme")
        ) { try ImportFormat.detect(path: object) }
        let array = directory.write("points.json", #"[{"x": 1, "y": 2}, {"x": 3, "y": 4}]"#)
        #expect(
            throws: IngestError.unknownJSON(name: array, shape: "a JSON array of objects with keys x, y")
        ) { try ImportFormat.detect(path: array) }
        let numbers = directory.write("numbers.json", "[1, 2, 3]")
        #expect(throws: IngestError.unknownJSON(name: numbers, shape: "a JSON array of numbers")) {
            try ImportFormat.detect(path: numbers)
        }
        let message = IngestError.unknownJSON(name: "x.json", shape: "a JSON array of numbers")
            .localizedDescription
        #expect(!message.contains("\n") && message.contains("Pinboard"), "\(message)")
    }

    @Test func testOmnivoreJSONKeepsStateLabelsProgressDatesAuthorAndHighlights() throws {
        let temporary = try TemporaryLibrary()
        let summary = try importing("omnivore.json", into: temporary)
        #expect(summary.saved == 2 && summary.skipped == 1 && summary.failures.isEmpty, "\(summary)")
        let strike = try item("https://ledger.example.com/business/port-strike", in: temporary.library)
        #expect(strike.title == "Dockworkers' strike closes the port for a third day")
        #expect(strike.byline == "Ana Ruiz")
        #expect(strike.tags == ["labour", "ports"])
        #expect(strike.readingState == .reading && strike.progress == 0.45 && !strike.archived)
        #expect(strike.saved == "2024-03-05T14:30:00Z" && strike.published == "2024-03-05T06:00:00Z")
        #expect(strike.note == "Talks resume on Monday as cargo piles up.")
        let highlights = try temporary.library.highlights(of: strike)
        #expect(highlights.map(\.quote) == ["cargo piles up at the gates"])
        #expect(highlights.first?.note == "compare with the 2019 strike")
        #expect(highlights.first?.created == "2024-03-05T15:00:00Z")
        let budget = try item("https://daily.example.org/politics/budget-vote", in: temporary.library)
        #expect(budget.archived && budget.readingState == .read && budget.tags == ["politics"])
        #expect(budget.byline == nil && budget.note == nil)
    }

    @Test func testPinboardKeepsTheNoteTagsTimeAndToRead() throws {
        let temporary = try TemporaryLibrary()
        let summary = try importing("pinboard.json", into: temporary)
        #expect(summary.saved == 2 && summary.failures.isEmpty, "\(summary)")
        let strike = try item("https://ledger.example.com/business/port-strike", in: temporary.library)
        #expect(strike.title == "Dockworkers' strike closes the port")
        #expect(strike.note == "Good background on the\nunion's demands.")
        #expect(strike.tags == ["labour", "ports", "strike"])
        #expect(strike.saved == "2024-03-05T14:30:00Z" && strike.readingState == .unread)
        let budget = try item("https://daily.example.org/politics/budget-vote", in: temporary.library)
        #expect(budget.readingState == .read && !budget.archived && budget.tags.isEmpty && budget.note == nil)
    }

    @Test func testReadabilityKeepsFavoriteArchiveDatesAndExcerpt() throws {
        let temporary = try TemporaryLibrary()
        let summary = try importing("readability.json", into: temporary)
        #expect(summary.saved == 2 && summary.failures.isEmpty, "\(summary)")
        let strike = try item("https://ledger.example.com/business/port-strike", in: temporary.library)
        #expect(strike.favorite && !strike.archived && strike.readingState == .unread)
        #expect(strike.saved == "2015-03-05T14:30:00Z")
        #expect(strike.note == "Cargo piles up at the gates as talks stall.")
        let budget = try item("https://daily.example.org/politics/budget-vote", in: temporary.library)
        #expect(budget.archived && budget.readingState == .read && !budget.favorite)
        #expect(budget.saved == "2015-02-01T09:00:00Z" && budget.note == nil)
    }

    @Test func testFirefoxBackupKeepsFoldersAsTagsTagsAndDates() throws {
        let temporary = try TemporaryLibrary()
        let summary = try importing("firefox-bookmarks.json", into: temporary)
        // A smart query (place:) and a bookmarklet are no pages: skipped, not failed.
        #expect(summary.saved == 3 && summary.skipped == 2 && summary.failures.isEmpty, "\(summary)")
        let oil = try item("https://wire.example.com/world/sanctions-eased", in: temporary.library)
        #expect(oil.title == "Sanctions eased on oil exports")
        #expect(oil.tags == ["news", "oil", "sanctions", "venezuela"])
        #expect(oil.saved == "2024-03-05T14:30:00Z")
        let strike = try item("https://ledger.example.com/business/port-strike", in: temporary.library)
        #expect(strike.tags == ["news"])
        let budget = try item("https://daily.example.org/politics/budget-vote", in: temporary.library)
        #expect(budget.tags.isEmpty && budget.saved == "2024-02-01T09:00:00Z")
    }

    @Test func testChromeBookmarksKeepFoldersAsTagsAndDatesFrom1601() throws {
        let temporary = try TemporaryLibrary()
        let summary = try importing("Bookmarks", into: temporary)
        #expect(summary.saved == 3 && summary.failures.isEmpty, "\(summary)")
        let oil = try item("https://wire.example.com/world/sanctions-eased", in: temporary.library)
        #expect(oil.tags.isEmpty && oil.saved == "2024-03-17T04:30:00Z")
        let strike = try item("https://ledger.example.com/business/port-strike", in: temporary.library)
        #expect(strike.tags == ["research"] && strike.saved == "2024-03-17T04:31:40Z")
        let budget = try item("https://daily.example.org/politics/budget-vote", in: temporary.library)
        #expect(budget.tags.isEmpty && budget.saved == "2024-02-01T09:10:00Z")
    }

    @Test func testABrokenEntryFailsAloneNamingTheEntryAndTheField() throws {
        let directory = TemporaryDirectory()
        let cases: [(String, String, String, String)] = [
            (
                "pinboard.json",
                #"[{"href":"https://a.example.com/1","description":"One","time":"2024-03-05T14:30:00Z","toread":"no","tags":""},{"description":"No address","time":"2024-03-05T14:30:00Z","toread":"no"},{"href":"https://a.example.com/3","description":"Three","time":"not a time","toread":"no"}]"#,
                "entry 2: the record has no href", "time"
            ),
            (
                "omnivore.json",
                #"[{"slug":"a","url":"https://a.example.com/1","title":"One","savedAt":"2024-03-05T14:30:00Z","labels":[]},{"slug":"b","title":"No url","savedAt":"2024-03-05T14:30:00Z","labels":[]},{"slug":"c","url":"https://a.example.com/3","labels":"not a list"}]"#,
                "entry 2: the record has no url", "labels"
            ),
            (
                "readability.json",
                #"{"bookmarks":[{"article__url":"https://a.example.com/1","article__title":"One","archive":false,"favorite":false},{"article__title":"No url","archive":false},{"article__url":"https://a.example.com/3","date_added":"garbage"}]}"#,
                "entry 2: the record has no article__url", "date_added"
            ),
        ]
        for (name, content, message, field) in cases {
            let temporary = try TemporaryLibrary()
            let path = directory.write(name, content)
            let summary = try ReadingListImporter(path: path).run(into: temporary.library)
            #expect(summary.saved == 1 && summary.failures.count == 2, "\(name): \(summary)")
            #expect(summary.failures.first?.hasSuffix(message) == true, "\(name): \(summary.failures)")
            let last = summary.failures.last ?? ""
            #expect(last.contains("entry 3: ") && last.contains(field), "\(name): \(summary.failures)")
        }
    }

    @Test func testJSONLinesWithALongFirstLineIsToldByContentWhateverItsName() throws {
        let directory = TemporaryDirectory()
        let long = String(repeating: "A sentence of the article. ", count: 400)
        let export = directory.write(
            "export.json",
            #"{"url":"https://a.example.com/1","title":"One","text":"\#(long)"}"# + "\n"
                + #"{"url":"https://a.example.com/2","title":"Two","text":"Short."}"# + "\n")
        #expect(try ImportFormat.detect(path: export) == .jsonl)
        // A first line with a key an export uses, followed by more lines, is still JSON Lines.
        let lines = directory.write(
            "lines.txt",
            #"{"bookmarks":[],"title":"x"}"# + "\n" + #"{"url":"https://a.example.com/3"}"# + "\n")
        #expect(try ImportFormat.detect(path: lines) == .jsonl)
    }

    @Test func testAnExportsValueDeepInsideAnotherDocumentIsNoExport() throws {
        let directory = TemporaryDirectory()
        let settings = directory.write(
            "settings.json", "{\n  \"theme\": \"dark\",\n  \"x\": [\"text/x-moz-place-container\"]\n}\n")
        #expect(throws: IngestError.unknownJSON(name: settings, shape: "a JSON object with keys theme, x")) {
            try ImportFormat.detect(path: settings)
        }
    }

    @Test func testTheWrongBrowserIsRefusedBeforeAnythingIsSaved() throws {
        let chrome = Fixtures.resource("Bookmarks").path
        let firefox = Fixtures.resource("firefox-bookmarks.json").path
        #expect(throws: IngestError.invalidFile(name: chrome, reason: "not a Firefox bookmark backup")) {
            try ReadingListImporter(path: chrome, format: .firefox)
                .run(into: try TemporaryLibrary().library)
        }
        #expect(throws: IngestError.invalidFile(name: firefox, reason: "not a Chrome Bookmarks file")) {
            try ReadingListImporter(path: firefox, format: .chrome)
                .run(into: try TemporaryLibrary().library)
        }
    }

    @Test func testDeepFoldersGiveTheNearestFourTagsAndImpossibleDatesFailTheirBookmark() throws {
        let temporary = try TemporaryLibrary()
        var tree =
            #"{"date_added":"13355123400000000","name":"Deep","type":"url","url":"https://a.example.com/deep"}"#
        for level in (1...10).reversed() {
            tree = #"{"children":[\#(tree)],"name":"F\#(level)","type":"folder"}"#
        }
        let file = temporary.directory.write(
            "Bookmarks",
            #"{"checksum":"0","roots":{"bookmark_bar":{"children":[\#(tree),"#
                + #"{"date_added":"99999999999999999999","name":"Far","type":"url","url":"https://a.example.com/far"},"#
                + #"{"date_added":"1","name":"1601","type":"url","url":"https://a.example.com/old"}"#
                + #"],"name":"Bookmarks bar","type":"folder"}},"version":1}"#)
        let summary = try ReadingListImporter(path: file).run(into: temporary.library)
        #expect(summary.saved == 1 && summary.failures.count == 2, "\(summary)")
        #expect(summary.failures.allSatisfy { $0.contains("the field date_added holds") }, "\(summary)")
        let deep = try item("https://a.example.com/deep", in: temporary.library)
        #expect(deep.tags == ["f10", "f7", "f8", "f9"])
    }

    @Test func testAnEntryOverTheLimitFailsAloneAndTheNextIsRead() throws {
        let directory = TemporaryDirectory()
        let path = directory.write(
            "entries.json", #"[{"a":1},{"b":"\#(String(repeating: "x", count: 300))"},{"c":3}]"#)
        var reader = try JSONArrayReader(path: path, limit: 100)
        #expect(try reader.next()?.get() == Data(#"{"a":1}"#.utf8))
        #expect(reader.next() == .failure(.elementTooLarge(element: 2)))
        #expect(try reader.next()?.get() == Data(#"{"c":3}"#.utf8))
        #expect(reader.next() == nil)
    }
}
