import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxIngest

@Suite struct ImportTests {
    @Test func testImportedHTMLGoesThroughTheAllowListAndRoundTripsThroughTheExport() throws {
        let temporary = try TemporaryLibrary()
        let hostile =
            #"<p onclick=\"steal()\">Ships <a href=\"javascript:x()\">wait</a>.</p><script>x()</script><img src=\"/c.jpg\">"#
        let file = temporary.directory.write(
            "articles.jsonl",
            """
            {"url": "https://a.example.com/port/1", "title": "Port", "text": "Ships wait offshore.", "html": "\(hostile)"}
            """)
        let summary = try ReadingListImporter(path: file, format: .jsonl).run(into: temporary.library)
        #expect(summary.saved == 1)
        let item = try #require(try temporary.library.items().first)
        let stored = try temporary.library.articleHTML(ofItem: item.id)
        #expect(stored == #"<p>Ships wait.</p><p><img src="https://a.example.com/c.jpg" /></p>"#)
        let export = temporary.directory.path("export.jsonl")
        let handle = try #require(
            FileHandle(forWritingAtPath: temporary.directory.write("export.jsonl", Data())))
        _ = try temporary.library.exportJSONLines { try handle.write(contentsOf: $0) }
        try handle.close()
        let copy = try TemporaryLibrary()
        _ = try ReadingListImporter(path: export, format: .jsonl).run(into: copy.library)
        let copied = try #require(try copy.library.items().first)
        #expect(try copy.library.articleHTML(ofItem: copied.id) == stored)
    }

    @Test func testImportSavesGoodLinesReportsBadOnesAndSkipsDuplicates() throws {
        let temporary = try TemporaryLibrary()
        let file = temporary.directory.write(
            "articles.jsonl",
            """
            {"url": "https://a.example.com/1", "title": "One", "source": "A", "published": "2019-02-14", "text": "First article text about sanctions."}
            not json at all
            {"title": "No text"}
            {"url": "https://a.example.com/1?utm_source=feed", "title": "One again", "text": "Different text."}

            {"url": "https://a.example.com/2", "text": "Headline Without Punctuation Here\\n\\nThe body of the second article is a sentence."}
            {"url": "https://a.example.com/3", "title": "Three", "text": "Third.", "published": "yesterday"}
            {"url": "https://a.example.com/4", "title": "Four", "text": "Fourth.", "tags": "x|y", "state": "read", "favorite": true}
            """)
        let summary = try ReadingListImporter(path: file, format: .jsonl).run(into: temporary.library)
        #expect(summary.saved == 3)
        #expect(summary.duplicates == 1)
        #expect(summary.skipped == 1)
        #expect(summary.failures.count == 3)
        #expect(summary.failures[0].hasPrefix("\(file):2:"))
        #expect(summary.failures[1].hasPrefix("\(file):3:"))
        #expect(summary.failures[2].hasPrefix("\(file):7:"))
        let items = try temporary.library.items()
        #expect(Set(items.map(\.title)) == ["One", "Headline Without Punctuation Here", "Four"])
        let four = try #require(items.first { $0.title == "Four" })
        #expect(four.tags == ["x", "y"] && four.readingState == .read && four.favorite)
    }

    /// The share read grows with the records handed over and ends at the whole file, for both
    /// kinds of reader: lines, and a streamed JSON array.
    @Test func testReadingProgressCountsTheFileOnce() throws {
        let temporary = try TemporaryLibrary()
        let lines = (1...3_000).map {
            #"{"title": "T\#($0)", "text": "Body \#($0) of an article about talks."}"#
        }
        let array = (1...3_000).map {
            #"{"slug":"s\#($0)","url":"https://o.example.com/\#($0)","title":"O \#($0)","state":"Active"}"#
        }
        for (name, content, format) in [
            ("many.jsonl", lines.joined(separator: "\n"), ImportFormat.jsonl),
            ("omnivore.json", "[" + array.joined(separator: ",") + "]", .omnivoreJSON),
        ] {
            let file = temporary.directory.write(name, content)
            let importer = try ReadingListImporter(path: file, format: format)
            let reading = try #require(importer.reading)
            var seen: [Double] = []
            _ = try importer.run(into: temporary.library) { done, _ in
                if done % 500 == 0 { seen.append(reading.fraction ?? -1) }
            }
            #expect(seen.count == 6 && seen == seen.sorted() && seen.first! > 0, "\(name): \(seen)")
            #expect(reading.bytesRead == Int64(content.utf8.count) && reading.fraction == 1, "\(name)")
        }
    }

    @Test func testEachBadRecordIsNamedForWhatIsWrongWithIt() throws {
        let temporary = try TemporaryLibrary()
        let file = temporary.directory.write(
            "articles.jsonl",
            """
            not json at all
            [1, 2]
            {"url": "https://a.example.com/1", "title": "One", "text": "Text.", "highlights": [{"note": "no quote"}]}
            {"url": "https://a.example.com/2", "title": "Two", "text": "Text.", "highlights": [{"quote": "Text", "created": "not a date"}]}
            """)
        let summary = try ReadingListImporter(path: file, format: .jsonl).run(into: temporary.library)
        #expect(summary.failures.count == 4)
        let reasons = [
            "not valid JSON", "not a JSON object", "'highlights.0.quote' is missing", "invalid created",
        ]
        for (failure, reason) in zip(summary.failures, reasons) {
            #expect(failure.contains(reason), "\(failure)")
        }
        #expect(try temporary.library.search("Text").isEmpty)
        #expect(try temporary.library.checkIntegrity().isEmpty)
    }

    @Test func testImportIsIdempotent() throws {
        let temporary = try TemporaryLibrary()
        let file = temporary.directory.write(
            "articles.jsonl",
            (1...20).map {
                #"{"url": "https://b.example.com/\#($0)", "title": "T\#($0)", "text": "Body \#($0)."}"#
            }
            .joined(separator: "\n"))
        _ = try ReadingListImporter(path: file, format: .jsonl).run(into: temporary.library)
        let before = try temporary.export()
        let again = try ReadingListImporter(path: file, format: .jsonl).run(into: temporary.library)
        #expect(again.saved == 0 && again.duplicates == 20)
        #expect(try temporary.export() == before)
    }

    @Test func testExportRoundTripsThroughImport() throws {
        let original = try TemporaryLibrary()
        for draft in try SampleLibrary.drafts() { try original.library.add(draft) }
        let id = try original.library.items().last!.id
        try original.library.mark(id, as: .reading, progress: 0.3)
        try original.library.addHighlight(id, quote: "self-proclaimed interim president", note: "loaded")
        let exported = original.directory.write("export.jsonl", try original.export(includeDeleted: false))
        let copy = try TemporaryLibrary()
        let summary = try ReadingListImporter(path: exported, format: .jsonl).run(into: copy.library)
        #expect(summary.saved == 4)
        #expect(summary.failures.isEmpty, "\(summary.failures)")
        #expect(try Self.withoutIDs(copy.export()) == Self.withoutIDs(original.export()))
    }

    @Test func testSamplesCoverOneEventFromFourSources() throws {
        let drafts = try SampleLibrary.drafts()
        #expect(drafts.count == 4)
        #expect(Set(drafts.compactMap(\.source)).count == 4)
        #expect(drafts[0].title == "US in Touch With Venezuelan Military, Mulls New Sanctions on Maduro")
        #expect(
            drafts.dropFirst().allSatisfy { $0.source!.hasSuffix("(sample)") && $0.tags.contains("sample") })
    }

    /// An export with the ids, which a new library makes anew, taken out.
    static func withoutIDs(_ export: String) throws -> [NSDictionary] {
        try export.split(separator: "\n").map { line in
            var object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            object["id"] = nil
            object["highlights"] = (object["highlights"] as! [[String: Any]]).map { highlight in
                var highlight = highlight
                highlight["id"] = nil
                return highlight
            }
            return object as NSDictionary
        }.sorted { ($0["title"] as! String) < ($1["title"] as! String) }
    }
}
