import Foundation
import GRDB

// MARK: - The stored grouping of articles into events

extension Library {
    /// The automatic grouping last stored, when it was made by a grouper of these settings and
    /// no article has changed since. Reading it costs the same whatever the library's size.
    public func storedGrouping(grouper: String) throws -> [String: String]? {
        try read("read the stored grouping") { db in
            guard try Self.groupingIsCurrent(db, grouper: grouper) else { return nil }
            var grouping: [String: String] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT item_id, event_id FROM event_grouping")
            while let row = try rows.next() { grouping[row[0]] = row[1] }
            return grouping
        }
    }

    /// The stored grouping's events of some items, when it is current as for
    /// ``storedGrouping(grouper:)``: a window of a big library reads only its own rows.
    public func storedGrouping(grouper: String, of itemIDs: [String]) throws -> [String: String]? {
        try read("read the stored grouping") { db in
            guard try Self.groupingIsCurrent(db, grouper: grouper) else { return nil }
            let lookup = try db.cachedStatement(sql: "SELECT event_id FROM event_grouping WHERE item_id = ?")
            var grouping: [String: String] = [:]
            for id in itemIDs {
                if let event = try String.fetchOne(lookup, arguments: [id]) { grouping[id] = event }
            }
            return grouping
        }
    }

    /// What grouping reads of an article, without the rest of its item.
    public struct ArticleToGroup: Sendable, Hashable {
        /// The item's id.
        public let id: String
        /// Its headline.
        public let title: String
        /// Its outlet.
        public let source: String?
        /// When it was published, or else saved.
        public let date: String
    }

    /// The articles that grouping sorts into events: not removed, with text, and not put in an
    /// event by the reader. Newest saved first, as ``items(matching:)`` lists them.
    public func articlesToGroup() throws -> [ArticleToGroup] {
        try read("read the articles to group") { db in
            var articles: [ArticleToGroup] = []
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT item.id, item.title, item.source, coalesce(item.published, item.saved)
                    FROM item JOIN body ON body.id = item.body_id
                    WHERE item.deleted = 0 AND body.word_count > 0 AND item.event IS NULL
                    ORDER BY item.saved DESC, item.seq DESC
                    """)
            while let row = try rows.next() {
                articles.append(ArticleToGroup(id: row[0], title: row[1], source: row[2], date: row[3]))
            }
            return articles
        }
    }

    /// The last change the grouping has not yet seen; read it before reading the articles to group.
    public func groupingChangesThrough() throws -> Int64 {
        try read("read the stored grouping") { db in
            try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM event_grouping_change") ?? 0
        }
    }

    /// Whether the stored grouping was made by a grouper of these settings and is still current.
    public func groupingIsCurrent(grouper: String) throws -> Bool {
        try read("read the stored grouping") { db in try Self.groupingIsCurrent(db, grouper: grouper) }
    }

    /// Replaces the stored grouping with one made from the articles as they were after change
    /// `changesThrough` (``groupingChangesThrough()``, read before the articles were).
    ///
    /// The grouping is derived data, like the search index: it is written outside the change
    /// log, does not advance the library's version and does not sync. A library opened read-only
    /// keeps what it has; its caller has the grouping in hand all the same.
    public func storeGrouping(_ grouping: [String: String], grouper: String, changesThrough: Int64) throws {
        guard mode == .readWrite else { return }
        do {
            try database.write { db in
                try db.execute(sql: "DELETE FROM event_grouping")
                let insert = try db.cachedStatement(
                    sql: "INSERT INTO event_grouping (item_id, event_id) VALUES (?, ?)")
                for (item, event) in grouping { try insert.execute(arguments: [item, event]) }
                try db.execute(
                    sql: "DELETE FROM event_grouping_change WHERE id <= ?", arguments: [changesThrough])
                try db.execute(
                    sql: """
                        INSERT INTO event_grouping_state (id, grouper, grouped_at) VALUES (1, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET grouper = excluded.grouper, grouped_at = excluded.grouped_at
                        """,
                    arguments: [grouper, Timestamp.string(from: environment.now())])
            }
        } catch {
            throw LibraryError.translating(
                error, path: path, operation: "store the grouping", busyTimeout: busyTimeout)
        }
    }
}

private extension Library {
    static func groupingIsCurrent(_ db: Database, grouper: String) throws -> Bool {
        try String.fetchOne(db, sql: "SELECT grouper FROM event_grouping_state WHERE id = 1") == grouper
            && !(try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM event_grouping_change)") ?? false)
    }
}
