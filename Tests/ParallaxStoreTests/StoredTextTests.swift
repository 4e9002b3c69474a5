import Foundation
import GRDB
import ParallaxTestSupport
import Testing

@testable import ParallaxStore

/// Text from outside is stored without the controls that drive a terminal or reorder a line.
@Suite struct StoredTextTests {
    /// A title as a hostile page writes it: a window-title escape, a screen clear and a
    /// right-to-left override.
    static let hostileTitle = "Red\u{1B}]0;pwned\u{07} alert\u{1B}[2J \u{202E}here"

    static func hasControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { StoredText.isControl($0) }
    }

    @Test func everyFieldOfAnAddedArticleIsStoredWithoutControls() throws {
        let temporary = try TemporaryLibrary()
        var draft = Fixtures.draft(1)
        draft.title = Self.hostileTitle
        draft.byline = "Jane\tDoe\u{9B}31m"
        draft.source = "Wire\u{1B}[2J"
        draft.language = "en\u{200E}"
        draft.note = "Line one\r\nline\u{1B}[8m two\r\tindented"
        draft.tags = ["esc\u{1B}ape", "two\nwords"]
        draft.text =
            "The body\u{1B}[2J clears the screen.\r\n\r\nA second\tparagraph\u{7F} follows\u{2066} here."
        draft.highlights = [HighlightDraft(quote: "A second\tparagraph", note: "Why\u{1B}[5m\nthis")]
        let library = temporary.library
        let item = try library.add(draft).item
        #expect(item.title == "Red]0;pwned alert[2J here")
        #expect(item.byline == "Jane Doe31m")
        #expect(item.source == "Wire[2J")
        #expect(item.language == "en")
        #expect(item.note == "Line one\nline[8m two\n\tindented")
        #expect(item.tags == ["escape", "two words"])
        let text = try library.text(of: item)
        #expect(text == "The body[2J clears the screen.\n\nA second\tparagraph follows here.")
        #expect(item.contentHash == ContentHash.of(text))
        let highlight = try #require(try library.highlights(of: item).first)
        #expect(highlight.quote == "A second\tparagraph" && highlight.note == "Why[5m\nthis")
    }

    @Test func notesTagsAndHighlightsAddedLaterAreStoredWithoutControls() throws {
        let temporary = try TemporaryLibrary()
        let library = temporary.library
        let item = try library.add(Fixtures.draft(1)).item
        #expect(try library.setNote(item.id, "Note\u{1B}]0;x\u{07}\r\nsecond").note == "Note]0;x\nsecond")
        #expect(try library.updateTags(item.id, adding: ["a\u{202E}b"], removing: []).tags == ["ab"])
        #expect(
            try library.apply(.tags(adding: ["c\u{1B}d"], removing: []), to: [item.id])[0].tags == [
                "ab", "cd",
            ])
        let highlight = try library.addHighlight(
            item.id, quote: "officials\u{1B} discussed", note: "n\u{9B}ote")
        #expect(highlight.quote == "officials discussed" && highlight.note == "note")
    }

    @Test func aTitleOfNothingButControlsIsEmpty() throws {
        let temporary = try TemporaryLibrary()
        var draft = Fixtures.draft(1)
        draft.title = "\u{1B}\u{202E}\u{07}"
        #expect(throws: LibraryError.invalidValue(field: "title", value: "", reason: "it is empty")) {
            try temporary.library.add(draft)
        }
        #expect(try temporary.library.items().isEmpty)
    }

    @Test func theRulesRemoveExactlyTheListedControls() {
        let removed: [Unicode.Scalar] = [
            "\u{0}", "\u{1B}", "\u{1F}", "\u{7F}", "\u{80}", "\u{9B}", "\u{9F}", "\u{061C}", "\u{200E}",
            "\u{200F}",
            "\u{202A}", "\u{202E}", "\u{2066}", "\u{2069}",
        ]
        let kept: [Unicode.Scalar] = [
            " ", "~", "\u{A0}", "é", "\u{061B}", "\u{200D}", "\u{2010}", "\u{201C}", "\u{2029}", "\u{202F}",
            "\u{2065}", "\u{206A}", "中", "😀",
        ]
        for scalar in removed {
            let text = "a" + String(scalar) + "b"
            #expect(
                StoredText.singleLine(text) == "ab" && StoredText.multiLine(text) == "ab", "\(scalar.value)")
        }
        for scalar in kept {
            let text = "a" + String(scalar) + "b"
            #expect(
                StoredText.singleLine(text) == text && StoredText.multiLine(text) == text, "\(scalar.value)")
        }
        #expect(StoredText.multiLine("a\r\nb\rc\nd\te") == "a\nb\nc\nd\te")
        #expect(StoredText.singleLine("a\r\nb\rc\nd\te") == "a b c d e")
        #expect(StoredText.address("https://example.org/a\tb\n\u{1B}c") == "https://example.org/abc")
        // Long runs of plain ASCII are skipped a word at a time: a control anywhere is still found.
        let plain = String(repeating: "abcdefgh", count: 40)
        for offset in [0, 1, 7, 8, 9, 200, 319] {
            var scalars = Array(plain.unicodeScalars)
            scalars.insert("\u{202E}", at: offset)
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            #expect(StoredText.holdsControls(text, keepingLines: true), "\(offset)")
        }
        #expect(!StoredText.holdsControls(plain + "\n\t“quoted” — Быстрая 中文", keepingLines: true))
    }

    @Test func repairingAStoredValueIsDeterministicAndIdempotent() {
        #expect(TextField.title.repaired(Self.hostileTitle) == "Red]0;pwned alert[2J here")
        #expect(TextField.title.repaired("\u{202E}\u{1B}") == "Untitled")
        #expect(TextField.tag.repaired("\u{1B}") == "untitled")
        #expect(TextField.quote.repaired("\u{7}") == "…")
        #expect(TextField.byline.repaired("\u{1B}") == nil)
        // A value with no controls is kept as it is, untrimmed: only what changes is rewritten.
        #expect(TextField.title.repaired(" As stored ") == " As stored ")
        for field in TextField.allCases {
            let once = field.repaired("  x\u{1B}[2J\r\ny\u{202E}  ")
            #expect(once.map(field.repaired) ?? nil == once)
        }
    }

    @Test func repairCleansWhatAnEarlierVersionStoredAsOneChangeThatSyncs() throws {
        let temporary = try TemporaryLibrary()
        let library = temporary.library
        var draft = Fixtures.draft(1)
        draft.tags = ["plain"]
        draft.highlights = [HighlightDraft(quote: "officials discussed", note: "kept")]
        let item = try library.add(draft).item
        let clean = try library.add(Fixtures.draft(2)).item
        let hostileText = "Paragraph\u{1B}[2J one.\r\n\r\nParagraph\ttwo\u{202E} here."
        // What earlier versions stored, written as they wrote it.
        try library.database.writeWithoutTransaction { db in
            try db.execute(
                sql: "UPDATE item SET title = ?, source = ?, note = ? WHERE id = ?",
                arguments: [Self.hostileTitle, "Wire\u{9B}31m", "a\u{1B}[8mnote", item.id])
            try db.execute(sql: "UPDATE item_tag SET tag = ?", arguments: ["pla\u{1B}in"])
            try db.execute(
                sql: "UPDATE highlight SET quote = ?, note = ?",
                arguments: ["officials\u{202E} discussed", "ke\u{7}pt"])
            try db.execute(
                sql: "INSERT INTO body (hash, text, word_count) VALUES (?, ?, ?)",
                arguments: [
                    ContentHash.of(hostileText), hostileText, ContentHash.wordCount(of: hostileText),
                ])
            try db.execute(
                sql: "UPDATE item SET body_id = last_insert_rowid() WHERE id = ?", arguments: [item.id])
        }
        let problems = try library.checkIntegrity(rebuildSearchIndex: true)
        #expect(
            problems == [
                IntegrityProblem(
                    check: "text",
                    detail:
                        "1 item, 1 tag, 1 highlight hold control characters or values longer than their field "
                        + "allows; 'doctor --repair' cleans them")
            ])
        let version = try library.currentVersion()
        #expect(try library.repairStoredText() == UncleanText(items: 1, tags: 1, highlights: 1))
        #expect(try library.currentVersion() == version + 1)
        #expect(try library.checkIntegrity(rebuildSearchIndex: true).isEmpty)
        #expect(try library.repairStoredText().isEmpty)
        let repaired = try library.resolve(item.id)
        #expect(repaired.title == "Red]0;pwned alert[2J here")
        #expect(repaired.source == "Wire31m" && repaired.note == "a[8mnote" && repaired.tags == ["plain"])
        let text = try library.text(of: repaired)
        #expect(text == "Paragraph[2J one.\n\nParagraph\ttwo here.")
        #expect(repaired.contentHash == ContentHash.of(text))
        let highlights = try library.highlights(of: repaired)
        #expect(highlights.map(\.quote) == ["officials discussed"] && highlights.map(\.note) == ["kept"])
        #expect(try library.resolve(clean.id) == clean)
        // The cleaning is a change like any other: a peer receives the cleaned values (and the
        // removal of the tag as it was, which a peer that cleaned it already holds as `plain`,
        // and which loses to the later add).
        let set = try library.changes(since: VersionVector(counters: [library.deviceID: version]))
        let values = Dictionary(
            set.records.filter { $0.entity == .item }.map { ($0.field, $0.value) }, uniquingKeysWith: { $1 })
        #expect(values["title"] == .text("Red]0;pwned alert[2J here") && values["note"] == .text("a[8mnote"))
        #expect(values["body"] == .text(ContentHash.of(text)))
        #expect(set.records.filter { $0.entity == .tag && $0.value == .integer(1) }.map(\.key) == ["plain"])
    }

    @Test func restoringATitleAnEarlierVersionKeptWithControlsStoresItCleaned() throws {
        let temporary = try TemporaryLibrary()
        let id = try temporary.library.add(Fixtures.draft(1)).item.id
        var revised = Fixtures.draft(1)
        revised.title = "Second title"
        _ = try temporary.library.add(revised, force: true)
        // History from a version that stored titles as given.
        let queue = try DatabaseQueue(path: temporary.library.path)
        try queue.write { db in
            try db.execute(
                sql: "UPDATE change SET old_value = ? WHERE field = 'title'",
                arguments: ["Evil\u{1B}[2J title"])
        }
        try queue.close()
        let restored = try temporary.library.restore(id, to: 1)
        #expect(restored.title == "Evil[2J title")
    }

    @Test func aNoteOfNothingButControlsIsRefusedAndKeepsTheNoteThere() throws {
        let temporary = try TemporaryLibrary()
        let id = try temporary.library.add(Fixtures.draft(1)).item.id
        try temporary.library.setNote(id, "important note")
        #expect(throws: LibraryError.self) { try temporary.library.setNote(id, "\u{202E}\u{1B}") }
        #expect(try temporary.library.resolve(id).note == "important note")
    }
}
