import Foundation
import GRDB

/// How many rows hold text that this version would store otherwise (``TextField``,
/// ``StoredText``): controls, or more than a field takes, that earlier versions kept from
/// pages, imports and peers.
public struct UncleanText: Sendable, Hashable, Codable {
    /// Items with such a field, body or HTML.
    public var items = 0
    /// Tags on an item with such a name.
    public var tags = 0
    /// Highlights with such a quote or note.
    public var highlights = 0

    /// Whether nothing was found.
    public var isEmpty: Bool { items == 0 && tags == 0 && highlights == 0 }
}

extension Library {
    /// Stores the text of every item, tag and highlight as this version would have stored it,
    /// through the usual writes, as one change that syncs: each field becomes
    /// ``TextField/repaired(_:)`` (controls removed, cut at the field's size), a body or HTML with controls is stored again cleaned (under its
    /// new hash, the old one staying for history), a tag is removed and the cleaned one added, and
    /// a highlight whose quote changes is replaced by one with the cleaned quote.
    /// - Returns: What was cleaned.
    @discardableResult
    public func repairStoredText() throws -> UncleanText {
        try write("clean stored text") { writer in
            var repaired = UncleanText()
            let documents = try Self.uncleanDocuments(writer.db)
            let items = try Row.fetchAll(
                writer.db,
                sql:
                    "SELECT seq, body_id, html_id, \(TextField.itemFields.map(\.rawValue).joined(separator: ", ")) FROM item"
            )
            for item in items {
                let seq: Int64 = item["seq"]
                var changed = false
                for field in TextField.itemFields {
                    guard let value: String = item[field.rawValue], field.needsRepair(value),
                        let itemField = ItemField(rawValue: field.rawValue)
                    else { continue }
                    try writer.setItemField(seq, itemField, to: field.repaired(value).databaseValue)
                    changed = true
                }
                for (column, field) in [("body_id", ItemField.body), ("html_id", .html)] {
                    guard let id: Int64 = item[column], documents.contains(id) else { continue }
                    let text =
                        try String.fetchOne(
                            writer.db, sql: "SELECT text FROM body WHERE id = ?", arguments: [id]) ?? ""
                    let cleaned = StoredText.multiLine(text)
                    let hash = ContentHash.of(cleaned)
                    try writer.storeBody(cleaned, hash: hash)
                    try writer.setItemField(seq, field, to: hash.databaseValue)
                    changed = true
                }
                if changed { repaired.items += 1 }
            }
            for tag in try Row.fetchAll(writer.db, sql: "SELECT item, tag FROM item_tag WHERE present = 1") {
                let name: String = tag["tag"]
                guard TextField.tag.needsRepair(name), let cleaned = TextField.tag.repaired(name) else {
                    continue
                }
                try writer.setTag(name, on: tag["item"], present: false)
                try writer.setTag(cleaned, on: tag["item"], present: true)
                repaired.tags += 1
            }
            for highlight in try Row.fetchAll(
                writer.db, sql: "SELECT seq, item, quote, note, created FROM highlight WHERE deleted = 0")
            {
                let (seq, item): (Int64, Int64) = (highlight["seq"], highlight["item"])
                let quote: String = highlight["quote"]
                let note: String? = highlight["note"]
                let cleanedNote = note.flatMap(TextField.highlightNote.repaired)
                if TextField.quote.needsRepair(quote) {
                    // A quote is set once, at creation: the cleaned one is a new highlight.
                    try writer.setHighlightField(seq, item: item, .deleted, to: true.databaseValue)
                    try writer.addHighlight(
                        HighlightDraft(
                            quote: TextField.quote.repaired(quote) ?? quote, note: cleanedNote,
                            created: highlight["created"]),
                        to: item)
                } else if let note, TextField.highlightNote.needsRepair(note) {
                    try writer.setHighlightField(seq, item: item, .note, to: cleanedNote.databaseValue)
                } else {
                    continue
                }
                repaired.highlights += 1
            }
            return repaired
        }
    }
}

extension Library {
    /// What ``repairStoredText()`` would clean, as `doctor` reports it.
    /// - Parameter documents: The bodies that hold controls other than newline and tab, which
    ///   `doctor` finds as it checks their hashes, so that it reads every body once.
    static func storedTextProblems(_ db: Database, uncleanDocuments documents: Set<Int64>) throws
        -> [IntegrityProblem]
    {
        var found = UncleanText()
        let items = try Row.fetchCursor(
            db,
            sql:
                "SELECT body_id, html_id, \(TextField.itemFields.map(\.rawValue).joined(separator: ", ")) FROM item"
        )
        while let item = try items.next() {
            let fields = TextField.itemFields.contains { field in
                (item[field.rawValue] as String?).map(field.needsRepair) ?? false
            }
            let bodies = [item["body_id"], item["html_id"]].contains {
                ($0 as Int64?).map(documents.contains) ?? false
            }
            if fields || bodies { found.items += 1 }
        }
        for name in try String.fetchAll(db, sql: "SELECT tag FROM item_tag WHERE present = 1")
        where TextField.tag.needsRepair(name) {
            found.tags += 1
        }
        let highlights = try Row.fetchCursor(db, sql: "SELECT quote, note FROM highlight WHERE deleted = 0")
        while let highlight = try highlights.next() {
            if TextField.quote.needsRepair(highlight["quote"])
                || (highlight["note"] as String?).map(TextField.highlightNote.needsRepair) ?? false
            {
                found.highlights += 1
            }
        }
        guard !found.isEmpty else { return [] }
        let counts = [(found.items, "item"), (found.tags, "tag"), (found.highlights, "highlight")]
            .filter { $0.0 > 0 }.map { "\($0.0) \($0.1)\($0.0 == 1 ? "" : "s")" }
        return [
            IntegrityProblem(
                check: "text",
                detail:
                    "\(counts.joined(separator: ", ")) hold control characters or values longer than their field "
                    + "allows; 'doctor --repair' cleans them"
            )
        ]
    }
}

private extension Library {
    /// The bodies and HTML that items show now and that hold controls other than newline and tab.
    static func uncleanDocuments(_ db: Database) throws -> Set<Int64> {
        var found: Set<Int64> = []
        let documents = try Row.fetchCursor(
            db,
            sql: """
                SELECT id, text FROM body WHERE id IN (SELECT body_id FROM item)
                    OR id IN (SELECT html_id FROM item WHERE html_id IS NOT NULL)
                """)
        while let document = try documents.next() {
            if StoredText.holdsControls(document["text"], keepingLines: true) { found.insert(document["id"]) }
        }
        return found
    }
}
