import Foundation
import GRDB
import ParallaxTestSupport
import Testing

@testable import ParallaxStore

/// An item's HTML is a field like any other: stored once by content, in history, restorable,
/// and in the export.
@Suite struct ArticleHTMLTests {
    static func draft(_ number: Int, html: String?) -> ItemDraft {
        var draft = Fixtures.draft(number)
        draft.html = html
        return draft
    }

    static let figure =
        #"<p>Cranes idle.</p><figure><img src="https://x.example/c.jpg" alt="Cranes" /></figure>"#

    @Test func testAddedArticleKeepsItsHTMLBesideItsText() throws {
        let temporary = try TemporaryLibrary()
        let library = temporary.library
        let withHTML = try library.add(Self.draft(1, html: Self.figure)).item
        let textOnly = try library.add(Self.draft(2, html: "  \n ")).item
        #expect(try library.articleHTML(ofItem: withHTML.id) == Self.figure)
        #expect(try library.articleHTML(ofItem: textOnly.id) == nil)
        #expect(throws: LibraryError.unknownItem(reference: "nope")) {
            try library.articleHTML(ofItem: "nope")
        }
        // The text is still the body that search and counts read.
        #expect(try library.search("Paragraph").count == 2)
        #expect(try library.checkIntegrity().isEmpty)
    }

    @Test func testTwoItemsWithTheSameHTMLStoreItOnce() throws {
        let temporary = try TemporaryLibrary()
        try temporary.library.add(Self.draft(1, html: Self.figure))
        try temporary.library.add(Self.draft(2, html: Self.figure))
        let copies = try temporary.library.database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM body WHERE text = ?", arguments: [Self.figure])
        }
        #expect(copies == 1)
    }

    @Test func testRefetchedHTMLIsAChangeInHistoryAndRestoreBringsTheOldOneBack() throws {
        let temporary = try TemporaryLibrary()
        let library = temporary.library
        let item = try library.add(Self.draft(1, html: nil)).item
        let before = try library.currentVersion()
        try library.add(Self.draft(1, html: Self.figure), force: true)
        #expect(try library.articleHTML(ofItem: item.id) == Self.figure)
        #expect(try library.history(of: item.id).entries.contains { $0.field == "html" })
        try library.restore(item.id, to: before)
        #expect(try library.articleHTML(ofItem: item.id) == nil)
        try library.restore(item.id, to: before + 1)
        #expect(try library.articleHTML(ofItem: item.id) == Self.figure)
    }

    @Test func testExportRecordCarriesTheHTML() throws {
        let temporary = try TemporaryLibrary()
        try temporary.library.add(Self.draft(1, html: Self.figure))
        var records: [ItemRecord] = []
        try temporary.library.forEachRecord { records.append($0) }
        #expect(records.map(\.html) == [Self.figure])
        let decoded = try JSONDecoder().decode(ItemRecord.self, from: JSONEncoder().encode(records[0]))
        #expect(decoded == records[0])
    }

    @Test func testChangeToAnUnknownHTMLDocumentIsRefused() throws {
        let temporary = try TemporaryLibrary()
        let item = try temporary.library.add(Self.draft(1, html: nil)).item
        let missing = String(repeating: "ab", count: 32)
        #expect(throws: LibraryError.self) {
            try temporary.library.write("set html") { writer in
                let seq = try Int64.fetchOne(
                    writer.db, sql: "SELECT seq FROM item WHERE id = ?", arguments: [item.id])!
                try writer.setItemField(seq, .html, to: missing.databaseValue)
            }
        }
        #expect(try temporary.library.articleHTML(ofItem: item.id) == nil)
    }
}
