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

/// A draft checked and normalised, ready to write.
///
/// Every field is checked here, before the first write, so that a draft fails whole or not at all.
struct PreparedDraft: Sendable {
    var draft: ItemDraft
    var canonicalURL: String?
    var hash: String
    var wordCount: Int
    /// The hash of the draft's HTML, when it has some.
    var htmlHash: String?
    /// The draft's images by hash, and the `images` field that names them (nil without any).
    var assets: [String: ImageAsset] = [:]
    var imageReferences: ImageReferences?

    init(_ draft: ItemDraft) throws {
        var draft = draft
        draft.title = StoredText.clean(draft.title).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !draft.title.isEmpty else {
            throw LibraryError.invalidValue(field: "title", value: "", reason: "it is empty")
        }
        draft.text = StoredText.clean(draft.text)
        guard draft.text.utf8.count <= Library.maximumTextBytes else {
            throw LibraryError.invalidValue(
                field: "text", value: "\(draft.text.utf8.count >> 20) MiB",
                reason: "an article may hold at most \(Library.maximumTextBytes >> 20) MiB of text")
        }
        draft.html = try draft.html.flatMap(Self.checkedHTML)
        draft.url = draft.url.flatMap(Self.nonEmpty)
        // Only web addresses are kept: a `javascript:` or `data:` address would become a link in
        // every export and page that shows the item.
        if let url = draft.url, CanonicalURL.normalize(url) == nil {
            throw LibraryError.invalidValue(
                field: "url", value: url, reason: "only http and https addresses are kept")
        }
        // Scans to the first visible character instead of trimming, which copies the whole body.
        if !draft.text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) {
            // A saved link whose page is not fetched yet, as reading-list exports hold them.
            guard draft.url.flatMap(CanonicalURL.normalize) != nil else {
                throw LibraryError.invalidValue(field: "text", value: "", reason: "the article has no text")
            }
            draft.text = ""
        }
        draft.byline = draft.byline.flatMap(Self.nonEmpty)
        draft.source = draft.source.flatMap(Self.nonEmpty)
        draft.language = draft.language.flatMap(Self.nonEmpty)?.lowercased()
        draft.note = draft.note.flatMap(Self.nonEmpty)
        draft.published = try draft.published.flatMap(Self.nonEmpty).map {
            try Timestamp.normalizedDate($0, field: "published")
        }
        draft.saved = try draft.saved.flatMap(Self.nonEmpty).map {
            try Timestamp.normalizedDate($0, field: "saved")
        }
        guard (0...1).contains(draft.progress) else {
            throw LibraryError.invalidValue(
                field: "progress", value: "\(draft.progress)", reason: "it must be between 0 and 1")
        }
        draft.tags = try Array(Set(draft.tags.map(Tag.normalize))).sorted()
        draft.highlights = try draft.highlights.map(Self.prepared)
        self.draft = draft
        canonicalURL = draft.url.flatMap(CanonicalURL.normalize)
        hash = ContentHash.of(draft.text)
        wordCount = ContentHash.wordCount(of: draft.text)
        htmlHash = draft.html.map(ContentHash.of)
        (assets, imageReferences) = try Self.checkedImages(draft.images)
    }

    /// HTML without NULs; nil when blank.
    /// - Throws: ``LibraryError/invalidValue(field:value:reason:)`` past the text size limit.
    static func checkedHTML(_ html: String) throws -> String? {
        let cleaned = StoredText.clean(html)
        guard cleaned.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else { return nil }
        guard cleaned.utf8.count <= Library.maximumTextBytes else {
            throw LibraryError.invalidValue(
                field: "html", value: "\(cleaned.utf8.count >> 20) MiB",
                reason: "an article may hold at most \(Library.maximumTextBytes >> 20) MiB of HTML")
        }
        return cleaned
    }

    /// Images checked (count, size, format against the bytes), by hash, with the `images` field
    /// that names them (nil without any).
    static func checkedImages(_ images: [ArticleImageAsset]) throws -> (
        [String: ImageAsset], ImageReferences?
    ) {
        guard images.count <= ImageReferences.maximumCount else {
            throw LibraryError.invalidValue(
                field: "images", value: "\(images.count)",
                reason: "an article may keep at most \(ImageReferences.maximumCount) images")
        }
        var assets: [String: ImageAsset] = [:]
        var references: [String: String] = [:]
        for image in images {
            guard image.asset.data.count <= ImageAsset.maximumBytes,
                ImageType(detecting: image.asset.data) == image.asset.type
            else {
                throw LibraryError.invalidValue(
                    field: "images", value: image.url,
                    reason: "not an image of at most 16 MiB in a kept format")
            }
            let hash = image.asset.hash
            assets[hash] = image.asset
            references[image.url] = hash
        }
        return (assets, references.isEmpty ? nil : ImageReferences(references))
    }

    /// A highlight with its quote trimmed and its date checked.
    static func prepared(_ highlight: HighlightDraft) throws -> HighlightDraft {
        guard let quote = nonEmpty(highlight.quote) else {
            throw LibraryError.invalidValue(field: "highlight", value: highlight.quote, reason: "it is empty")
        }
        return HighlightDraft(
            quote: quote, note: highlight.note.flatMap(nonEmpty),
            created: try highlight.created.flatMap(nonEmpty).map {
                try Timestamp.normalizedDate($0, field: "created")
            })
    }

    private static func nonEmpty(_ value: String) -> String? {
        let trimmed = StoredText.clean(value).trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}

