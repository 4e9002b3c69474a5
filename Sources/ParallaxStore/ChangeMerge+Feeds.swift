import Foundation
import GRDB

// MARK: - Followed feeds

extension ChangeMerge {
    /// Merges a record of a followed feed: every field last writer wins; two creations of one
    /// subscription (two devices that followed the same address) settle on the later one's
    /// values, except fields edited here later still.
    /// - Returns: Whether the record changed anything.
    mutating func mergeFeed(_ record: ChangeRecord, stamp: StoredStamp) throws -> Bool {
        let db = writer.db
        let seq = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT seq FROM feed WHERE id = ?"), arguments: [record.item])
        guard record.field == "*" else {
            guard let field = FeedField(rawValue: record.field), field != .added, let seq else {
                throw Self.invalid(record, "the feed or its field is unknown here")
            }
            guard try wins(record, over: writer.storedStamp(entity: .feed, row: seq, field: field.rawValue))
            else {
                return false
            }
            return try writer.setFeedField(seq, field, to: record.value.databaseValue, stamp: stamp)
        }
        let row = record.row ?? [:]
        guard let seq else {
            var values: [FeedField: DatabaseValue] = [:]
            for field in FeedField.allCases { values[field] = row[field.rawValue]?.databaseValue }
            values[.deleted] = values[.deleted] ?? false.databaseValue
            _ = try writer.insertFeed(id: record.item, values: values, stamp: stamp)
            return true
        }
        guard let local = try writer.storedStamp(entity: .feed, row: seq, field: "*"),
            (local.hlc, local.device, local.counter) != (stamp.hlc, stamp.device, stamp.counter),
            try wins(record, over: local)
        else { return false }
        for field in FeedField.allCases {
            guard let value = row[field.rawValue] ?? (field.isNullable ? .null : nil) else { continue }
            if let own = try writer.ownStamp(entity: .feed, row: seq, field: field.rawValue),
                try !wins(record, over: own)
            {
                continue
            }
            try writer.adoptFeedValue(seq, field, value.databaseValue)
        }
        try writer.setClock(entity: .feed, row: seq, field: "*", stamp: stamp)
        return true
    }
}
