import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// Text that an earlier or another version kept with controls arrives cleaned, the same on every
/// replica, and never stops the sync.
@Suite struct StoredTextSyncTests {
    @Test func aSyncedTitleTagAndHighlightHoldingControlsAreStoredCleaned() throws {
        let (laptop, phone) = try BundleTests.pair()
        var draft = Fixtures.draft(1)
        draft.tags = ["plain"]
        draft.highlights = [HighlightDraft(quote: "officials discussed", note: "kept")]
        try laptop.library.add(draft)
        var (set, header) = try FaultTests.contents(of: laptop)
        for index in set.records.indices {
            switch (set.records[index].entity, set.records[index].field) {
            case (.item, "*"):
                set.records[index].row?["title"] = .text(
                    "Red\u{1B}]0;pwned\u{07} alert\u{1B}[2J \u{202E}here")
                set.records[index].row?["source"] = .text("Wire\u{9B}31m")
                set.records[index].row?["note"] = .text("a\r\nnote\u{1B}[8m")
            case (.tag, _):
                set.records[index].key = "pla\u{1B}in"
            case (.highlight, "*"):
                set.records[index].row?["quote"] = .text("officials\u{202E} discussed")
                set.records[index].row?["note"] = .text("\u{07}")
            default:
                break
            }
        }
        let path = try FaultTests.write(set, header: header, signedBy: laptop, to: phone)
        try phone.sync.importBundle(at: path)
        let item = try #require(try phone.library.items().first)
        #expect(item.title == "Red]0;pwned alert[2J here")
        #expect(item.source == "Wire31m" && item.note == "a\nnote[8m" && item.tags == ["plain"])
        let highlight = try #require(try phone.library.highlights(of: item).first)
        #expect(highlight.quote == "officials discussed" && highlight.note == nil)
        // What the phone stored is what it passes on: a third replica gets the same values.
        let tablet = try Replica()
        try tablet.trust(phone)
        try tablet.trust(laptop)
        try phone.send(to: tablet)
        #expect(try tablet.export() == phone.export())
    }

    @Test func aSyncedTitleOfNothingButControlsBecomesUntitled() throws {
        let (laptop, phone) = try BundleTests.pair()
        try laptop.library.add(Fixtures.draft(1))
        var (set, header) = try FaultTests.contents(of: laptop)
        let creation = try #require(set.records.firstIndex { $0.entity == .item && $0.field == "*" })
        set.records[creation].row?["title"] = .text("\u{202E}\u{1B}")
        set.records[creation].row?["url"] = .text("java\tscript:alert(1)")
        let path = try FaultTests.write(set, header: header, signedBy: laptop, to: phone)
        try phone.sync.importBundle(at: path)
        let item = try #require(try phone.library.items().first)
        #expect(item.title == "Untitled" && item.url == nil)
    }
}

extension StoredTextSyncTests {
    @Test func aSyncedTitleAndNotePastTheirCapsAreStoredCutNotRefused() throws {
        let (laptop, phone) = try BundleTests.pair()
        try laptop.library.add(Fixtures.draft(1))
        var (set, header) = try FaultTests.contents(of: laptop)
        let creation = try #require(set.records.firstIndex { $0.entity == .item && $0.field == "*" })
        // Letters that do not repeat, since a bundle that inflates a thousandfold is refused as a bomb.
        let title = String((0..<(4 << 20)).map { _ in "abcdefghijklmnopqrstuvwxyz".randomElement()! })
        set.records[creation].row?["title"] = .text(title)
        set.records[creation].row?["note"] = .text(String(repeating: "n", count: 1_200_000))
        let path = try FaultTests.write(set, header: header, signedBy: laptop, to: phone)
        try phone.sync.importBundle(at: path)
        let item = try #require(try phone.library.items().first)
        #expect(item.title == String(title.prefix(2_000)))
        #expect(item.note?.count == 1_000_000, "a note is cut at ten times its cap")
    }
}
