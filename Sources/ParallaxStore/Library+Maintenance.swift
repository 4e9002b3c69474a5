import Foundation
import GRDB

/// Counts that describe a library.
public struct LibraryStatistics: Codable, Hashable, Sendable {
    /// Items that are not deleted.
    public var items: Int
    /// Of those, unread, being read, read.
    public var unread: Int, reading: Int, read: Int
    /// Of those, archived and favorite.
    public var archived: Int, favorite: Int
    /// Tombstoned items.
    public var deleted: Int
    /// Words across the items' bodies.
    public var words: Int
    /// Distinct sources, with how many items each has, most first.
    public var sources: [NameCount]
    /// Tags in use, with how many items each has, most first.
    public var tags: [NameCount]
    /// Highlights that are not deleted.
    public var highlights: Int
    /// The library's version and its devices.
    public var version: Int, devices: Int
    /// This library's device id.
    public var device: String
    /// The size of the library file, in bytes (WAL included).
    public var bytes: Int64
    /// Where it is.
    public var path: String
}

/// A name with a count.
public struct NameCount: Codable, Hashable, Sendable {
    /// The name.
    public var name: String
    /// How many.
    public var count: Int
}

/// One problem `doctor` found.
public struct IntegrityProblem: Codable, Hashable, Sendable {
    /// Which check found it.
    public var check: String
    /// What is wrong.
    public var detail: String
}

