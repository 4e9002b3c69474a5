import Foundation
import GRDB

// MARK: - Followed feeds

/// Feeds are written outside the item history (`change` rows belong to an item): their clocks
/// are what sync needs, and `history` shows articles. So `sync undo` leaves subscriptions as
/// they are.
extension ChangeWriter {
    /// Creates a subscription row and records its creation.
    /// - Parameter stamp: The remote creation's clock; nil for a local follow.
    func insertFeed(id: String, values: [FeedField: DatabaseValue], stamp: StoredStamp? = nil) throws -> Int64
    {
        let fields = FeedField.allCases
        try execute(
            """
            INSERT INTO feed (id, \(fields.map(\.rawValue).joined(separator: ", ")))
            VALUES (?, \(Array(repeating: "?", count: fields.count).joined(separator: ", ")))
            """, StatementArguments([id.databaseValue] + fields.map { values[$0] ?? .null }))
        let seq = db.lastInsertedRowID
        try setClock(entity: .feed, row: seq, field: "*", stamp: stamp ?? stampForLocalChange())
        markChanged()
        return seq
    }

    /// The value of a subscription's field.
    func feedValue(_ feed: Int64, _ field: FeedField) throws -> DatabaseValue {
        try DatabaseValue.fetchOne(
            db.cachedStatement(sql: "SELECT \(field.rawValue) FROM feed WHERE seq = ?"), arguments: [feed])
            ?? .null
    }

    /// Sets a subscription's field, recording the change unless the value is already there.
    @discardableResult
    func setFeedField(_ feed: Int64, _ field: FeedField, to value: DatabaseValue, stamp: StoredStamp? = nil)
        throws -> Bool
    {
        if stamp == nil, try feedValue(feed, field) == value { return false }
        try execute("UPDATE feed SET \(field.rawValue) = ? WHERE seq = ?", [value, feed])
        try setClock(entity: .feed, row: feed, field: field.rawValue, stamp: stamp ?? stampForLocalChange())
        markChanged()
        return true
    }

    /// Takes a field's value from another device's creation of the same subscription, which won.
    func adoptFeedValue(_ feed: Int64, _ field: FeedField, _ value: DatabaseValue) throws {
        try execute(
            "DELETE FROM field_clock WHERE entity = 'feed' AND row = ? AND field = ?", [feed, field.rawValue])
        guard try feedValue(feed, field) != value else { return }
        try execute("UPDATE feed SET \(field.rawValue) = ? WHERE seq = ?", [value, feed])
        markChanged()
    }
}
