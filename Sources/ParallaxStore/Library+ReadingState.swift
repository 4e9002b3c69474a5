import Foundation
import GRDB

/// The reader's everyday changes to an item. Each is one version in the change log.
extension Library {
    /// Sets the reading state; `read` also sets progress to 1 and `unread` resets it to 0.
    ///
    /// - Parameters:
    ///   - reference: An item id or unique prefix.
    ///   - state: The new state.
    ///   - progress: An explicit position from 0 to 1, overriding the state's default.
    @discardableResult
    public func mark(_ reference: String, as state: ReadingState, progress: Double? = nil) throws -> Item {
        if let progress, !(0...1).contains(progress) {
            throw LibraryError.invalidValue(
                field: "progress", value: "\(progress)", reason: "it must be between 0 and 1")
        }
        return try updateItem(reference, "mark an item") { writer, seq in
            try writer.setItemField(seq, .readingState, to: state.rawValue.databaseValue)
            let position: Double? =
                switch state {
                case .read: progress ?? 1
                case .unread: progress ?? 0
                case .reading: progress
                }
            if let position { try writer.setItemField(seq, .progress, to: position.databaseValue) }
        }
    }

    /// Records how far the reader has scrolled: an unread item becomes one being read, a read
    /// item stays read, and the position is kept to a hundredth, so a repeat writes nothing.
    ///
    /// A reading app reports the position as the reader scrolls; rounding it and skipping
    /// repeats keeps those reports from filling the change log that every device syncs.
    @discardableResult
    public func recordProgress(_ reference: String, _ progress: Double) throws -> Item {
        guard (0...1).contains(progress) else {
            throw LibraryError.invalidValue(
                field: "progress", value: "\(progress)", reason: "it must be between 0 and 1")
        }
        let position = (progress * 100).rounded() / 100
        return try updateItem(reference, "record reading progress") { writer, seq in
            if try writer.itemValue(seq, .readingState) == ReadingState.unread.rawValue.databaseValue {
                try writer.setItemField(seq, .readingState, to: ReadingState.reading.rawValue.databaseValue)
            }
            try writer.setItemField(seq, .progress, to: position.databaseValue)
        }
    }

    /// Marks an unread item as being read, as opening it does; other states stay.
    @discardableResult
    public func open(_ reference: String) throws -> Item {
        try updateItem(reference, "open an item") { writer, seq in
            if try writer.itemValue(seq, .readingState) == ReadingState.unread.rawValue.databaseValue {
                try writer.setItemField(seq, .readingState, to: ReadingState.reading.rawValue.databaseValue)
            }
        }
    }

    /// Archives an item, or brings it back with `false`.
    @discardableResult
    public func setArchived(_ reference: String, _ archived: Bool) throws -> Item {
        try updateItem(reference, "archive an item") { writer, seq in
            try writer.setItemField(seq, .archived, to: archived.databaseValue)
        }
    }

    /// Marks an item a favorite, or not.
    @discardableResult
    public func setFavorite(_ reference: String, _ favorite: Bool) throws -> Item {
        try updateItem(reference, "favorite an item") { writer, seq in
            try writer.setItemField(seq, .favorite, to: favorite.databaseValue)
        }
    }

    /// Adds and removes tags in one change.
    @discardableResult
    public func updateTags(_ reference: String, adding: [String], removing: [String]) throws -> Item {
        let added = try adding.map(Tag.normalize)
        let removed = try removing.map(Tag.normalize)
        return try updateItem(reference, "tag an item") { writer, seq in
            for tag in removed { try writer.setTag(tag, on: seq, present: false) }
            for tag in added { try writer.setTag(tag, on: seq, present: true) }
        }
    }

