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
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT item.id, event.id FROM grouping_article g
                    JOIN item ON item.seq = g.item JOIN item event ON event.seq = g.event
                    """)
            while let row = try rows.next() { grouping[row[0]] = row[1] }
            return grouping
        }
    }

    /// The stored grouping's events of the items dated (published, or else saved) on or after
    /// `since`, when it is current as for ``storedGrouping(grouper:)``: one walk of the
    /// publication-date index rather than a lookup per item.
    public func storedGrouping(grouper: String, datedSince since: String) throws -> [String: String]? {
        try read("read the stored grouping") { db in
            guard try Self.groupingIsCurrent(db, grouper: grouper) else { return nil }
            var grouping: [String: String] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT item.id, event.id FROM item
                    JOIN grouping_article g ON g.item = item.seq JOIN item event ON event.seq = g.event
                    WHERE coalesce(item.published, item.saved) >= ?
                    """, arguments: [since])
            while let row = try rows.next() { grouping[row[0]] = row[1] }
            return grouping
        }
    }

    /// The events of the articles of `sources` that are in an event with articles of every one
    /// of them, counting only articles dated on or after `since` when it is given: each such
    /// article's event id, a reader's correction (`item.event`) included. Nil when the stored
    /// grouping is not current as for ``storedGrouping(grouper:)``.
    ///
    /// Two indexes answer it (migration 0011), so it reads the shared events' articles, not
    /// every article of the outlets.
    public func storedGrouping(
        grouper: String, sharedBy sources: Set<String>, datedSince since: String?
    ) throws -> [String: String]? {
        let names = sources.sorted()
        guard !names.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        let dated = since == nil ? "" : "AND coalesce(item.published, item.saved) >= ?"
        var arguments = StatementArguments(names)
        if let since { arguments += [since] }
        arguments += StatementArguments(names)
        if let since { arguments += [since] }
        arguments += [names.count]
        return try read("read the stored grouping") { db in
            guard try Self.groupingIsCurrent(db, grouper: grouper) else { return nil }
            var grouping: [String: String] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    WITH member (id, event, source) AS (
                        SELECT item.id, event.id, g.source FROM grouping_article g INDEXED BY grouping_article_source
                        JOIN item ON item.seq = g.item JOIN item event ON event.seq = g.event
                        WHERE g.source IN (\(placeholders)) \(dated)
                        UNION ALL
                        SELECT item.id, item.event, item.source FROM item INDEXED BY item_corrected_event
                        JOIN body INDEXED BY body_summary ON body.id = item.body_id
                        WHERE item.event IS NOT NULL AND item.deleted = 0 AND body.word_count > 0
                            AND item.source IN (\(placeholders)) \(dated))
                    SELECT id, event FROM member WHERE event IN (
                        SELECT event FROM member GROUP BY event HAVING count(DISTINCT source) = ?)
                    """, arguments: arguments)
            while let row = try rows.next() { grouping[row[0]] = row[1] }
            return grouping
        }
    }

    /// What grouping reads of an article, without the rest of its item.
    public struct ArticleToGroup: Sendable, Hashable {
        /// The item's row number.
        public let seq: Int64
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
    /// event by the reader. Newest saved first, and by id where saved together (a bulk import),
    /// so every device reads them in one order: the order numbers new terms, and a term's number
    /// breaks ties between equal weights.
    public func articlesToGroup() throws -> [ArticleToGroup] {
        try read("read the articles to group") { db in
            var articles: [ArticleToGroup] = []
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT item.seq, item.id, item.title, item.source, coalesce(item.published, item.saved)
                    FROM item JOIN body INDEXED BY body_summary ON body.id = item.body_id
                    WHERE item.deleted = 0 AND body.word_count > 0 AND item.event IS NULL
                    ORDER BY item.saved DESC, item.id DESC
                    """)
            while let row = try rows.next() {
                articles.append(
                    ArticleToGroup(seq: row[0], id: row[1], title: row[2], source: row[3], date: row[4]))
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

    /// Brings the grouping state up to date in one transaction: `body` reads what it needs
    /// through the transaction, applies its changes and calls
    /// ``GroupingStateTransaction/finish(grouper:documents:changesThrough:)``.
    ///
    /// The state is derived data, like the search index: written outside the change log, it
    /// does not advance the library's version and does not sync.
    public func updateGroupingState<T>(_ body: (GroupingStateTransaction) throws -> T) throws -> T {
        guard mode == .readWrite else { throw LibraryError.notWritable(path: path) }
        do {
            let now = environment.now()
            return try database.write { db in try body(GroupingStateTransaction(db: db, now: now)) }
        } catch {
            throw LibraryError.translating(
                error, path: path, operation: "update the grouping", busyTimeout: busyTimeout)
        }
    }

    /// Replaces the whole grouping state with one made from scratch from the articles as they
    /// were after change `changesThrough` (``groupingChangesThrough()``, read before them).
    ///
    /// It is written in several transactions, so a library of a million articles never holds
    /// one write-ahead log of all of it; until the last commits the state names no grouper,
    /// so an interrupted write is made again, never read half-made.
    /// - Parameter progress: Told how many of the articles are written, and of how many.
    public func replaceGroupingState(
        _ changes: GroupingStateChanges, grouper: String, changesThrough: Int64,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws {
        guard mode == .readWrite else { return }
        let now = environment.now()
        do {
            try database.write { db in
                for table in ["grouping_posting", "grouping_strong", "grouping_article", "grouping_term"] {
                    try db.execute(sql: "DELETE FROM \(table)")
                }
                try GroupingStateTransaction(db: db, now: now).finish(
                    grouper: "", documents: 0, changesThrough: 0, fromScratch: true)
            }
            let terms = changes.newTerms.sorted { $0.key < $1.key }
            for start in stride(from: 0, to: terms.count, by: 50_000) {
                try database.write { db in
                    let insert = try db.cachedStatement(
                        sql: "INSERT INTO grouping_term (id, word, documents) VALUES (?, ?, ?)")
                    for (id, word) in terms[start..<min(start + 50_000, terms.count)] {
                        try insert.execute(arguments: [id, word, changes.frequencies[id] ?? 0])
                    }
                }
            }
            for start in stride(from: 0, to: changes.saved.count, by: 20_000) {
                progress(start, changes.saved.count)
                try database.write { db in
                    try GroupingStateTransaction(db: db, now: now).save(
                        Array(changes.saved[start..<min(start + 20_000, changes.saved.count)]))
                }
            }
            try database.write { db in
                var removedNothing = changes
                removedNothing.removed = []
                removedNothing.saved = []
                removedNothing.newTerms = [:]
                removedNothing.frequencies = [:]
                let transaction = GroupingStateTransaction(db: db, now: now)
                try transaction.apply(removedNothing)
                try transaction.finish(
                    grouper: grouper, documents: changes.documents, changesThrough: changesThrough,
                    fromScratch: true)
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
