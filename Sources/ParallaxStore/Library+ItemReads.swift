import Foundation
import GRDB

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
        if let listed = filter.listed {
            // Literal, not bound: SQLite picks a partial index only for a condition it can read.
            conditions.append(listed ? "item.listed = 1" : "item.listed = 0")
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
            item.event, item.seq, item.body_id, item.listed, item.feed
        FROM item JOIN body INDEXED BY body_summary ON body.id = item.body_id
        """

    static func item(from row: Row) -> Item {
        let tags: String? = row[17]
        return Item(
            id: row[0], url: row[1], canonicalURL: row[2], title: row[3], byline: row[4], source: row[5],
            published: row[6], saved: row[7], language: row[8], contentHash: row[9], wordCount: row[10],
            readingState: ReadingState(rawValue: row[11]) ?? .unread, progress: row[12], archived: row[13],
            favorite: row[14], note: row[15], deleted: row[16],
            tags: tags.map { $0.split(separator: "\u{1F}").map(String.init) } ?? [], event: row[18],
            listed: row[21], feed: row[22])
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