extension Library {
    /// The most text one article may hold: 32 MiB, far beyond any article, short of what would
    /// make one item slow every search and export.
    public static let maximumTextBytes = 32 << 20
}

/// What text a library can store exactly.
public enum StoredText {
    /// Drops NUL characters, which SQLite's C strings would cut the text at: a body stored cut
    /// would no longer match the hash it travels under.
    public static func clean(_ text: String) -> String {
        guard containsNUL(text) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\u{0}" }))
    }

    /// Whether a text holds a NUL, found by `memchr` over its UTF-8: a generic search of every
    /// article's bytes showed in the cost of an import.
    static func containsNUL(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 0, bytes.count) != nil
        }
    }
}

/// The rules for tag names.
public enum Tag {
    /// Lower-cases and trims a tag and checks it is usable.
    /// - Throws: ``LibraryError/invalidValue(field:value:reason:)`` for an empty tag or one with a comma.
    public static func normalize(_ tag: String) throws -> String {
        let normalized = StoredText.clean(tag).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !normalized.isEmpty else {
            throw LibraryError.invalidValue(field: "tag", value: tag, reason: "it is empty")
        }
        guard !normalized.contains(","), normalized.count <= 100 else {
            throw LibraryError.invalidValue(
                field: "tag", value: tag, reason: "tags have no commas and at most 100 characters")
        }
        return normalized
    }
}

extension ChangeWriter {
    func add(_ prepared: PreparedDraft, force: Bool, library: Library) throws -> AddOutcome {
        let draft = prepared.draft
        if let (seq, reason) = try findDuplicate(of: prepared) {
            guard force else { return .duplicate(try library.fetchItem(db, seq: seq), reason: reason) }
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
            return .updated(try library.fetchItem(db, seq: seq))
        }
        try storeBody(draft.text, hash: prepared.hash, wordCount: prepared.wordCount)
        if let html = draft.html { try storeBody(html, hash: prepared.htmlHash) }
        for (hash, asset) in prepared.assets { try storeAsset(asset, hash: hash) }
        let id = environment.makeID()
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
        let seq = try insertItem(id: id, saved: saved, values: values, text: draft.text)
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
                favorite: draft.favorite, note: draft.note, deleted: false, tags: draft.tags))
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

// MARK: - Reading items

extension Library {
    /// Finds the item whose id is, or starts with, `reference` (deleted items included).
    /// - Throws: ``LibraryError/unknownItem(reference:)`` or ``LibraryError/ambiguousItem(reference:candidates:)``.
    public func resolve(_ reference: String) throws -> Item {
        try read("find an item") { db in try fetchItem(db, seq: resolveSeq(db, reference)) }
    }

    /// Finds an item as ``resolve(_:)`` does, without holding a thread while it waits.
    public func resolve(_ reference: String) async throws -> Item {
        try await read("find an item") { db in try self.fetchItem(db, seq: self.resolveSeq(db, reference)) }
    }

    /// The saved item at the same article address as `url` (compared by ``CanonicalURL``), if any.
    public func item(withURL url: String) throws -> Item? {
        guard let canonical = CanonicalURL.normalize(url) else { return nil }
        return try read("find an item by its URL") { db in
            let seq = try Int64.fetchOne(
                db, sql: "SELECT seq FROM item WHERE canonical_url = ? AND deleted = 0 ORDER BY seq LIMIT 1",
                arguments: [canonical])
            return try seq.map { try fetchItem(db, seq: $0) }
        }
    }