    /// Replaces the item's note; nil or blank text removes it.
    /// - Throws: ``LibraryError/invalidValue(field:value:reason:)`` past 100,000 characters.
    @discardableResult
    public func setNote(_ reference: String, _ note: String?) throws -> Item {
        let text = try note.flatMap(TextField.note.stored)
        // Clearing a note is asked for with nil; text that is nothing but control characters is
        // a mistake, and must not clear the note there is.
        if let note, text == nil, note.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) {
            throw LibraryError.invalidValue(
                field: "note", value: StoredText.excerpt(note),
                reason: "it holds nothing but control characters")
        }
        return try updateItem(reference, "set a note") { writer, seq in
            try writer.setItemField(seq, .note, to: text.databaseValue)
        }
    }

    /// Highlights a passage of the item's text.
    /// - Throws: ``LibraryError/invalidValue(field:value:reason:)`` when the text does not contain the passage.
    @discardableResult
    public func addHighlight(_ reference: String, quote: String, note: String? = nil) throws -> Highlight {
        let highlight = try PreparedDraft.prepared(HighlightDraft(quote: quote, note: note))
        let passage = highlight.quote
        return try write("highlight a passage") { writer in
            let seq = try resolveSeq(writer.db, reference)
            let text =
                try String.fetchOne(
                    writer.db,
                    sql: "SELECT body.text FROM item JOIN body ON body.id = item.body_id WHERE item.seq = ?",
                    arguments: [seq]) ?? ""
            guard Self.squeezed(text).localizedCaseInsensitiveContains(Self.squeezed(passage)) else {
                throw LibraryError.invalidValue(
                    field: "highlight", value: quote, reason: "the article's text does not contain it")
            }
            let row = try writer.addHighlight(highlight, to: seq)
            let highlight = try Row.fetchOne(
                writer.db,
                sql:
                    "SELECT highlight.*, item.id AS item_id FROM highlight JOIN item ON item.seq = highlight.item WHERE highlight.seq = ?",
                arguments: [row])!
            return Self.highlight(from: highlight)
        }
    }

    /// Removes a highlight by its id or a unique prefix of it.
    public func removeHighlight(_ reference: String) throws {
        guard let prefix = ItemID.normalizedPrefix(reference) else {
            throw LibraryError.unknownHighlight(reference: reference)
        }
        try write("remove a highlight") { writer in
            let rows = try Row.fetchAll(
                writer.db,
                sql: "SELECT seq, item FROM highlight WHERE id >= ? AND id < ? AND deleted = 0 LIMIT 2",
                arguments: [prefix, prefix + "~"])
            guard rows.count == 1 else {
                if rows.isEmpty { throw LibraryError.unknownHighlight(reference: reference) }
                throw LibraryError.ambiguousItem(reference: reference, candidates: [])
            }
            try writer.setHighlightField(
                rows[0]["seq"], item: rows[0]["item"], .deleted, to: true.databaseValue)
        }
    }

    /// Removes an item from the list, leaving a tombstone; its history stays and `restore` undoes it.
    @discardableResult
    public func delete(_ reference: String) throws -> Item {
        try updateItem(reference, "remove an item") { writer, seq in
            try writer.setItemField(seq, .deleted, to: true.databaseValue)
        }
    }

    func updateItem(_ reference: String, _ operation: String, _ body: (ChangeWriter, Int64) throws -> Void)
        throws -> Item
    {
        try write(operation) { writer in
            let seq = try resolveSeq(writer.db, reference)
            try body(writer, seq)
            return try fetchItem(writer.db, seq: seq)
        }
    }

    static func squeezed(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}

extension ChangeWriter {
    /// Sets a highlight's field, recording the change unless the value is already there.
    func setHighlightField(
        _ highlight: Int64, item: Int64, _ field: HighlightField, to value: DatabaseValue,
        stamp: StoredStamp? = nil
    ) throws {
        let old =
            try DatabaseValue.fetchOne(
                db.cachedStatement(sql: "SELECT \(field.rawValue) FROM highlight WHERE seq = ?"),
                arguments: [highlight]) ?? .null
        if old == value && stamp == nil { return }
        try execute("UPDATE highlight SET \(field.rawValue) = ? WHERE seq = ?", [value, highlight])
        try recordField(
            entity: .highlight, row: highlight, item: item, field: field.rawValue, old: old, new: value,
            stamp: stamp)
    }
}

// MARK: - Event corrections

extension Library {
    /// Puts items in an event by the reader's decision, as one change; nil hands them back to
    /// automatic grouping.
    /// - Throws: ``LibraryError/invalidValue(field:value:reason:)`` for a name past 200 characters.
    public func setEvent(_ event: String?, of references: [String]) throws {
        let event = try event.flatMap(TextField.event.stored)
        try write("correct an event") { writer in
            for reference in references {
                let seq = try resolveSeq(writer.db, reference)
                try writer.setItemField(seq, .event, to: event.map { $0.databaseValue } ?? .null)
            }
        }
    }
}
