import Foundation
import GRDB

/// The step `doctor` is at, for its progress line.
public struct IntegrityStep: Sendable, Hashable {
    /// What is being done.
    public var name: String
    /// How many of ``total`` are done, for a step that counts.
    public var done: Int?
    /// How many there are, for a step that counts.
    public var total: Int?

    /// A step, counted or not.
    public init(name: String, done: Int? = nil, total: Int? = nil) {
        self.name = name
        self.done = done
        self.total = total
    }
}

/// One problem `doctor` found.
public struct IntegrityProblem: Codable, Hashable, Sendable {
    /// Which check found it.
    public var check: String
    /// What is wrong.
    public var detail: String
}

extension Library {
    /// Checks the library's integrity: SQLite's own checks, the search index, body hashes
    /// and word counts, text holding controls (``repairStoredText()``), items of one article
    /// (``duplicateArticles()``), and that every row has a creation clock.
    ///
    /// FTS5 checks its index only through a write statement, so a library opened read-only
    /// skips that one check.
    /// - Parameters:
    ///   - rebuildSearchIndex: Rebuild the full-text index from the rows first.
    ///   - progress: Told each step as it starts, and of the bodies checked so far.
    /// - Returns: The problems found; empty when the library is sound.
    public func checkIntegrity(
        rebuildSearchIndex: Bool = false, progress: (IntegrityStep) -> Void = { _ in }
    ) throws -> [IntegrityProblem] {
        progress(
            IntegrityStep(
                name: rebuildSearchIndex ? "rebuilding the search index" : "checking the search index"))
        var problems = try checkSearchIndex(rebuild: rebuildSearchIndex)
        problems += try read("check the library") { db in
            var problems: [IntegrityProblem] = []
            progress(IntegrityStep(name: "checking the file"))
            for message in try String.fetchAll(db, sql: "PRAGMA integrity_check") where message != "ok" {
                problems.append(IntegrityProblem(check: "sqlite", detail: message))
            }
            for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                problems.append(
                    IntegrityProblem(
                        check: "foreign keys",
                        detail: "table \(row[0] as String) row \(row[1] as Int64? ?? -1)"))
            }
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM body") ?? 0
            var checked = 0
            var unclean: Set<Int64> = []
            let bodies = try Row.fetchCursor(db, sql: "SELECT id, hash, text, word_count FROM body")
            while let body = try bodies.next() {
                if checked % 1_000 == 0 {
                    progress(IntegrityStep(name: "checking bodies", done: checked, total: total))
                }
                checked += 1
                let text: String = body["text"]
                if StoredText.holdsControls(text, keepingLines: true) { unclean.insert(body["id"]) }
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
            problems += try Self.assetProblems(db, progress: progress)
            problems += try Self.storedTextProblems(db, uncleanDocuments: unclean)
            problems += try Self.duplicateProblems(db)
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
            progress(IntegrityStep(name: "checking the change log and counts"))
            return problems + (try Self.countProblems(db))
        }
        return problems
    }

    /// Optionally rebuilds the search index and the kept counts, then runs FTS5's check of the
    /// index against the rows.
    private func checkSearchIndex(rebuild: Bool) throws -> [IntegrityProblem] {
        guard mode == .readWrite else { return [] }
        return try database.writeWithoutTransaction { db in
            if rebuild {
                try db.execute(sql: "INSERT INTO item_search(item_search) VALUES ('rebuild')")
                try Self.recount(db)
            }
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

// MARK: - Images

private extension Library {
    /// Images whose bytes do not match their hash or their format, and items whose `images`
    /// field and asset references disagree.
    static func assetProblems(_ db: Database, progress: (IntegrityStep) -> Void) throws -> [IntegrityProblem]
    {
        var problems: [IntegrityProblem] = []
        let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM asset") ?? 0
        var checked = 0
        let assets = try Row.fetchCursor(db, sql: "SELECT hash, type, data FROM asset")
        while let asset = try assets.next() {
            if checked % 100 == 0 {
                progress(IntegrityStep(name: "checking images", done: checked, total: total))
            }
            checked += 1
            let data: Data = asset["data"]
            let hash: String = asset["hash"]
            if ContentHash.of(bytes: data) != hash {
                problems.append(
                    IntegrityProblem(check: "images", detail: "image \(hash) does not match its hash"))
            } else if ImageType(detecting: data)?.rawValue != asset["type"] {
                problems.append(
                    IntegrityProblem(check: "images", detail: "image \(hash) is not the format it claims"))
            }
        }
        let items = try Row.fetchCursor(db, sql: "SELECT seq, id, images FROM item WHERE images IS NOT NULL")
        while let item = try items.next() {
            let json: String = item["images"]
            let named = Set(ImageReferences(json: json)?.assets.values.map { $0 } ?? [])
            let referenced = Set(
                try String.fetchAll(
                    db,
                    sql:
                        "SELECT hash FROM item_image WHERE item = ?",
                    arguments: [item["seq"] as Int64]))
            if named != referenced {
                problems.append(
                    IntegrityProblem(
                        check: "images",
                        detail:
                            "item \(item["id"] as String) has image references that differ from its images field"
                    ))
            }
        }
        return problems
    }
}