    /// The items that match a filter, newest saved first.
    public func items(matching filter: ItemFilter = ItemFilter()) throws -> [Item] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if !filter.includeDeleted { conditions.append("item.deleted = 0") }
        if let state = filter.readingState {
            conditions.append("item.reading_state = ?")
            arguments += [state.rawValue]
        }
        if let archived = filter.archived {
            conditions.append("item.archived = ?")
            arguments += [archived]
        }
        if filter.favoriteOnly { conditions.append("item.favorite = 1") }
        if let since = filter.datedSince {
            conditions.append("coalesce(item.published, item.saved) >= ?")
            arguments += [since]
        }
        if let source = filter.source {
            conditions.append("item.source = ? COLLATE NOCASE")
            arguments += [source]
        }
        if let tag = filter.tag {
            conditions.append(
                "EXISTS (SELECT 1 FROM item_tag WHERE item_tag.item = item.seq AND tag = ? AND present = 1)")
            arguments += [try Tag.normalize(tag)]
        }
        let key = filter.order == .saved ? "item.saved" : "coalesce(item.published, item.saved)"
        let limit = filter.limit.map { " LIMIT \(max(0, $0))" } ?? ""
        return try read("list items") { [conditions, arguments] db in
            var (conditions, arguments) = (conditions, arguments)
            if let after = filter.after {
                // The next page starts after that item in the order: a key, not an offset, so a
                // page costs the same however deep it is.
                guard
                    let row = try Row.fetchOne(
                        db, sql: "SELECT \(key) AS key, item.seq FROM item WHERE item.id = ?",
                        arguments: [after])
                else { throw LibraryError.unknownItem(reference: after) }
                conditions.append("(\(key), item.seq) < (?, ?)")
                arguments += [row["key"] as String, row["seq"] as Int64]
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(
                db,
                sql: "\(Self.itemSelection) \(whereClause) ORDER BY \(key) DESC, item.seq DESC\(limit)",
                arguments: arguments
            )
            .map(Self.item(from:))
        }
    }

    /// The body text of an item.
    public func text(of item: Item) throws -> String {
        try read("read an item's text") { db in
            try String.fetchOne(
                db, sql: "SELECT body.text FROM item JOIN body ON body.id = item.body_id WHERE item.id = ?",
                arguments: [item.id]) ?? ""
        }
    }

