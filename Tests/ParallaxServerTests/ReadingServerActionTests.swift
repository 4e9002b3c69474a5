import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import ParallaxServer
import ParallaxStore
import ParallaxTestSupport
import Testing

@Suite("Reading app actions")
struct ReadingServerActionTests {
    /// Every state-changing route, with fields that would be valid.
    static func actions(_ fixture: ServerFixture) -> [(String, [(String, String)])] {
        let id = fixture.items[0].id
        return [
            ("/items/\(id)/state", [("state", "read")]), ("/items/\(id)/favorite", [("value", "1")]),
            ("/items/\(id)/archive", [("value", "1")]), ("/items/\(id)/tags", [("add", "venezuela")]),
            ("/items/\(id)/note", [("note", "check the figures")]),
            ("/items/\(id)/highlights", [("quote", "armed forces remain loyal")]),
            ("/items/\(id)/progress", [("progress", "0.5")]), ("/items/\(id)/remove", []),
            ("/items/bulk", [("action", "archive"), ("id", id)]),
            ("/save", [("url", "https://example.com/x")]),
            ("/sync/run", [("remote", "none")]), ("/save/token", []),
            ("/items/\(id)/keep", []), ("/feeds/add", [("url", "https://example.com/feed.xml")]),
            ("/feeds/refresh", []), ("/feeds/\(id)/remove", []),
        ]
    }

    @Test func testEveryActionWithoutTheCSRFTokenIsRefusedAndChangesNothing() async throws {
        let fixture = try ServerFixture()
        let version = try fixture.library.currentVersion()
        try await fixture.test { browser in
            try await browser.signIn()
            for (path, fields) in Self.actions(fixture) {
                let missing = try await browser.post(path, fields, csrf: false)
                #expect(missing.status == .forbidden, "\(path)")
                let wrong = try await browser.post(path, fields + [("csrf", "not-the-token")], csrf: false)
                #expect(wrong.status == .forbidden, "\(path)")
            }
        }
        #expect(try fixture.library.currentVersion() == version)
    }

    @Test func testActionsWithoutASessionOrFromAnotherSiteAreRefused() async throws {
        let fixture = try ServerFixture()
        let version = try fixture.library.currentVersion()
        try await fixture.test { browser in
            try await browser.signIn()
            let crossSite = try await browser.post(
                "/items/\(fixture.items[0].id)/state", [("state", "read")],
                headers: [.origin: "https://evil.example"])
            #expect(crossSite.status == .forbidden)
            browser.cookie = nil
            for (path, fields) in Self.actions(fixture) {
                #expect(try await browser.post(path, fields).status == .unauthorized, "\(path)")
            }
        }
        #expect(try fixture.library.currentVersion() == version)
    }

