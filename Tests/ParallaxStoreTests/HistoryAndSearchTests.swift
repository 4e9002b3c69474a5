import Foundation
import ParallaxTestSupport
import Testing

@testable import ParallaxStore

@Suite struct HistoryAndSearchTests {
    @Test func testALongArticleGetsASnippetFromItsOpeningAndAShortOneFromFTS5() throws {
        let temporary = try TemporaryLibrary()
        let filler = Array(repeating: "the officials met at the border again", count: 9_000).joined(
            separator: " ")
        var long = ItemDraft(
            title: "A very long article", text: "Opening words. " + filler + " and the sanctions.")
        long.url = "https://example.com/long"
        try temporary.library.add(long)
        var short = ItemDraft(title: "A short article", text: "Officials weighed sanctions on Tuesday.")
        short.url = "https://example.com/short"
        try temporary.library.add(short)
        let hits = try temporary.library.search("officials")
        #expect(Set(hits.map(\.item.title)) == ["A very long article", "A short article"])
        for hit in hits {
            #expect(
                hit.snippet.contains(SearchHit.matchStart + "officials" + SearchHit.matchEnd)
                    || hit.snippet.contains(SearchHit.matchStart + "Officials" + SearchHit.matchEnd),
                "\(hit.snippet)")
        }
        let longHit = try #require(hits.first { $0.item.title == "A very long article" })
        #expect(longHit.snippet.split(separator: " ").count <= 26)
    }

    @Test func testAnArticleOverTheTextCapIsRefused() throws {
        let temporary = try TemporaryLibrary()
        let draft = ItemDraft(
            title: "Too long", text: String(repeating: "word ", count: Library.maximumTextBytes / 5 + 1))
        #expect(throws: LibraryError.self) { try temporary.library.add(draft) }
        #expect(try temporary.export().isEmpty)
    }

    @Test func testRestoreReturnsFieldsTagsAndHighlightsToAVersion() throws {
        let temporary = try TemporaryLibrary()
        let library = temporary.library
        var draft = Fixtures.draft(1)
        draft.tags = ["original"]
        let id = try library.add(draft).item.id
        let snapshot = try temporary.export(includeDeleted: false)
        let version = try library.currentVersion()
        try library.mark(id, as: .read)
        try library.updateTags(id, adding: ["new"], removing: ["original"])
        try library.addHighlight(id, quote: "Paragraph one")
        try library.setNote(id, "later note")
        var revised = Fixtures.draft(1)
        revised.title = "Changed"
        try library.add(revised, force: true)
        try library.restore(id, to: version)
        // The highlight made after the version stays as a removed row, so compare without removed rows.
        #expect(try temporary.export(includeDeleted: false) == snapshot)
        #expect(try library.currentVersion() == version + 6)
    }

    @Test func testRemovedItemLeavesListAndSearchAndComesBack() throws {
        let temporary = try TemporaryLibrary()
        let id = try temporary.library.add(Fixtures.draft(1)).item.id
        try temporary.library.delete(id)
        #expect(try temporary.library.items().isEmpty)
        #expect(try temporary.library.search("sanctions").isEmpty)
        #expect(try temporary.library.history(of: id).entries.count == 2)
        try temporary.library.restore(id)
        #expect(try temporary.library.items().map(\.id) == [id])
        #expect(try temporary.library.search("sanctions").map(\.item.id) == [id])
    }

    /// Ranking costs a pass over every match, so a query that matches more articles than
    /// are ranked finds its best among the newest; a narrower query reaches the older ones.
    @Test func testAQueryMatchingMoreThanAreRankedFindsItsBestAmongTheNewest() throws {
        let temporary = try TemporaryLibrary()
        var oldest = Fixtures.draft(0)
        oldest.title = "Sanctions sanctions sanctions"
        let drafts = [oldest] + (1...Library.rankedMatches).map { Fixtures.draft($0) }
        try temporary.library.add(contentsOf: drafts.lazy.map { .success($0) }) { _, _ in }
        let best = try temporary.library.search("sanctions", limit: 1)
        #expect(best.count == 1 && best[0].item.url != oldest.url)
        #expect(try temporary.library.search("sanctions AND 0", limit: 1).map(\.item.url) == [oldest.url])
        var newest = Fixtures.draft(Library.rankedMatches + 1)
        newest.title = oldest.title
        _ = try temporary.library.add(newest)
        #expect(try temporary.library.search("sanctions", limit: 1).map(\.item.url) == [newest.url])
    }

    @Test func testRestoreToAnUnknownVersionFails() throws {
        let temporary = try TemporaryLibrary()
        try temporary.library.add(Fixtures.draft(1))
        let id = try temporary.library.add(Fixtures.draft(2)).item.id
        #expect(throws: LibraryError.unknownVersion(item: id, version: 1, oldestKept: 2)) {
            try temporary.library.restore(id, to: 1)
        }
        #expect(throws: LibraryError.self) { try temporary.library.restore(id, to: 50) }
    }

    @Test func testLogListsNewestChangesFirst() throws {
        let temporary = try TemporaryLibrary()
        let id = try temporary.library.add(Fixtures.draft(1)).item.id
        try temporary.library.setFavorite(id, true)
        let log = try temporary.library.log(limit: 10)
        #expect(log.map(\.field) == ["favorite", "*"])
        #expect(log.first?.newValue == .integer(1))
        #expect(log.first?.device == temporary.library.deviceID)
    }

    @Test func testSearchRanksTitleMatchesAndSupportsOperators() throws {
        let temporary = try TemporaryLibrary()
        var titled = ItemDraft(
            title: "Guaido and the generals", text: "A story about the army and its officers.")
        titled.source = "Wire"
        let inTitle = try temporary.library.add(titled).item.id
        let inText = try temporary.library.add(
            ItemDraft(title: "Another story", text: "The generals met Guaido once, briefly, in Caracas.")
        ).item.id
        try temporary.library.add(ItemDraft(title: "Unrelated", text: "Weather in Oslo was mild."))
        #expect(try temporary.library.search("guaido").map(\.item.id) == [inTitle, inText])
        #expect(try temporary.library.search("guaido AND caracas").map(\.item.id) == [inText])
        #expect(try temporary.library.search("guaido NOT caracas").map(\.item.id) == [inTitle])
        let hit = try #require(try temporary.library.search("oslo").first)
        #expect(hit.snippet(open: "[", close: "]").contains("[Oslo]"))
    }

    @Test func testPlainTextThatIsNotFTSSyntaxStillSearches() throws {
        let temporary = try TemporaryLibrary()
        let id = try temporary.library.add(
            ItemDraft(title: "Coup", text: "He denounced a coup d'état in Caracas.")
        ).item.id
        #expect(try temporary.library.search("coup d'état").map(\.item.id) == [id])
        #expect(throws: LibraryError.self) { try temporary.library.search("   ") }
    }
}
