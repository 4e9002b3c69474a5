import Foundation
import GRDB

/// One recorded change to one field, as `history` and `log` show it.
public struct HistoryEntry: Codable, Hashable, Sendable {
    /// The library version the change belongs to.
    public var version: Int
    /// When it was made (the hybrid clock's wall time), ISO 8601 in UTC.
    public var time: String
    /// The device that made it.
    public var device: String
    /// The item it belongs to.
    public var itemID: String
    /// The item's title now.
    public var itemTitle: String
    /// What kind of row changed: item, tag or highlight.
    public var entity: Entity
    /// The tag's name or the highlight's id, for those entities.
    public var target: String?
    /// The field, or `*` when the row was created.
    public var field: String
    /// The value before.
    public var oldValue: FieldValue
    /// The value after.
    public var newValue: FieldValue

    enum CodingKeys: String, CodingKey {
        case version, time, device, entity, target, field
        case itemID = "item_id"
        case itemTitle = "item_title"
        case oldValue = "old"
        case newValue = "new"
    }
}

extension Library {
    /// The kept history of one item (its fields, tags and highlights), oldest first.
    public func history(of reference: String) throws -> (item: Item, entries: [HistoryEntry]) {
        try read("read the history") { db in
            let seq = try resolveSeq(db, reference)
            let entries = try Self.historyEntries(
                db, where: "change.item = ?", arguments: [seq], order: "ASC")
            return (try fetchItem(db, seq: seq), entries)
        }
    }

    /// The newest changes of the whole library, newest first.
    public func log(limit: Int = 20) throws -> [HistoryEntry] {
        try read("read the log") { db in
            try Self.historyEntries(db, where: "1", arguments: [], order: "DESC", limit: max(0, limit))
        }
    }

    /// Brings an item back to how it was at `version`, as one new change (so it syncs).
    ///
    /// Fields, tags and highlights changed after that version take their earlier values.
    /// With no version, undoes the item's removal.
    /// - Throws: ``LibraryError/unknownVersion(item:version:oldestKept:)`` when the version is
    ///   before the item existed or older than its kept history.
    @discardableResult
    public func restore(_ reference: String, to version: Int? = nil) throws -> Item {
        try write("restore an item") { writer in
            let seq = try resolveSeq(writer.db, reference)
            guard let version else {
                try writer.setItemField(seq, .deleted, to: false.databaseValue)
                return try fetchItem(writer.db, seq: seq)
            }
            let itemID =
                try String.fetchOne(writer.db, sql: "SELECT id FROM item WHERE seq = ?", arguments: [seq])
                ?? reference
            let oldest = try Row.fetchOne(
                writer.db,
                sql: "SELECT version, entity, field FROM change WHERE item = ? ORDER BY seq LIMIT 1",
                arguments: [seq])
            let oldestVersion: Int? = oldest?["version"]
            let current = try Int.fetchOne(writer.db, sql: "SELECT version FROM library") ?? 0
            guard let oldestVersion, version >= oldestVersion, version <= current else {
                throw LibraryError.unknownVersion(item: itemID, version: version, oldestKept: oldestVersion)
            }
            try writer.revert(
                Row.fetchAll(
                    writer.db,
                    sql: """
                        SELECT item, entity, row, field, old_value FROM change
                        WHERE item = ? AND version > ? ORDER BY seq DESC
                        """,
                    arguments: [seq, version]))
            return try fetchItem(writer.db, seq: seq)
        }
    }

    private static func historyEntries(
        _ db: Database, where condition: String, arguments: StatementArguments, order: String,
        limit: Int? = nil
    ) throws -> [HistoryEntry] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT change.*, device.id AS device_id, item.id AS item_id, item.title AS item_title,
                    CASE change.entity
                        WHEN 'tag' THEN (SELECT tag FROM item_tag WHERE item_tag.seq = change.row)
                        WHEN 'highlight' THEN (SELECT id FROM highlight WHERE highlight.seq = change.row)
                    END AS target
                FROM change JOIN device ON device.seq = change.device JOIN item ON item.seq = change.item
                WHERE \(condition) ORDER BY change.seq \(order)\(limit.map { " LIMIT \($0)" } ?? "")
                """, arguments: arguments)
        return rows.map { row in
            HistoryEntry(
                version: row["version"],
                time: Timestamp.string(from: HybridTimestamp(rawValue: row["hlc"]).date),
                device: row["device_id"], itemID: row["item_id"], itemTitle: row["item_title"],
                entity: Entity(rawValue: row["entity"]) ?? .item, target: row["target"], field: row["field"],
                oldValue: FieldValue(row["old_value"] as DatabaseValue),
                newValue: FieldValue(row["new_value"] as DatabaseValue))
        }
    }
}

extension ChangeWriter {
    /// Sets every field named in `changes` (history rows, newest first) back to its value
    /// before the oldest of them, as new changes. A row created by them is removed.
    func revert(_ changes: [Row]) throws {
        var targets:
            [String: (item: Int64, entity: Entity, row: Int64, field: String, value: DatabaseValue)] = [:]
        for change in changes {
            let entity = Entity(rawValue: change["entity"]) ?? .item
            let row: Int64 = change["row"]
            let field: String = change["field"]
            let key = "\(entity)/\(row)/\(field == "*" ? "deleted" : field)"
            targets[key] = (
                change["item"], entity, row, field == "*" ? "deleted" : field,
                field == "*" ? true.databaseValue : change["old_value"]
            )
        }
        for key in targets.keys.sorted() {
            let target = targets[key]!
            switch target.entity {
            case .item:
                guard let field = ItemField(rawValue: target.field), !field.isOrigin else { continue }
                try setItemField(target.row, field, to: target.value)
            case .tag:
                let tag =
                    try String.fetchOne(
                        db, sql: "SELECT tag FROM item_tag WHERE seq = ?", arguments: [target.row]) ?? ""
                try setTag(tag, on: target.item, present: target.value == true.databaseValue)
            case .highlight:
                guard let field = HighlightField(rawValue: target.field) else { continue }
                try setHighlightField(target.row, item: target.item, field, to: target.value)
            case .feed:
                continue
            }
        }
    }
}