extension Library {
    /// Counts items, states, sources, tags and the file's size.
    public func statistics() throws -> LibraryStatistics {
        try read("count the library") { db in
            let counts = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(*) FILTER (WHERE deleted = 0) AS items,
                        count(*) FILTER (WHERE deleted = 0 AND reading_state = 'unread') AS unread,
                        count(*) FILTER (WHERE deleted = 0 AND reading_state = 'reading') AS reading,
                        count(*) FILTER (WHERE deleted = 0 AND reading_state = 'read') AS read,
                        count(*) FILTER (WHERE deleted = 0 AND archived = 1) AS archived,
                        count(*) FILTER (WHERE deleted = 0 AND favorite = 1) AS favorite,
                        count(*) FILTER (WHERE deleted = 1) AS deleted,
                        coalesce(sum(body.word_count) FILTER (WHERE deleted = 0), 0) AS words
                    FROM item JOIN body ON body.id = item.body_id
                    """)!
            func named(_ sql: String) throws -> [NameCount] {
                try Row.fetchAll(db, sql: sql).map { NameCount(name: $0[0], count: $0[1]) }
            }
            let fileSize = { (suffix: String) -> Int64 in
                ((try? FileManager.default.attributesOfItem(atPath: self.path + suffix))?[.size] as? NSNumber)?
                    .int64Value ?? 0
            }
            return LibraryStatistics(
                items: counts["items"], unread: counts["unread"], reading: counts["reading"],
                read: counts["read"],
                archived: counts["archived"], favorite: counts["favorite"], deleted: counts["deleted"],
                words: counts["words"],
                sources: try named(
                    "SELECT source, count(*) AS n FROM item WHERE deleted = 0 AND source IS NOT NULL GROUP BY source ORDER BY n DESC, source"
                ),
                tags: try named(
                    """
                    SELECT tag, count(*) AS n FROM item_tag JOIN item ON item.seq = item_tag.item
                    WHERE present = 1 AND item.deleted = 0 GROUP BY tag ORDER BY n DESC, tag
                    """),
                highlights: try Int.fetchOne(
                    db,
                    sql:
                        "SELECT count(*) FROM highlight JOIN item ON item.seq = highlight.item WHERE highlight.deleted = 0 AND item.deleted = 0"
                ) ?? 0,
                version: try Int.fetchOne(db, sql: "SELECT version FROM library") ?? 0,
                devices: try Int.fetchOne(db, sql: "SELECT count(*) FROM device") ?? 0,
                device: deviceID, bytes: fileSize("") + fileSize("-wal"), path: path)
        }
    }

    /// Checks the library's integrity: SQLite's own checks, the search index, body hashes
    /// and word counts, and that every row has a creation clock.
    ///
    /// FTS5 checks its index only through a write statement, so a library opened read-only
    /// skips that one check.
    /// - Parameter rebuildSearchIndex: Rebuild the full-text index from the rows first.
    /// - Returns: The problems found; empty when the library is sound.
    public func checkIntegrity(rebuildSearchIndex: Bool = false) throws -> [IntegrityProblem] {
        var problems = try checkSearchIndex(rebuild: rebuildSearchIndex)
        problems += try read("check the library") { db in
            var problems: [IntegrityProblem] = []
            for message in try String.fetchAll(db, sql: "PRAGMA integrity_check") where message != "ok" {
                problems.append(IntegrityProblem(check: "sqlite", detail: message))
            }
            for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                problems.append(
                    IntegrityProblem(
                        check: "foreign keys",
                        detail: "table \(row[0] as String) row \(row[1] as Int64? ?? -1)"))
            }
            let bodies = try Row.fetchCursor(db, sql: "SELECT hash, text, word_count FROM body")
            while let body = try bodies.next() {
                let text: String = body["text"]
                if ContentHash.of(text) != body["hash"] {
                    problems.append(
                        IntegrityProblem(
                            check: "bodies", detail: "body \(body["hash"] as String) does not match its hash")
                    )
                } else if ContentHash.wordCount(of: text) != body["word_count"] {
                    problems.append(
                        IntegrityProblem(
                            check: "bodies", detail: "body \(body["hash"] as String) has a wrong word count"))
                }
            }
            for (entity, table) in [("item", "item"), ("highlight", "highlight")] {
                let missing = try String.fetchAll(
                    db,
                    sql: """
                        SELECT id FROM \(table) WHERE NOT EXISTS (SELECT 1 FROM field_clock
                            WHERE entity = ? AND row = \(table).seq AND field = '*')
                        """, arguments: [entity])
                for id in missing {
                    problems.append(
                        IntegrityProblem(check: "change log", detail: "\(entity) \(id) has no creation clock")
                    )
                }
            }
            let untracked =
                try Int.fetchOne(
                    db,
                    sql:
                        "SELECT count(*) FROM item_tag WHERE NOT EXISTS (SELECT 1 FROM field_clock WHERE entity = 'tag' AND row = item_tag.seq)"
                ) ?? 0
            if untracked > 0 {
                problems.append(
                    IntegrityProblem(check: "change log", detail: "\(untracked) tags have no clock"))
            }
            return problems
        }
        return problems
    }

    /// Optionally rebuilds the search index, then runs FTS5's check of it against the rows.
    private func checkSearchIndex(rebuild: Bool) throws -> [IntegrityProblem] {
        guard mode == .readWrite else { return [] }
        return try database.writeWithoutTransaction { db in
            if rebuild { try db.execute(sql: "INSERT INTO item_search(item_search) VALUES ('rebuild')") }
            do {
                try db.execute(
                    sql: "INSERT INTO item_search(item_search, rank) VALUES ('integrity-check', 1)")
                return []
            } catch let error as DatabaseError {
                return [
                    IntegrityProblem(check: "search index", detail: error.message ?? "integrity check failed")
                ]
            }
        }
    }
}

// MARK: - Backups

extension Library {
    /// Writes a consistent copy of the library to a new file, while it stays in use.
    ///
    /// A copy opened elsewhere takes a new device id of its own (see ``DeviceSuccession``).
    /// - Throws: ``LibraryError/libraryExists(path:)`` when the file exists.
    public func backUp(to destination: String) throws {
        if FileManager.default.fileExists(atPath: destination) {
            throw LibraryError.libraryExists(path: destination)
        }
        do {
            // VACUUM cannot run inside the transaction a read would open.
            try database.inDatabase { db in try db.execute(sql: "VACUUM INTO ?", arguments: [destination]) }
        } catch {
            throw LibraryError.translating(error, path: path, operation: "back up the library")
        }
    }
}

// MARK: - Repairs

extension Library {
    /// Gives every body whose text no longer matches its hash the hash of the text it holds
    /// (every character of it but NULs), and records the new hash on each item as a change, so
    /// peers receive the body as stored.
    ///
    /// Earlier versions stored a text holding a NUL character cut at the NUL under the hash of
    /// the whole text; every bundle carrying such a body was refused by every peer.
    /// - Returns: How many bodies were repaired.
    @discardableResult
    public func repairBodies() throws -> Int {
        try write("repair bodies") { writer in
            var repaired = 0
            // Read as bytes: a text value holding a NUL reads as a string cut at the NUL, and the
            // repair must keep every character after it.
            for body in try Row.fetchAll(
                writer.db, sql: "SELECT id, hash, CAST(text AS BLOB) AS bytes FROM body")
            {
                let bytes: Data = body["bytes"] ?? Data()
                let text = StoredText.clean(String(decoding: bytes, as: UTF8.self))
                let oldHash: String = body["hash"]
                let newHash = ContentHash.of(text)
                guard newHash != oldHash || bytes.contains(0) else { continue }
                let oldID: Int64 = body["id"]
                let items = try Int64.fetchAll(
                    writer.db, sql: "SELECT seq FROM item WHERE body_id = ?", arguments: [oldID])
                if let existing = try Int64.fetchOne(
                    writer.db, sql: "SELECT id FROM body WHERE hash = ? AND id != ?",
                    arguments: [newHash, oldID])
                {
                    try writer.execute("UPDATE item SET body_id = ? WHERE body_id = ?", [existing, oldID])
                    try writer.execute("DELETE FROM body WHERE id = ?", [oldID])
                } else {
                    try writer.execute(
                        "UPDATE body SET hash = ?, text = ?, word_count = ? WHERE id = ?",
                        [newHash, text, ContentHash.wordCount(of: text), oldID])
                }
                for item in items where newHash != oldHash {
                    try writer.recordField(
                        entity: .item, row: item, item: item, field: ItemField.body.rawValue,
                        old: oldHash.databaseValue, new: newHash.databaseValue)
                }
                repaired += 1
            }
            return repaired
        }
    }
}
