import Foundation
import GRDB

// MARK: - Adding

extension Library {
    /// Saves an article, unless the library already has it.
    ///
    /// A draft whose canonical URL or body text matches an item that is not deleted is a
    /// duplicate: nothing changes and the outcome names that item. With `force`, the
    /// existing item takes the draft's fields instead, as a new version.
    /// - Throws: ``LibraryError/invalidValue(field:value:reason:)`` for an empty title or text
    ///   or a malformed date; errors of the store.
    @discardableResult
    public func add(_ draft: ItemDraft, force: Bool = false) throws -> AddOutcome {
        let prepared = try PreparedDraft(draft)
        return try write("add an item") { writer in try writer.add(prepared, force: force, library: self) }
    }

    /// Saves an article as ``add(_:force:)`` does, without holding a thread while it waits.
    @discardableResult
    public func add(_ draft: ItemDraft, force: Bool = false) async throws -> AddOutcome {
        let prepared = try PreparedDraft(draft)
        return try await write("add an item") { writer in
            try writer.add(prepared, force: force, library: self)
        }
    }
}

extension ChangeWriter {
    func add(_ prepared: PreparedDraft, force: Bool, library: Library) throws -> AddOutcome {
        let draft = prepared.draft
        // A feed's article the library has in any state is left as it is; forced, the feed's
        // draft replaces its text (a page fetched at last), and never brings back a removal.
        if let origin = draft.feedEntry, !force,
            let (seq, reason) = try knownFeedArticle(prepared, entry: origin.entry)
        {
            return .duplicate(try library.fetchItem(db, seq: seq), reason: reason)
        }
        let byHand = draft.feedEntry == nil
        let duplicate = try findDuplicate(of: prepared)
        if let (seq, reason) = duplicate, reason == .url || prepared.canonicalURL == nil {
            let listedNow = try byHand && putOnList(seq)
            guard force else {
                let item = try library.fetchItem(db, seq: seq)
                return listedNow ? .added(item) : .duplicate(item, reason: reason)
            }
            try update(seq, to: prepared)
            return .updated(try library.fetchItem(db, seq: seq))
        }
        let address = try addressItem(of: prepared)
        if case .removed(let seq) = address, !byHand {
            return .duplicate(try library.fetchItem(db, seq: seq), reason: .url)
        }
        if case .removed(let seq) = address {
            // A link saved without its page (a reading list's) brings the article back as it was.
            if draft.text.isEmpty {
                for tag in draft.tags { try setTag(tag, on: seq, present: true) }
            } else {
                try update(seq, to: prepared)
            }
            try setItemField(seq, .deleted, to: false.databaseValue)
            try putOnList(seq)
            for (field, value) in Self.readerChoices(of: draft) { try setItemField(seq, field, to: value) }
            for highlight in draft.highlights { try addHighlight(highlight, to: seq) }
            return .added(try library.fetchItem(db, seq: seq))
        }
        // The same text under another address: forced, it becomes the item of its own address.
        // Moving the other item to this address would leave it beside the item another device
        // makes of the address (``ItemID/forAddress(_:)``): two items of one article.
        if let (seq, reason) = duplicate, !force {
            let listedNow = try byHand && putOnList(seq)
            let item = try library.fetchItem(db, seq: seq)
            return listedNow ? .added(item) : .duplicate(item, reason: reason)
        }
        let id = if case .new(let derived) = address { derived } else { environment.makeID() }
        try storeBody(draft.text, hash: prepared.hash, wordCount: prepared.wordCount)
        if let html = draft.html { try storeBody(html, hash: prepared.htmlHash) }
        for (hash, asset) in prepared.assets { try storeAsset(asset, hash: hash) }
        let saved = draft.saved ?? environment.timestamp()
        var values: [ItemField: DatabaseValue] = [
            .url: draft.url.databaseValue, .canonicalURL: prepared.canonicalURL.databaseValue,
            .title: draft.title.databaseValue, .byline: draft.byline.databaseValue,
            .source: draft.source.databaseValue, .published: draft.published.databaseValue,
            .language: draft.language.databaseValue, .body: prepared.hash.databaseValue,
            .readingState: draft.readingState.rawValue.databaseValue, .progress: draft.progress.databaseValue,
            .archived: draft.archived.databaseValue, .favorite: draft.favorite.databaseValue,
            .note: draft.note.databaseValue, .html: prepared.htmlHash.databaseValue,
            .images: prepared.imageReferences?.json.databaseValue ?? .null,
        ]
        values[.deleted] = false.databaseValue
        if let origin = draft.feedEntry {
            values[.listed] = false.databaseValue
            values[.feed] = origin.feed.databaseValue
            values[.entry] = origin.entry.databaseValue
        }
        let seq = try insertItem(id: id, saved: saved, values: values, text: draft.text)
        for (field, _) in Self.readerChoices(of: draft) { try stampCreationValue(seq, field) }
        for tag in draft.tags { try setTag(tag, on: seq, present: true) }
        for highlight in draft.highlights { try addHighlight(highlight, to: seq) }
        // The new row is known field by field; building it here saves reading it back.
        return .added(
            Item(
                id: id, url: draft.url, canonicalURL: prepared.canonicalURL, title: draft.title,
                byline: draft.byline,
                source: draft.source, published: draft.published, saved: saved, language: draft.language,
                contentHash: prepared.hash, wordCount: prepared.wordCount,
                readingState: draft.readingState, progress: draft.progress, archived: draft.archived,
                favorite: draft.favorite, note: draft.note, deleted: false, tags: draft.tags,
                listed: draft.feedEntry == nil, feed: draft.feedEntry?.feed))
    }