    /// The highlights of an item, oldest first.
    public func highlights(of item: Item, includeDeleted: Bool = false) throws -> [Highlight] {
        try read("read highlights") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT highlight.*, item.id AS item_id FROM highlight JOIN item ON item.seq = highlight.item
                    WHERE item.id = ? \(includeDeleted ? "" : "AND highlight.deleted = 0") ORDER BY highlight.id
                    """, arguments: [item.id]
            ).map(Self.highlight(from:))
        }
    }

    /// The item a highlight belongs to, found by the highlight's id or a unique prefix of it.
    /// - Throws: ``LibraryError/unknownHighlight(reference:)``, also for a removed highlight.
    public func item(ofHighlight reference: String) throws -> Item {
        guard let prefix = ItemID.normalizedPrefix(reference) else {
            throw LibraryError.unknownHighlight(reference: reference)
        }
        return try read("find a highlight's item") { db in
            let items = try Int64.fetchAll(
                db, sql: "SELECT item FROM highlight WHERE id >= ? AND id < ? AND deleted = 0 LIMIT 2",
                arguments: [prefix, prefix + "~"])
            guard items.count == 1 else { throw LibraryError.unknownHighlight(reference: reference) }
            return try fetchItem(db, seq: items[0])
        }
    }

    /// The shortest unambiguous prefix of each id, at least ``ItemID/minimumShortLength`` long.
    ///
    /// Each id is compared with its neighbours in id order only, found through the id's index,
    /// so a page of ids costs the same in a library of any size.
    public func shortIDs(for ids: [String]) throws -> [String: String] {
        try read("list ids") { db in
            let previous = try db.cachedStatement(
                sql: "SELECT id FROM item WHERE id < ? ORDER BY id DESC LIMIT 1")
            let next = try db.cachedStatement(sql: "SELECT id FROM item WHERE id > ? ORDER BY id LIMIT 1")
            var result: [String: String] = [:]
            for id in ids {
                let length = ItemID.shortLength(
                    of: id, previous: try String.fetchOne(previous, arguments: [id]),
                    next: try String.fetchOne(next, arguments: [id]))
                result[id] = String(id.prefix(length))
            }
            return result
        }
    }

    // MARK: Row decoding

    /// An item's columns in the order ``item(from:)`` reads them by position: a lookup by name
    /// searches the row's columns, and a window of 36,000 items spent most of its time there.
    static let itemSelection = """
        SELECT item.id, item.url, item.canonical_url, item.title, item.byline, item.source, item.published,
            item.saved, item.language, body.hash AS content_hash, body.word_count AS word_count,
            item.reading_state, item.progress, item.archived, item.favorite, item.note, item.deleted,
            (SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM item_tag
                WHERE item_tag.item = item.seq AND present = 1 ORDER BY tag)) AS tag_list,
            item.event, item.seq, item.body_id
        FROM item JOIN body INDEXED BY body_summary ON body.id = item.body_id
        """

    static func item(from row: Row) -> Item {
        let tags: String? = row[17]
        return Item(
            id: row[0], url: row[1], canonicalURL: row[2], title: row[3], byline: row[4], source: row[5],
            published: row[6], saved: row[7], language: row[8], contentHash: row[9], wordCount: row[10],
            readingState: ReadingState(rawValue: row[11]) ?? .unread, progress: row[12], archived: row[13],
            favorite: row[14], note: row[15], deleted: row[16],
            tags: tags.map { $0.split(separator: "\u{1F}").map(String.init) } ?? [], event: row[18])
    }

    static func highlight(from row: Row) -> Highlight {
        Highlight(
            id: row["id"], itemID: row["item_id"], quote: row["quote"], note: row["note"],
            created: row["created"],
            deleted: row["deleted"])
    }

    func fetchItem(_ db: Database, seq: Int64) throws -> Item {
        guard
            let row = try Row.fetchOne(db, sql: "\(Self.itemSelection) WHERE item.seq = ?", arguments: [seq])
        else {
            throw LibraryError.unknownItem(reference: "#\(seq)")
        }
        return Self.item(from: row)
    }

    func resolveSeq(_ db: Database, _ reference: String) throws -> Int64 {
        guard let prefix = ItemID.normalizedPrefix(reference) else {
            throw LibraryError.unknownItem(reference: reference)
        }
        let rows = try Row.fetchAll(
            db, sql: "SELECT seq, id FROM item WHERE id >= ? AND id < ? ORDER BY id LIMIT 5",
            arguments: [prefix, prefix + "~"])
        if let exact = rows.first(where: { ($0["id"] as String) == prefix }) { return exact["seq"] }
        switch rows.count {
        case 0: throw LibraryError.unknownItem(reference: reference)
        case 1: return rows[0]["seq"]
        default:
            let ids: [String] = rows.map { $0["id"] }
            throw LibraryError.ambiguousItem(
                reference: reference,
                candidates: ids.indices.map { index in
                    let length = ItemID.shortLength(
                        of: ids[index], previous: index > 0 ? ids[index - 1] : nil,
                        next: index + 1 < ids.count ? ids[index + 1] : nil)
                    return String(ids[index].prefix(length))
                })
        }
    }
}

// MARK: - Bulk reads

extension Library {
    /// The ids of the items that are not deleted, sorted.
    public func itemIDs() throws -> [String] {
        try read("list ids") { db in
            try String.fetchAll(db, sql: "SELECT id FROM item WHERE deleted = 0 ORDER BY id")
        }
    }

    /// The items with these ids, in their order; ids not found are left out.
    public func items(withIDs ids: [String]) throws -> [Item] {
        try read("read items") { db in
            let statement = try db.cachedStatement(sql: "\(Self.itemSelection) WHERE item.id = ?")
            return try ids.compactMap { try Row.fetchOne(statement, arguments: [$0]).map(Self.item(from:)) }
        }
    }

    /// The body texts of items, in the order of `ids`, read in one transaction.
    public func texts(ofItemIDs ids: [String]) throws -> [String] {
        try read("read texts") { db in
            let statement = try db.cachedStatement(
                sql: "SELECT body.text FROM item JOIN body ON body.id = item.body_id WHERE item.id = ?")
            return try ids.map { try String.fetchOne(statement, arguments: [$0]) ?? "" }
        }
    }
}
