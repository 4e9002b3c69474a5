import Foundation
import ParallaxTestSupport
import Testing

@testable import ParallaxStore

/// Each text field holds at most what a person writes: a value past it fails its record, and
/// is shown shortened in the error.
@Suite struct FieldCapTests {
    @Test func aFortyMegabyteTitleFailsInOneShortLineAndStoresNothing() throws {
        let temporary = try TemporaryLibrary()
        var draft = Fixtures.draft(1)
        draft.title = String(repeating: "a", count: 40 << 20)
        let refusal = LibraryError.invalidValue(
            field: "title", value: String(repeating: "a", count: 40) + "…",
            reason: "a title may hold at most 2,000 characters")
        #expect(throws: refusal) { try temporary.library.add(draft) }
        #expect(try temporary.library.items().isEmpty)
        let message = try #require(refusal.errorDescription)
        #expect(message.count < 120 && !message.contains("\n"))
    }

    @Test func aTitleOfExactlyTheCapIsKeptAndOneMoreCharacterIsNot() throws {
        let temporary = try TemporaryLibrary()
        var draft = Fixtures.draft(1)
        // Counted in Unicode scalars: two thousand accented letters of two bytes each.
        draft.title = String(repeating: "é", count: 2_000)
        #expect(try temporary.library.add(draft).item.title == draft.title)
        var longer = Fixtures.draft(2)
        longer.title = String(repeating: "é", count: 2_001)
        #expect(throws: LibraryError.self) { try temporary.library.add(longer) }
    }

    @Test(arguments: [
        ("byline", 1_000, "an author line"), ("source", 500, "a source"), ("language", 35, "a language code"),
        ("note", 100_000, "a note"),
    ])
    func eachFieldFailsPastItsCap(field: String, cap: Int, noun: String) throws {
        let temporary = try TemporaryLibrary()
        for length in [cap, cap + 1] {
            var draft = Fixtures.draft(length)
            let value = String(repeating: "b", count: length)
            switch field {
            case "byline": draft.byline = value
            case "source": draft.source = value
            case "language": draft.language = value
            default: draft.note = value
            }
            if length == cap {
                #expect(throws: Never.self) { try temporary.library.add(draft) }
            } else {
                #expect {
                    try temporary.library.add(draft)
                } throws: { error in
                    guard case LibraryError.invalidValue(field, _, let reason) = error else { return false }
                    return reason.hasPrefix("\(noun) may hold at most")
                }
            }
        }
        #expect(try temporary.library.items().count == 1)
    }

    @Test func aNoteOrHighlightPastItsCapIsRefusedAndChangesNothing() throws {
        let temporary = try TemporaryLibrary()
        let library = temporary.library
        let item = try library.add(Fixtures.draft(1)).item
        let version = try library.currentVersion()
        #expect(throws: LibraryError.self) {
            try library.setNote(item.id, String(repeating: "n", count: 100_001))
        }
        #expect(throws: LibraryError.self) {
            try library.addHighlight(
                item.id, quote: "officials", note: String(repeating: "n", count: 100_001))
        }
        #expect(throws: LibraryError.self) {
            try library.setEvent(String(repeating: "e", count: 201), of: [item.id])
        }
        #expect(try library.currentVersion() == version)
        #expect(try library.setNote(item.id, String(repeating: "n", count: 100_000)).note?.count == 100_000)
    }

    @Test func aLinkWithoutAHeadlineKeepsItsLongAddressAsACutTitle() throws {
        let temporary = try TemporaryLibrary()
        let url = "https://example.com/?q=" + String(repeating: "x", count: 3_000)
        var draft = ItemDraft(title: url, text: "")
        draft.url = url
        let item = try temporary.library.add(draft).item
        #expect(item.url == url && item.title == String(url.prefix(2_000)))
    }

    @Test func aValueFromAPeerIsCutAtItsCapTheSameWayEveryTime() {
        let long = String(repeating: "é", count: 1_999) + " 😀" + String(repeating: "z", count: 5_000)
        let cut = TextField.title.repaired(long)
        #expect(cut == String(repeating: "é", count: 1_999))
        #expect(cut.flatMap(TextField.title.repaired) == cut)
        // Notes keep ten times their cap, so that two notes a sync keeps in one are not cut.
        #expect(
            TextField.note.repaired(String(repeating: "n", count: 1_200_000))?.unicodeScalars.count
                == 1_000_000)
        #expect(
            TextField.title.repaired(String(repeating: "t", count: 2_000))
                == String(repeating: "t", count: 2_000))
    }

    @Test func aTagIsCountedInUnicodeScalarsAsAPeerCutsIt() throws {
        #expect(try Tag.normalize(String(repeating: "t", count: 100)).count == 100)
        // Sixty letters with a combining accent each: sixty characters, but 120 scalars, which a
        // peer would cut to 100, so that the two libraries would hold different tags.
        #expect(throws: LibraryError.self) { try Tag.normalize(String(repeating: "e\u{301}", count: 60)) }
        #expect(!TextField.tag.needsRepair(try Tag.normalize(String(repeating: "e\u{301}", count: 50))))
    }
}
