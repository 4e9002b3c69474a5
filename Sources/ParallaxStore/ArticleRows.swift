import Foundation
import GRDB

/// The store's reads of articles that a module keeping data derived from them (framing's
/// grouping) makes inside a transaction of its own tables, so that what it reads of the
/// articles and what it writes beside them agree. Items are keyed by `seq`, their row number,
/// which derived tables use as their key.
package struct ArticleRows {
    let db: Database

    /// Reads articles through the transaction `db` of an ``OwnedTables`` handle.
    package init(_ db: Database) { self.db = db }

    /// The items among `seqs` that grouping sorts (see ``Library/articlesToGroup()``), with their texts.
    package func articlesToGroup(_ seqs: [Int64]) throws -> [(article: Library.ArticleToGroup, text: String)]
    {
        let statement = try db.cachedStatement(
            sql: """
                SELECT item.seq, item.id, item.title, item.source, coalesce(item.published, item.saved), body.text
                FROM item JOIN body ON body.id = item.body_id
                WHERE item.seq = ? AND item.deleted = 0 AND body.word_count > 0 AND item.event IS NULL
                """)
        return try seqs.compactMap { seq in
            try Row.fetchOne(statement, arguments: [seq]).map { row in
                (
                    Library.ArticleToGroup(
                        seq: row[0], id: row[1], title: row[2], source: row[3], date: row[4]),
                    row[5]
                )
            }
        }
    }

    /// Every item's id, by seq: one walk of the table rather than a lookup each.
    package func allItemIDs() throws -> [Int64: String] {
        var ids: [Int64: String] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT seq, id FROM item")
        while let row = try rows.next() { ids[row[0]] = row[1] }
        return ids
    }

    /// The item ids of some items, by seq.
    package func itemIDs(_ seqs: some Collection<Int64>) throws -> [Int64: String] {
        var ids: [Int64: String] = [:]
        ids.reserveCapacity(seqs.count)
        let statement = try db.cachedStatement(sql: "SELECT id FROM item WHERE seq = ?")
        for seq in seqs {
            if let id = try String.fetchOne(statement, arguments: [seq]) { ids[seq] = id }
        }
        return ids
    }

    /// The items dated (published, or else saved) on or after `since`, by seq: one walk of the
    /// publication-date index over the window.
    package func itemsDated(since: String) throws -> [Int64: String] {
        var ids: [Int64: String] = [:]
        let rows = try Row.fetchCursor(
            db, sql: "SELECT seq, id FROM item WHERE coalesce(item.published, item.saved) >= ?",
            arguments: [since])
        while let row = try rows.next() { ids[row[0]] = row[1] }
        return ids
    }

    /// The articles of `sources` that the reader put in an event by hand (``Item/event``), not
    /// removed and with text, dated on or after `since` when it is given: one small index
    /// (store migration 0008) answers it.
    package func correctedEvents(sources: [String], datedSince since: String?) throws -> [(
        id: String, event: String, source: String
    )] {
        guard !sources.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: sources.count).joined(separator: ", ")
        var arguments = StatementArguments(sources)
        if let since { arguments += [since] }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT item.id, item.event, item.source FROM item INDEXED BY item_corrected_event
                JOIN body INDEXED BY body_summary ON body.id = item.body_id
                WHERE item.event IS NOT NULL AND item.deleted = 0 AND body.word_count > 0
                    AND item.source IN (\(placeholders))
                    \(since == nil ? "" : "AND coalesce(item.published, item.saved) >= ?")
                """, arguments: arguments)
        return rows.map { ($0[0], $0[1], $0[2]) }
    }
}