    @Test func testMarkingReadWritesOneVersionToTheChangeLog() async throws {
        let fixture = try ServerFixture()
        let item = fixture.items[0]
        let version = try fixture.library.currentVersion()
        try await fixture.test { browser in
            try await browser.signIn()
            let response = try await browser.post("/items/\(item.id)/state", [("state", "read")])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/items/\(item.id)")
        }
        let marked = try await fixture.library.resolve(item.id)
        #expect(marked.readingState == .read)
        #expect(marked.progress == 1)
        #expect(try fixture.library.currentVersion() == version + 1)
        let log = try fixture.library.log(limit: 5)
        #expect(
            log.contains {
                $0.itemID == item.id && $0.field == "reading_state" && $0.newValue == .text("read")
            })
    }

    @Test func testReaderEditsReachTheLibraryAsChanges() async throws {
        let fixture = try ServerFixture()
        let id = fixture.items[1].id
        try await fixture.test { browser in
            try await browser.signIn()
            #expect(try await browser.post("/items/\(id)/favorite", [("value", "1")]).status == .seeOther)
            #expect(try await browser.post("/items/\(id)/archive", [("value", "1")]).status == .seeOther)
            #expect(
                try await browser.post("/items/\(id)/tags", [("add", "Venezuela"), ("add", "army")]).status
                    == .seeOther)
            #expect(try await browser.post("/items/\(id)/tags", [("remove", "army")]).status == .seeOther)
            #expect(
                try await browser.post("/items/\(id)/note", [("note", "Compare with Wire One")]).status
                    == .seeOther)
            let highlight = try await browser.post(
                "/items/\(id)/highlights", [("quote", "offered amnesty to soldiers"), ("note", "the offer")])
            #expect(highlight.status == .seeOther)
            let page = try await browser.get("/items/\(id)").text
            #expect(page.contains("<mark>offered amnesty to soldiers</mark>"))
            #expect(page.contains("the offer"))
        }
        let item = try await fixture.library.resolve(id)
        #expect(item.favorite && item.archived)
        #expect(item.tags == ["venezuela"])
        #expect(item.note == "Compare with Wire One")
        let highlights = try fixture.library.highlights(of: item)
        #expect(highlights.map(\.quote) == ["offered amnesty to soldiers"])
        let fields = Set(try fixture.library.history(of: id).entries.map(\.field))
        #expect(fields.isSuperset(of: ["favorite", "archived", "note"]))
    }

    @Test func testRemovingAHighlightAndAnItemLeavesTombstones() async throws {
        let fixture = try ServerFixture()
        let id = fixture.items[0].id
        let highlight = try fixture.library.addHighlight(id, quote: "armed forces remain loyal")
        try await fixture.test { browser in
            try await browser.signIn()
            let removed = try await browser.post(
                "/highlights/\(highlight.id)/remove", [("return", "/items/\(id)")])
            #expect(removed.status == .seeOther)
            #expect(removed.headers[.location] == "/items/\(id)")
            #expect(try await browser.post("/items/\(id)/remove").headers[.location] == "/")
            #expect(try await browser.get("/items/\(id)").status == .notFound)
        }
        #expect(try await fixture.library.resolve(id).deleted)
        let removed = try await fixture.library.resolve(id)
        #expect(try fixture.library.highlights(of: removed).isEmpty)
    }

    @Test func testBadFormInputIsABadRequestNamingTheField() async throws {
        let fixture = try ServerFixture()
        let id = fixture.items[0].id
        let version = try fixture.library.currentVersion()
        try await fixture.test { browser in
            try await browser.signIn()
            for (path, fields, field) in [
                ("/items/\(id)/state", [("state", "finished")], "state"),
                ("/items/\(id)/favorite", [("value", "maybe")], "value"),
                ("/items/\(id)/progress", [("progress", "1.5")], "progress"),
                ("/items/\(id)/progress", [("progress", "nan")], "progress"),
                ("/items/\(id)/highlights", [("quote", "words the article never says")], "highlight"),
                ("/items/\(id)/highlights", [], "quote"), ("/items/\(id)/tags", [("add", " ")], "add"),
                ("/items/bulk", [("action", "explode"), ("id", id)], "action"),
                ("/items/bulk", [("action", "archive")], "id"),
                ("/save", [("url", "ftp://example.com/")], "url"),
                ("/?view=everything", [], "view"),
            ] as [(String, [(String, String)], String)] {
                let response =
                    path.hasPrefix("/?") ? try await browser.get(path) : try await browser.post(path, fields)
                #expect(response.status == .badRequest, "\(path) \(fields)")
                #expect(response.text.contains(field), "\(path) names \(field)")
            }
        }
        #expect(try fixture.library.currentVersion() == version)
    }

    @Test func testProgressIsRecordedWithoutUndoingARead() async throws {
        let fixture = try ServerFixture()
        let (unread, read) = (fixture.items[0].id, fixture.items[1].id)
        try fixture.library.mark(read, as: .read)
        try await fixture.test { browser in
            try await browser.signIn()
            #expect(
                try await browser.post("/items/\(unread)/progress", [("progress", "0.4213")]).status
                    == .noContent)
            let version = try fixture.library.currentVersion()
            #expect(
                try await browser.post("/items/\(unread)/progress", [("progress", "0.42")]).status
                    == .noContent)
            #expect(try fixture.library.currentVersion() == version)
            #expect(
                try await browser.post("/items/\(read)/progress", [("progress", "0.3")]).status == .noContent)
        }
        let reading = try await fixture.library.resolve(unread)
        #expect(reading.readingState == .reading)
        #expect(reading.progress == 0.42)
        #expect(try await fixture.library.resolve(read).readingState == .read)
    }

    @Test func testBulkActionsApplyToEverySelectedItem() async throws {
        let fixture = try ServerFixture()
        let ids = fixture.items.map(\.id)
        try await fixture.test { browser in
            try await browser.signIn()
            let tagged = try await browser.post(
                "/items/bulk",
                [("action", "tag"), ("tag", "sanctions"), ("return", "/?view=all")] + ids.map { ("id", $0) })
            #expect(tagged.status == .seeOther)
            #expect(tagged.headers[.location] == "/?view=all")
            let archived = try await browser.post(
                "/items/bulk",
                [("action", "archive"), ("id", ids[0]), ("id", ids[1]), ("return", "//evil.example/")])
            #expect(archived.headers[.location] == "/")
        }
        var items: [Item] = []
        for id in ids { items.append(try await fixture.library.resolve(id)) }
        #expect(items.allSatisfy { $0.tags == ["sanctions"] })
        #expect(items.map(\.archived) == [true, true, false])
    }

    @Test func testABulkActionWithOneUnknownItemChangesNone() async throws {
        let fixture = try ServerFixture()
        let ids = fixture.items.map(\.id)
        try fixture.library.delete(ids[2])
        let version = try fixture.library.currentVersion()
        try await fixture.test { browser in
            try await browser.signIn()
            for stranger in ["zzzzzzzzzz", ids[2]] {
                let response = try await browser.post(
                    "/items/bulk", [("action", "favorite"), ("id", ids[0]), ("id", stranger), ("id", ids[1])])
                #expect(response.status == .notFound)
            }
        }
        #expect(try fixture.library.currentVersion() == version)
        #expect(try !fixture.library.items().contains { $0.favorite })
    }

    @Test func testARemovedItemCannotBeEditedFromTheApp() async throws {
        let fixture = try ServerFixture()
        let id = fixture.items[0].id
        let highlight = try fixture.library.addHighlight(id, quote: "armed forces remain loyal")
        try fixture.library.delete(id)
        let version = try fixture.library.currentVersion()
        try await fixture.test { browser in
            try await browser.signIn()
            for (path, fields) in Self.actions(fixture) where path.hasPrefix("/items/\(id)") {
                #expect(try await browser.post(path, fields).status == .notFound, "\(path)")
            }
            #expect(try await browser.post("/highlights/\(highlight.id)/remove").status == .notFound)
        }
        #expect(try fixture.library.currentVersion() == version)
    }

    @Test func testAReturnAddressThatLeavesTheSiteIsIgnored() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { browser in
            try await browser.signIn()
            for address in [
                "//evil.example/", "/\t/evil.example", "/\\evil.example", "https://evil.example/", "/ok\n",
            ] {
                let response = try await browser.post(
                    "/items/\(fixture.items[0].id)/favorite", [("value", "1"), ("return", address)])
                #expect(response.headers[.location] == "/items/\(fixture.items[0].id)", "\(address)")
            }
        }
    }

    @Test func testOversizedBodiesAreRefused() async throws {
        let fixture = try ServerFixture()
        let version = try fixture.library.currentVersion()
        try await fixture.test { browser in
            try await browser.signIn()
            let note = String(repeating: "a", count: ServerConfiguration.formLimit + 1)
            let response = try await browser.post("/items/\(fixture.items[0].id)/note", [("note", note)])
            #expect(response.status == .contentTooLarge)
        }
        #expect(try fixture.library.currentVersion() == version)
    }

    @Test func testALockedLibraryIsAServiceUnavailablePageWithARetry() async throws {
        let fixture = try ServerFixture(busyTimeout: 0.2)
        let blocker = try DatabaseQueue(path: fixture.temporary.path)
        try await fixture.test { browser in
            try await browser.signIn()
            // Another connection's write transaction holds the lock past the server's busy timeout.
            let (locked, release) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
            DispatchQueue.global().async {
                try? blocker.inDatabase { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    locked.signal()
                    release.wait()
                    try db.execute(sql: "ROLLBACK")
                }
            }
            locked.wait()
            let response = try await browser.post("/items/\(fixture.items[0].id)/state", [("state", "read")])
            release.signal()
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] != nil)
            #expect(response.text.contains("busy"))
            try blocker.inDatabase { _ in }
            #expect(
                try await browser.post("/items/\(fixture.items[0].id)/state", [("state", "read")]).status
                    == .seeOther)
        }
        #expect(try await fixture.library.resolve(fixture.items[0].id).readingState == .read)
    }
}
