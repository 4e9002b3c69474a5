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
    /// Images kept offline, each counted once however many items show it, and their bytes.
    public var images: Int, imageBytes: Int
    /// The library's version and its devices.
    public var version: Int, devices: Int
    /// This library's device id.
    public var device: String
    /// The size of the library file, in bytes (WAL included).
    public var bytes: Int64
    /// Where it is.
    public var path: String

    enum CodingKeys: String, CodingKey {
        case items, unread, reading, read, archived, favorite, deleted, words, sources, tags, highlights,
            images
        case version, devices, device, bytes, path
        case imageBytes = "image_bytes"
    }
}

/// A name with a count.
public struct NameCount: Codable, Hashable, Sendable {
    /// The name.
    public var name: String
    /// How many.
    public var count: Int
}

// MARK: - Counts kept by the write path

extension Library {
    /// Counts items, states, sources, tags and the file's size.
    ///
    /// The counts are kept by triggers as rows change (store migration 0006), so this reads a few
    /// rows whatever the library's size.
    public func statistics() throws -> LibraryStatistics {
        try read("count the library") { db in
            var totals: [String: Int] = [:]
            var named: [String: [NameCount]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT kind, name, count FROM item_count WHERE count > 0") {
                let (kind, name, count): (String, String, Int) = (row[0], row[1], row[2])
                if ["state", "source", "tag"].contains(kind) {
                    named[kind, default: []].append(NameCount(name: name, count: count))
                } else {
                    totals[kind] = count
                }
            }
            let states = Dictionary(uniqueKeysWithValues: (named["state"] ?? []).map { ($0.name, $0.count) })
            let mostFirst = { (list: [NameCount]?) in
                (list ?? []).sorted { ($0.count, $1.name) > ($1.count, $0.name) }
            }
            let fileSize = { (suffix: String) -> Int64 in
                ((try? FileManager.default.attributesOfItem(atPath: self.path + suffix))?[.size] as? NSNumber)?
                    .int64Value ?? 0
            }
            return LibraryStatistics(
                items: totals["items"] ?? 0, unread: states[ReadingState.unread.rawValue] ?? 0,
                reading: states[ReadingState.reading.rawValue] ?? 0,
                read: states[ReadingState.read.rawValue] ?? 0,
                archived: totals["archived"] ?? 0, favorite: totals["favorite"] ?? 0,
                deleted: totals["deleted"] ?? 0, words: totals["words"] ?? 0,
                sources: mostFirst(named["source"]), tags: mostFirst(named["tag"]),
                highlights: totals["highlights"] ?? 0, images: totals["images"] ?? 0,
                imageBytes: totals["image_bytes"] ?? 0,
                version: try Int.fetchOne(db, sql: "SELECT version FROM library") ?? 0,
                devices: try Int.fetchOne(db, sql: "SELECT count(*) FROM device") ?? 0,
                device: deviceID, bytes: fileSize("") + fileSize("-wal"), path: path)
        }
    }
}

extension Library {
    /// The counts as a scan of the rows finds them: what the triggers should have kept.
    ///
    /// Store migration 0006 counts an older library with its own copy of this query, since a
    /// migration is history and must not change when this code does.
    static let countingQuery = """
        SELECT 'items', '', count(*) FILTER (WHERE deleted = 0) FROM item
        UNION ALL SELECT 'deleted', '', count(*) FILTER (WHERE deleted = 1) FROM item
        UNION ALL SELECT 'archived', '', count(*) FILTER (WHERE deleted = 0 AND archived = 1) FROM item
        UNION ALL SELECT 'favorite', '', count(*) FILTER (WHERE deleted = 0 AND favorite = 1) FROM item
        UNION ALL SELECT 'words', '', coalesce(sum(body.word_count) FILTER (WHERE deleted = 0), 0)
            FROM item JOIN body INDEXED BY body_summary ON body.id = item.body_id
        UNION ALL SELECT 'state', reading_state, count(*) FROM item WHERE deleted = 0 GROUP BY reading_state
        UNION ALL SELECT 'source', source, count(*) FROM item WHERE deleted = 0 AND source IS NOT NULL
            GROUP BY source
        UNION ALL SELECT 'tag', tag, count(*) FROM item_tag JOIN item ON item.seq = item_tag.item
            WHERE present = 1 AND item.deleted = 0 GROUP BY tag
        UNION ALL SELECT 'highlights', '', count(*) FROM highlight JOIN item ON item.seq = highlight.item
            WHERE highlight.deleted = 0 AND item.deleted = 0
        UNION ALL SELECT 'images', '', count(*) FROM asset
        UNION ALL SELECT 'image_bytes', '', coalesce(sum(length(data)), 0) FROM asset
        """

    /// Each kept count that differs from what the rows hold, for `doctor`.
    static func countProblems(_ db: Database) throws -> [IntegrityProblem] {
        func counts(_ sql: String) throws -> [String: Int] {
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: sql) where (row[2] as Int) != 0 {
                result["\(row[0] as String) \(row[1] as String)".trimmingCharacters(in: .whitespaces)] =
                    row[2]
            }
            return result
        }
        let kept = try counts("SELECT kind, name, count FROM item_count")
        let found = try counts(countingQuery)
        return Set(kept.keys).union(found.keys).sorted().compactMap { key in
            kept[key] == found[key]
                ? nil
                : IntegrityProblem(
                    check: "counts",
                    detail:
                        "\(key): kept \(kept[key] ?? 0), found \(found[key] ?? 0) (doctor --repair recounts)")
        }
    }

    /// Replaces the kept counts with a fresh count of the rows.
    static func recount(_ db: Database) throws {
        try db.inTransaction {
            try db.execute(sql: "DELETE FROM item_count")
            try db.execute(sql: "INSERT INTO item_count (kind, name, count) \(countingQuery)")
            return .commit
        }
    }
}
