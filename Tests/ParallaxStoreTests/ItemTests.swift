import Foundation
import ParallaxTestSupport
import Testing

@testable import ParallaxStore

@Suite struct ItemTests {
    @Test func testAddStoresEveryField() throws {
        let temporary = try TemporaryLibrary()
        var draft = Fixtures.draft(1)
        draft.byline = "Jane Doe"
        draft.language = "EN"
        draft.tags = ["Venezuela", " later "]
        let item = try temporary.library.add(draft).item
        #expect(item.title == draft.title)
        #expect(item.url == draft.url)
        #expect(item.canonicalURL == "https://news.example.com/articles/1")
        #expect(item.source == "Test Wire")
        #expect(item.published == "2019-02-14")
        #expect(item.language == "en")
        #expect(item.byline == "Jane Doe")
        #expect(item.tags == ["later", "venezuela"])
        #expect(item.readingState == .unread)
        #expect(item.contentHash == ContentHash.of(draft.text))
        #expect(item.wordCount == ContentHash.wordCount(of: draft.text))
        #expect(try temporary.library.text(of: item) == draft.text)
    }

    @Test(arguments: [
        "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd",
    ])
    func testOnlyWebAddressesAreKeptAsAnItemsURL(address: String) throws {
        let temporary = try TemporaryLibrary()
        var draft = Fixtures.draft(1)
        draft.url = address
        #expect(
            throws: LibraryError.invalidValue(
                field: "url", value: address, reason: "only http and https addresses are kept")
        ) {
            try temporary.library.add(draft)
        }
        #expect(try temporary.export().isEmpty)
    }

    @Test func testSameURLIsADuplicateAndChangesNothing() throws {
        let temporary = try TemporaryLibrary()
        let first = try temporary.library.add(
            Fixtures.draft(1, url: "https://www.News.example.com/articles/1/?utm_source=x#top"))
        let version = try temporary.library.currentVersion()
        let before = try temporary.export()
        var again = Fixtures.draft(2, url: "https://news.example.com/articles/1")
        again.title = "A different title"
        let outcome = try temporary.library.add(again)
        #expect(outcome == .duplicate(first.item, reason: .url))
        #expect(try temporary.export() == before)
        #expect(try temporary.library.currentVersion() == version)
    }

    @Test func testSameTextIsADuplicate() throws {
        let temporary = try TemporaryLibrary()
        let first = try temporary.library.add(Fixtures.draft(1))
        var copy = Fixtures.draft(1, url: "https://elsewhere.example.org/copy")
        copy.title = "Syndicated copy"
        #expect(try temporary.library.add(copy) == .duplicate(first.item, reason: .content))
    }

    @Test func testForceStoresANewVersionOfTheSameItem() throws {
        let temporary = try TemporaryLibrary()
        let first = try temporary.library.add(Fixtures.draft(1)).item
        var revised = Fixtures.draft(1)
        revised.title = "Corrected headline"
        revised.text += "\n\nA correction was appended."
        let outcome = try temporary.library.add(revised, force: true)
        guard case .updated(let item) = outcome else {
            Issue.record("expected an update, got \(outcome)"); return
        }
        #expect(item.id == first.id)
        #expect(item.title == "Corrected headline")
        #expect(try temporary.library.text(of: item).hasSuffix("A correction was appended."))
        let fields = try temporary.library.history(of: item.id).entries.map(\.field)
        #expect(fields.contains("title") && fields.contains("body"))
    }

    @Test func testSavingARemovedArticleAgainBringsBackItsItem() throws {
        let temporary = try TemporaryLibrary()
        let first = try temporary.library.add(Fixtures.draft(1)).item
        try temporary.library.updateTags(first.id, adding: ["kept"], removing: [])
        try temporary.library.delete(first.id)
        var again = Fixtures.draft(1)
        again.title = "Saved again"
        guard case .added(let second) = try temporary.library.add(again) else {
            Issue.record("a removed item blocked saving its article again")
            return
        }
        // One address, one item: the sync of another device's save of it finds it by id.
        #expect(second.id == first.id && !second.deleted)
        #expect(second.title == "Saved again" && second.tags == ["kept"])
        var filter = ItemFilter()
        filter.includeDeleted = true
        #expect(try temporary.library.items(matching: filter).count == 1)
    }

    @Test func aForcedSaveOfTheSameTextUnderAnotherAddressMakesTheItemOfThatAddress() throws {
        let temporary = try TemporaryLibrary()
        let first = try temporary.library.add(Fixtures.draft(1, url: "https://a.example/story")).item
        let elsewhere = Fixtures.draft(1, url: "https://b.example/story")
        guard case .duplicate(let found, .content) = try temporary.library.add(elsewhere) else {
            Issue.record("the same text was not found")
            return
        }
        #expect(found.id == first.id)
        let forced = try temporary.library.add(elsewhere, force: true).item
        #expect(forced.id == ItemID.forAddress("https://b.example/story"))
        #expect(try temporary.library.resolve(first.id).url == "https://a.example/story")
    }

    @Test func savingARemovedItemsAddressBringsItBackEvenWhenAnotherItemHasTheText() throws {
        let temporary = try TemporaryLibrary()
        let removed = try temporary.library.add(Fixtures.draft(1, url: "https://a.example/story")).item
        try temporary.library.delete(removed.id)
        let other = try temporary.library.add(Fixtures.draft(2, url: "https://b.example/story")).item
        let outcome = try temporary.library.add(Fixtures.draft(2, url: "https://a.example/story"))
        #expect(outcome.item.id == removed.id && !outcome.item.deleted)
        #expect(try temporary.library.resolve(other.id).url == "https://b.example/story")
        #expect(try temporary.library.duplicateArticles().isEmpty)
    }

    @Test func savingALinkForARemovedArticleBringsItBackWithItsText() throws {
        let temporary = try TemporaryLibrary()
        let first = try temporary.library.add(Fixtures.draft(1)).item
        try temporary.library.delete(first.id)
        var link = ItemDraft(title: "From my reading list", text: "")
        link.url = first.url
        let again = try temporary.library.add(link).item
        #expect(again.id == first.id && !again.deleted && again.title == first.title)
        #expect(try temporary.library.text(of: again) == temporary.library.text(of: first))
    }

    @Test func anArticleWithoutAnAddressStillGetsANewItemOnEachSave() throws {
        let temporary = try TemporaryLibrary()
        var draft = Fixtures.draft(1)
        draft.url = nil
        let first = try temporary.library.add(draft).item
        try temporary.library.delete(first.id)
        #expect(try temporary.library.add(draft).item.id != first.id)
    }

    @Test func theIDOfAnAddressIsTheSameEverywhereAndAValidID() throws {
        let id = ItemID.forAddress("https://example.org/story")
        #expect(id == ItemID.forAddress("https://example.org/story"))
        #expect(id != ItemID.forAddress("https://example.org/story2"))
        #expect(ItemID.normalizedPrefix(id) == id && id.count == ItemID.length)
        let temporary = try TemporaryLibrary()
        var draft = Fixtures.draft(1)
        draft.url = "https://Example.org/story?utm_source=x"
        #expect(try temporary.library.add(draft).item.id == id)
    }

    @Test(arguments: [("", "text"), ("Title", "   \n  ")])
    func testEmptyTitleOrTextIsRefused(title: String, text: String) throws {
        let temporary = try TemporaryLibrary()
        #expect(throws: LibraryError.self) { try temporary.library.add(ItemDraft(title: title, text: text)) }
        #expect(try temporary.library.currentVersion() == 0)
    }

    @Test func testMalformedPublishedDateIsRefused() throws {
        let temporary = try TemporaryLibrary()
        var draft = Fixtures.draft(1)
        draft.published = "14/02/2019"
        #expect(throws: LibraryError.self) { try temporary.library.add(draft) }
        draft.published = "2019-02-14T10:30:00+01:00"
        #expect(try temporary.library.add(draft).item.published == "2019-02-14T09:30:00Z")
    }

    @Test func testIDsAreUniqueAndTimeOrdered() throws {
        var generator = SystemRandomNumberGenerator()
        let early = ItemID.make(milliseconds: 1_000, using: &generator)
        let late = ItemID.make(milliseconds: 2_000, using: &generator)
        #expect(early < late)
        let ids = (0..<2_000).map { _ in ItemID.make() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.count == ItemID.length })
    }

    @Test func testPrefixResolvesAndAmbiguityIsReported() throws {
        let temporary = try TemporaryLibrary()
        // Without addresses, so that the ids are time-ordered and share their first characters.
        let items = try (1...3).map { number in
            var draft = Fixtures.draft(number)
            draft.url = nil
            return try temporary.library.add(draft).item
        }
        let shortIDs = try temporary.library.shortIDs(for: items.map(\.id))
        for item in items {
            let short = try #require(shortIDs[item.id])
            #expect(short.count >= ItemID.minimumShortLength)
            #expect(try temporary.library.resolve(short).id == item.id)
            #expect(try temporary.library.resolve(short.uppercased()).id == item.id)
        }
        #expect(throws: LibraryError.self) { try temporary.library.resolve(String(items[0].id.prefix(3))) }
        #expect(throws: LibraryError.unknownItem(reference: "zzzzzzzz")) {
            try temporary.library.resolve("zzzzzzzz")
        }
        #expect(throws: LibraryError.unknownItem(reference: "not-an-id!")) {
            try temporary.library.resolve("not-an-id!")
        }
    }

    @Test func testListFiltersByStateTagSourceAndArchive() throws {
        let temporary = try TemporaryLibrary()
        let library = temporary.library
        let one = try library.add(Fixtures.draft(1, source: "Reuters")).item
        let two = try library.add(Fixtures.draft(2)).item
        let three = try library.add(Fixtures.draft(3)).item
        try library.mark(one.id, as: .read)
        try library.updateTags(two.id, adding: ["venezuela"], removing: [])
        try library.setArchived(three.id, true)
        try library.setFavorite(two.id, true)
        var filter = ItemFilter()
        filter.readingState = .read
        #expect(try library.items(matching: filter).map(\.id) == [one.id])
        filter = ItemFilter()
        filter.tag = "Venezuela"
        #expect(try library.items(matching: filter).map(\.id) == [two.id])
        filter = ItemFilter()
        filter.source = "reuters"
        #expect(try library.items(matching: filter).map(\.id) == [one.id])
        filter = ItemFilter()
        filter.archived = true
        #expect(try library.items(matching: filter).map(\.id) == [three.id])
        filter = ItemFilter()
        filter.favoriteOnly = true
        #expect(try library.items(matching: filter).map(\.id) == [two.id])
    }

    @Test func testMarkReadAndUnreadSetProgress() throws {
        let temporary = try TemporaryLibrary()
        let id = try temporary.library.add(Fixtures.draft(1)).item.id
        #expect(try temporary.library.mark(id, as: .reading, progress: 0.4).progress == 0.4)
        #expect(try temporary.library.mark(id, as: .read).progress == 1)
        #expect(try temporary.library.mark(id, as: .unread).progress == 0)
        #expect(throws: LibraryError.self) { try temporary.library.mark(id, as: .reading, progress: 1.5) }
    }

    @Test func testHighlightMustQuoteTheText() throws {
        let temporary = try TemporaryLibrary()
        let id = try temporary.library.add(Fixtures.draft(1)).item.id
        let highlight = try temporary.library.addHighlight(
            id, quote: "officials   DISCUSSED sanctions", note: "wording")
        #expect(highlight.note == "wording")
        #expect(throws: LibraryError.self) {
            try temporary.library.addHighlight(id, quote: "words that are not there")
        }
        try temporary.library.removeHighlight(String(highlight.id.prefix(12)))
        #expect(try temporary.library.highlights(of: temporary.library.resolve(id)).isEmpty)
    }

    @Test func testCanonicalURLDropsTrackingAndNoise() {
        #expect(
            CanonicalURL.normalize("HTTPS://WWW.Example.com:443/a/b/?utm_medium=x&b=2&a=1&fbclid=z#frag")
                == "https://example.com/a/b?a=1&b=2")
        #expect(CanonicalURL.normalize("http://example.com/") == "http://example.com")
        #expect(CanonicalURL.normalize("ftp://example.com/file") == nil)
        #expect(CanonicalURL.normalize("not a url") == nil)
    }
}
