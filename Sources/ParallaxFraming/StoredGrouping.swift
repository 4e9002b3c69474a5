import Foundation
import GRDB
import ParallaxMigrations
import ParallaxStore

// MARK: - The stored grouping of articles into events

/// Framing's own tables in a library (`Migrations/Framing/`): the grouping's state, and the
/// articles changed since it was made, which triggers on the store's `item` table note.
extension Library {
    var framingTables: OwnedTables { tables(of: .framing) }

    /// The automatic grouping last stored, when it was made by a grouper of these settings and
    /// no article has changed since. Reading it costs the same whatever the library's size.
    public func storedGrouping(grouper: String) throws -> [String: String]? {
        try framingTables.read("read the stored grouping") { db in
            guard try Self.groupingIsCurrent(db, grouper: grouper) else { return nil }
            let ids = try ArticleRows(db).allItemIDs()
            var grouping: [String: String] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT item, event FROM grouping_article")
            while let row = try rows.next() {
                if let id = ids[row[0]], let event = ids[row[1]] { grouping[id] = event }
            }
            return grouping
        }
    }

    /// The stored grouping's events of the items dated (published, or else saved) on or after
    /// `since`, when it is current as for ``storedGrouping(grouper:)``: one walk of the
    /// publication-date index, and a lookup of each of those items' events.
    public func storedGrouping(grouper: String, datedSince since: String) throws -> [String: String]? {
        try framingTables.read("read the stored grouping") { db in
            guard try Self.groupingIsCurrent(db, grouper: grouper) else { return nil }
            let articles = ArticleRows(db)
            let dated = try articles.itemsDated(since: since)
            let eventOf = try db.cachedStatement(sql: "SELECT event FROM grouping_article WHERE item = ?")
            var events: [Int64: Int64] = [:]
            for seq in dated.keys {
                if let event = try Int64.fetchOne(eventOf, arguments: [seq]) { events[seq] = event }
            }
            let eventIDs = try articles.itemIDs(Set(events.values))
            var grouping: [String: String] = [:]
            for (seq, event) in events {
                if let id = dated[seq], let eventID = eventIDs[event] { grouping[id] = eventID }
            }
            return grouping
        }
    }

    /// The events of the articles of `sources` that are in an event with articles of every one
    /// of them, counting only articles dated on or after `since` when it is given: each such
    /// article's event id, a reader's correction (`item.event`) included. Nil when the stored
    /// grouping is not current as for ``storedGrouping(grouper:)``.
    ///
    /// Two indexes answer it (store migration 0008, framing 0004), so it reads the shared
    /// events' articles, not every article of the outlets.
    public func storedGrouping(
        grouper: String, sharedBy sources: Set<String>, datedSince since: String?
    ) throws -> [String: String]? {
        let names = sources.sorted()
        guard !names.isEmpty else { return [:] }
        return try framingTables.read("read the stored grouping") { db in
            guard try Self.groupingIsCurrent(db, grouper: grouper) else { return nil }
            let articles = ArticleRows(db)
            let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
            let grouped = try Row.fetchAll(
                db,
                sql: """
                    SELECT item, event, source FROM grouping_article INDEXED BY grouping_article_source
                    WHERE source IN (\(placeholders))
                    """, arguments: StatementArguments(names)
            ).map { (item: $0[0] as Int64, event: $0[1] as Int64, source: $0[2] as String) }
            let inWindow = try since.map { try articles.itemsDated(since: $0) }
            let kept = grouped.filter { inWindow?[$0.item] != nil || inWindow == nil }
            let ids = try articles.itemIDs(Set(kept.flatMap { [$0.item, $0.event] }))
            var members: [(id: String, event: String, source: String)] = kept.compactMap { article in
                guard let id = ids[article.item], let event = ids[article.event] else { return nil }
                return (id, event, article.source)
            }
            members += try articles.correctedEvents(sources: names, datedSince: since)
            var sourcesOfEvent: [String: Set<String>] = [:]
            for member in members { sourcesOfEvent[member.event, default: []].insert(member.source) }
            var grouping: [String: String] = [:]
            for member in members where sourcesOfEvent[member.event]?.count == names.count {
                grouping[member.id] = member.event
            }
            return grouping
        }
    }

    /// The last change the grouping has not yet seen; read it before reading the articles to group.
    public func groupingChangesThrough() throws -> Int64 {
        try framingTables.read("read the stored grouping") { db in
            try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM event_grouping_change") ?? 0
        }
    }

    /// Whether the stored grouping was made by a grouper of these settings and is still current.
    public func groupingIsCurrent(grouper: String) throws -> Bool {
        try framingTables.read("read the stored grouping") { db in
            try Self.groupingIsCurrent(db, grouper: grouper)
        }
    }

    /// Brings the grouping state up to date in one transaction: `body` reads what it needs
    /// through the transaction, applies its changes and calls
    /// ``GroupingStateTransaction/finish(grouper:documents:changesThrough:fromScratch:)``.
    ///
    /// The state is derived data, like the search index: written outside the change log, it
    /// does not advance the library's version and does not sync.
    func updateGroupingState<T>(_ body: (GroupingStateTransaction) throws -> T) throws -> T {
        let now = environment.now()
        return try framingTables.write("update the grouping") { db in
            try body(GroupingStateTransaction(db: db, now: now))
        }
    }

    /// Replaces the whole grouping state with one made from scratch from the articles as they
    /// were after change `changesThrough` (``groupingChangesThrough()``, read before them).
    ///
    /// It is written in several transactions, so a library of a million articles never holds
    /// one write-ahead log of all of it; until the last commits the state names no grouper,
    /// so an interrupted write is made again, never read half-made.
    /// - Parameter progress: Told how many of the articles are written, and of how many.
    func replaceGroupingState(
        _ changes: GroupingStateChanges, grouper: String, changesThrough: Int64,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws {
        guard mode == .readWrite else { return }
        let now = environment.now()
        try framingTables.write("store the grouping") { db in
            for table in ["grouping_posting", "grouping_strong", "grouping_article", "grouping_term"] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
            try GroupingStateTransaction(db: db, now: now).finish(
                grouper: "", documents: 0, changesThrough: 0, fromScratch: true)
        }
        let terms = changes.newTerms.sorted { $0.key < $1.key }
        for start in stride(from: 0, to: terms.count, by: 50_000) {
            try framingTables.write("store the grouping") { db in
                let insert = try db.cachedStatement(
                    sql: "INSERT INTO grouping_term (id, word, documents) VALUES (?, ?, ?)")
                for (id, word) in terms[start..<min(start + 50_000, terms.count)] {
                    try insert.execute(arguments: [id, word, changes.frequencies[id] ?? 0])
                }
            }
        }
        for start in stride(from: 0, to: changes.saved.count, by: 20_000) {
            progress(start, changes.saved.count)
            try framingTables.write("store the grouping") { db in
                try GroupingStateTransaction(db: db, now: now).save(
                    Array(changes.saved[start..<min(start + 20_000, changes.saved.count)]))
            }
        }
        try framingTables.write("store the grouping") { db in
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
    }
}

private extension Library {
    static func groupingIsCurrent(_ db: Database, grouper: String) throws -> Bool {
        try String.fetchOne(db, sql: "SELECT grouper FROM event_grouping_state WHERE id = 1") == grouper
            && !(try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM event_grouping_change)") ?? false)
    }
}
