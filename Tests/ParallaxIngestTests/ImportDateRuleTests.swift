import Foundation
import ParallaxIngest
import ParallaxStore
import ParallaxTestSupport
import Testing

/// Every importer follows the documented rule, "a date outside 1980–9999 fails its record", and
/// fails a field it cannot read in words a reader knows, rather than keeping, guessing or
/// replacing it by today.
@Suite struct ImportDateRuleTests {
    let temporary: TemporaryLibrary

    init() throws { temporary = try TemporaryLibrary() }

    func run(_ name: String, _ content: String, _ format: ImportFormat) throws -> ImportSummary {
        try ReadingListImporter(path: temporary.directory.write(name, content), format: format)
            .run(into: temporary.library)
    }

    /// Each failure names its field and what it should hold.
    func expectFailures(_ summary: ImportSummary, _ reasons: [String]) {
        #expect(summary.failures.count == reasons.count, "\(summary.failures)")
        for (failure, reason) in zip(summary.failures, reasons) {
            #expect(failure.contains(reason), "\(failure)")
        }
    }

    func savedDates() throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try temporary.library.items().map { ($0.title, $0.saved) })
    }

    @Test func readabilityFailsADateBeforeTheWebOrPastTheYear9999() throws {
        let summary = try run(
            "readability.json",
            """
            {"bookmarks": [
              {"article__url": "https://a.example/1", "article__title": "Year one", "date_added": "0001-01-01"},
              {"article__url": "https://a.example/2", "article__title": "Far future", "date_added": "99999-01-01"},
              {"article__url": "https://a.example/3", "article__title": "Kept", "date_added": "2019-05-01 10:00:00"}
            ]}
            """, .readability)
        expectFailures(
            summary,
            [
                "entry 1: the field date_added holds '0001-01-01', not a date between 1980 and 9999",
                "entry 2: the field date_added holds '99999-01-01', not a date between 1980 and 9999",
            ])
        #expect(try savedDates() == ["Kept": "2019-05-01T10:00:00Z"])
    }

    @Test func pocketFailsATimeAddedPastTheYear9999OrBefore1970() throws {
        let summary = try run(
            "pocket.csv",
            """
            title,url,time_added,cursor,tags,status
            Far future,https://b.example/1,99999999999999999999,,,unread
            Negative,https://b.example/2,-5,,,unread
            Not a number,https://b.example/3,soon,,,unread
            Kept,https://b.example/4,1556000000,,,unread
            No date,https://b.example/5,0,,,unread
            """, .pocket)
        expectFailures(
            summary,
            [
                ":2: the field time_added holds '99999999999999999999', not a date",
                ":3: the field time_added holds '-5', not a date", ":4: the field time_added holds 'soon'",
            ])
        let dates = try savedDates()
        #expect(dates["Kept"] == "2019-04-23T06:13:20Z")
        #expect(dates.keys.sorted() == ["Kept", "No date"])
    }

    @Test func wallabagFailsWhatItCannotReadLikeTheOtherImporters() throws {
        let summary = try run(
            "wallabag.json",
            """
            [
              {"url": "https://c.example/1", "title": "Garbage date", "created_at": "garbage"},
              {"url": "https://c.example/2", "title": "Starred twice", "is_starred": 2},
              {"url": "https://c.example/3", "title": "Numbered tags", "tags": ["news", 1]},
              {"url": "https://c.example/4", "title": "Year one", "created_at": "0001-01-01T00:00:00+00:00"},
              {"url": "https://c.example/5", "title": "Kept", "created_at": "2019-02-15T10:00:00+01:00",
               "is_starred": 1, "tags": ["news", {"label": "venezuela"}]}
            ]
            """, .wallabag)
        expectFailures(
            summary,
            [
                "entry 1: the field created_at holds 'garbage', not a date between 1980 and 9999",
                "entry 2: the field is_starred holds '2', not yes or no",
                "entry 3: the field tags holds '1', not a list of names",
                "entry 4: the field created_at holds '0001-01-01T00:00:00+00:00', not a date",
            ])
        let kept = try #require(try temporary.library.items().first)
        #expect(kept.title == "Kept" && kept.favorite && kept.saved == "2019-02-15T09:00:00Z")
        #expect(kept.tags == ["news", "venezuela"])
    }

    @Test func anArticlePublishedBefore1980KeepsItsDateButAYearOneDoesNot() throws {
        let summary = try run(
            "omnivore.json",
            """
            [
              {"url": "https://d.example/1", "title": "Moon landing", "publishedAt": "1969-07-20",
               "savedAt": "2023-01-02T03:04:05Z"},
              {"url": "https://d.example/2", "title": "Placeholder", "publishedAt": "0001-01-01"}
            ]
            """, .omnivoreJSON)
        expectFailures(
            summary, ["entry 2: the field publishedAt holds '0001-01-01', not a date between 1000 and 9999"])
        #expect(try temporary.library.items().map(\.published) == ["1969-07-20"])
    }

    @Test func browserBookmarksAndPinboardFollowTheSameRule() throws {
        let bookmarks = try run(
            "bookmarks.html",
            """
            <!DOCTYPE NETSCAPE-Bookmark-file-1>
            <DL><DT><A HREF="https://e.example/1" ADD_DATE="-5">Negative</A>
            <DT><A HREF="https://e.example/2" ADD_DATE="1556000000">Kept</A></DL>
            """, .bookmarks)
        expectFailures(bookmarks, ["link 1: the field add_date holds '-5', not a date between 1980 and 9999"])
        let pinboard = try run(
            "pinboard.json",
            #"[{"href": "https://f.example/1", "description": "Year one", "time": "0001-01-01T00:00:00Z"}]"#,
            .pinboard)
        expectFailures(pinboard, ["entry 1: the field time holds '0001-01-01T00:00:00Z', not a date"])
    }

    @Test func jsonLinesErrorsSayWhatAFieldMustHoldInWords() throws {
        let text = #""text": "The talks at the harbour resumed on Monday after a week.""#
        let summary = try run(
            "articles.jsonl",
            [
                "{\(text), \"highlights\": {}}", "null", "{\(text), \"tags\": [1]}",
                "{\(text), \"favorite\": 2}",
                "{\(text), \"highlights\": [null]}", "{\(text), \"saved\": \"0001-01-01\"}",
                "{\(text), \"published\": \"1969-07-20\"}",
            ].joined(separator: "\n"), .jsonl)
        expectFailures(
            summary,
            [
                ":1: 'highlights' must be a list", ":2: not a JSON object",
                ":3: 'tags' must be a list of tags, or text", ":4: 'favorite' must be true or false",
                ":5: 'highlights.0' must be an object, not null",
                ":6: the field saved holds '0001-01-01', not a date between 1980 and 9999",
            ])
        #expect(!summary.failures.contains { $0.contains("Array<") || $0.contains("''") })
        #expect(try temporary.library.items().map(\.published) == ["1969-07-20"])
    }
}