    /// Puts a feed's article on the reader's list, as saving it by hand does; false when it was
    /// there already.
    @discardableResult
    func putOnList(_ seq: Int64) throws -> Bool {
        guard try itemValue(seq, .listed) == false.databaseValue else { return false }
        return try setItemField(seq, .listed, to: true.databaseValue)
    }

    /// Where the item of a draft's address stands: the id it takes (``ItemID/forAddress(_:)``), an
    /// item of that id that was removed and is saved again, or, when an item whose address was
    /// changed holds that id, none (a random id does then).
    private enum AddressItem {
        case new(String)
        case removed(Int64)
        case taken
    }

    private func addressItem(of prepared: PreparedDraft) throws -> AddressItem {
        guard let address = prepared.canonicalURL else { return .taken }
        let id = ItemID.forAddress(address)
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT seq, deleted, canonical_url FROM item WHERE id = ?"),
                arguments: [id])
        else { return .new(id) }
        return row["deleted"] == true && row["canonical_url"] == address ? .removed(row["seq"]) : .taken
    }

    /// Replaces an item's article (its text, HTML, images, address and details) with a draft's,
    /// and adds the draft's tags.
    private func update(_ seq: Int64, to prepared: PreparedDraft) throws {
        let draft = prepared.draft
        try storeBody(draft.text, hash: prepared.hash)
        if let html = draft.html { try storeBody(html, hash: prepared.htmlHash) }
        for (hash, asset) in prepared.assets { try storeAsset(asset, hash: hash) }
        let updates: [(ItemField, DatabaseValue)] = [
            (.title, draft.title.databaseValue), (.body, prepared.hash.databaseValue),
            (.html, prepared.htmlHash.databaseValue),
            (.images, prepared.imageReferences?.json.databaseValue ?? .null),
            (.url, draft.url.databaseValue), (.canonicalURL, prepared.canonicalURL.databaseValue),
            (.byline, draft.byline.databaseValue), (.source, draft.source.databaseValue),
            (.published, draft.published.databaseValue), (.language, draft.language.databaseValue),
        ]
        for (field, value) in updates where !value.isNull || field == .title || field == .body {
            try setItemField(seq, field, to: value)
        }
        for tag in draft.tags { try setTag(tag, on: seq, present: true) }
    }

    /// The reader's own fields a draft sets to other than their defaults, as imports from
    /// reading services do. They get clocks of their own, so that a save of the same article on
    /// another device, with the defaults, cannot undo them.
    private static func readerChoices(of draft: ItemDraft) -> [(ItemField, DatabaseValue)] {
        var choices: [(ItemField, DatabaseValue)] = []
        if draft.readingState != .unread {
            choices.append((.readingState, draft.readingState.rawValue.databaseValue))
        }
        if draft.progress != 0 { choices.append((.progress, draft.progress.databaseValue)) }
        if draft.archived { choices.append((.archived, true.databaseValue)) }
        if draft.favorite { choices.append((.favorite, true.databaseValue)) }
        if let note = draft.note { choices.append((.note, note.databaseValue)) }
        return choices
    }

    private func findDuplicate(of prepared: PreparedDraft) throws -> (Int64, DuplicateReason)? {
        if let url = prepared.canonicalURL,
            let seq = try Int64.fetchOne(
                db.cachedStatement(
                    sql: "SELECT seq FROM item WHERE canonical_url = ? AND deleted = 0 ORDER BY seq LIMIT 1"),
                arguments: [url])
        {
            return (seq, .url)
        }
        // Links not fetched yet all have the same empty text; only their addresses tell them apart.
        guard !prepared.draft.text.isEmpty else { return nil }
        let bySameText = try Int64.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT item.seq FROM item JOIN body ON body.id = item.body_id
                    WHERE body.hash = ? AND item.deleted = 0 ORDER BY item.seq LIMIT 1
                    """), arguments: [prepared.hash])
        return bySameText.map { ($0, .content) }
    }

    /// Creates an item row from its fields, indexes it and records its creation: the one insert
    /// of local adds and of merged creations.
    ///
    /// - Parameters:
    ///   - values: The fields; the body is its hash, and must be stored already.
    ///   - text: The body's text, for the search index.
    ///   - stamp: The remote creation's clock; nil for a local add.
    /// - Returns: The new row's sequence number.
    func insertItem(
        id: String, saved: String, values: [ItemField: DatabaseValue], text: String, stamp: StoredStamp? = nil
    ) throws -> Int64 {
        let fields = ItemField.allCases.filter { $0.documentColumn == nil }
        let columns = (["id", "saved", "body_id", "html_id"] + fields.map(\.rawValue)).joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: fields.count).joined(separator: ", ")
        if let html = values[.html], !html.isNull,
            try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM body WHERE hash = ?"), arguments: [html])
                == nil
        {
            throw LibraryError.invalidChange(
                entity: "item", row: id, field: "html", reason: "unknown body \(html)")
        }
        var arguments: StatementArguments = [id, saved, values[.body] ?? .null, values[.html] ?? .null]
        for field in fields {
            arguments += [values[field] ?? Self.itemDefaults[field] ?? .null]
        }
        try execute(
            """
            INSERT INTO item (\(columns)) VALUES (?, ?, (SELECT id FROM body WHERE hash = ?),
                (SELECT id FROM body WHERE hash = ?), \(placeholders))
            """, arguments)
        let seq = db.lastInsertedRowID
        createdItems.insert(seq)
        if let images = values[.images], !images.isNull { try linkAssets(of: seq, to: images) }
        let title = String.fromDatabaseValue(values[.title] ?? .null) ?? ""
        if values[.deleted] != true.databaseValue {
            try indexNewItem(
                seq, title: title, byline: String.fromDatabaseValue(values[.byline] ?? .null),
                source: String.fromDatabaseValue(values[.source] ?? .null), text: text)
        }
        try recordCreation(entity: .item, row: seq, item: seq, summary: title.databaseValue, stamp: stamp)
        return seq
    }

    /// The values of the columns that have a default, for creations that leave them out.
    private static let itemDefaults: [ItemField: DatabaseValue] = [
        .readingState: ReadingState.unread.rawValue.databaseValue, .progress: 0.0.databaseValue,
        .archived: false.databaseValue, .favorite: false.databaseValue, .deleted: false.databaseValue,
        // A creation from before feeds (bundle version 5) is always a save by hand.
        .listed: true.databaseValue,
    ]

    /// Creates a highlight row and records its creation: the one insert of local highlights and
    /// merged ones.
    @discardableResult
    func insertHighlight(
        id: String, item: Int64, quote: String, note: DatabaseValue, created: String,
        deleted: DatabaseValue = false.databaseValue, stamp: StoredStamp? = nil
    ) throws -> Int64 {
        try execute(
            "INSERT INTO highlight (id, item, quote, note, created, deleted) VALUES (?, ?, ?, ?, ?, ?)",
            [id, item, quote, note, created, deleted])
        let seq = db.lastInsertedRowID
        try recordCreation(
            entity: .highlight, row: seq, item: item, summary: quote.databaseValue, stamp: stamp)
        return seq
    }

    /// Creates a highlight from a prepared draft (see ``PreparedDraft/prepared(_:)``).
    @discardableResult
    func addHighlight(_ highlight: HighlightDraft, to item: Int64) throws -> Int64 {
        try insertHighlight(
            id: environment.makeID(), item: item, quote: highlight.quote, note: highlight.note.databaseValue,
            created: highlight.created ?? environment.timestamp())
    }
}
