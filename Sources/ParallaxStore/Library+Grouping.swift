import Foundation
import GRDB

// MARK: - The stored grouping of articles into events

extension Library {
    /// The automatic grouping last stored, item id to event id, when it was made from the
    /// articles `fingerprint` names; nil when there is none or it was made from others.
    public func storedGrouping(fingerprint: String) throws -> [String: String]? {
        try read("read the stored grouping") { db in
            guard
                try String.fetchOne(db, sql: "SELECT fingerprint FROM event_grouping_state WHERE id = 1")
                    == fingerprint
            else { return nil }
            var grouping: [String: String] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT item_id, event_id FROM event_grouping")
            while let row = try rows.next() { grouping[row["item_id"]] = row["event_id"] }
            return grouping
        }
    }

    /// The fingerprint of the stored grouping: which articles it was made from; nil before any.
    public func groupingFingerprint() throws -> String? {
        try read("read the stored grouping") { db in
            try String.fetchOne(db, sql: "SELECT fingerprint FROM event_grouping_state WHERE id = 1")
        }
    }

    /// Replaces the stored grouping with one made from the articles `fingerprint` names.
    ///
    /// The grouping is derived data, like the search index: it is written outside the change
    /// log, does not advance the library's version and does not sync. A library opened read-only
    /// keeps what it has; its caller has the grouping in hand all the same.
    public func storeGrouping(_ grouping: [String: String], fingerprint: String) throws {
        guard mode == .readWrite else { return }
        do {
            try database.write { db in
                try db.execute(sql: "DELETE FROM event_grouping")
                let insert = try db.cachedStatement(
                    sql: "INSERT INTO event_grouping (item_id, event_id) VALUES (?, ?)")
                for (item, event) in grouping { try insert.execute(arguments: [item, event]) }
                try db.execute(
                    sql: """
                        INSERT INTO event_grouping_state (id, fingerprint, grouped_at) VALUES (1, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, grouped_at = excluded.grouped_at
                        """,
                    arguments: [fingerprint, Timestamp.string(from: environment.now())])
            }
        } catch {
            throw LibraryError.translating(
                error, path: path, operation: "store the grouping", busyTimeout: busyTimeout)
        }
    }
}
