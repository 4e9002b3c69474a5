import Foundation
import GRDB

/// Where a set of changes came from, as the merge needs to know it: the changes continue from
/// `since`, and once they are applied this library has seen what the sender had (`senderVector`).
public struct IncomingChanges: Hashable, Sendable {
    /// The bundle they came in, named in errors.
    public var bundle: String
    /// The set holds every change above this vector; the receiver must have seen up to it.
    public var since: VersionVector
    /// What the sender had seen when it wrote the set.
    public var senderVector: VersionVector

    /// Changes from a bundle.
    public init(bundle: String, since: VersionVector, senderVector: VersionVector) {
        self.bundle = bundle
        self.since = since
        self.senderVector = senderVector
    }
}

/// What a merge did, as the record of imports keeps it.
package struct ImportOutcome: Sendable {
    /// What it changed.
    package var summary: ApplySummary
    /// The library version it made, when it changed anything.
    package var version: Int?
    /// The history rows it wrote, so an undo can tell when some were pruned.
    package var historyRows: Int
}

/// The record of imports a higher module keeps (ParallaxSync's receipts and peers), consulted
/// and written inside the merge's own transaction, so an import and its record commit together.
package protocol ImportLedger {
    /// Whether this set was applied before; the merge then changes nothing.
    func hasApplied(_ db: Database) throws -> Bool
    /// Records the merge, in its transaction.
    func record(_ outcome: ImportOutcome, _ db: Database) throws
}

/// An import the ledger chose to revert (``Library/revertImport(choosing:marking:)``).
package struct RevertibleImport: Sendable {
    /// Its bundle, named in errors.
    package var bundle: String
    /// The library version it made.
    package var version: Int
    /// The history rows it wrote, when known.
    package var historyRows: Int?

    package init(bundle: String, version: Int, historyRows: Int?) {
        self.bundle = bundle
        self.version = version
        self.historyRows = historyRows
    }
}

extension Library {
    /// Refuses changes that start after changes this library has not seen: applying them would
    /// leave a gap that no later set fills, since the vector would claim the gap as seen.
    func checkContinuity(_ incoming: IncomingChanges, in db: Database) throws {
        for (device, counter) in incoming.since.counters.sorted(by: { $0.key < $1.key }) where counter > 0 {
            let seen =
                try Int.fetchOne(db, sql: "SELECT max_counter FROM device WHERE id = ?", arguments: [device])
                ?? 0
            if seen < counter {
                throw LibraryError.missingEarlierChanges(
                    bundle: incoming.bundle, device: device, seen: seen, needed: counter)
            }
        }
    }

    /// The set held everything up to the sender's vector, so this library has now seen that much.
    func raiseVector(to incoming: IncomingChanges, in writer: ChangeWriter) throws {
        for (device, counter) in incoming.senderVector.counters where device != deviceID {
            try writer.execute("INSERT INTO device (id) VALUES (?) ON CONFLICT (id) DO NOTHING", [device])
            try writer.execute(
                "UPDATE device SET max_counter = max(max_counter, ?) WHERE id = ?", [counter, device])
        }
    }

    /// Reverts an import as one new change: each field it changed takes its earlier value, and
    /// items it created are removed; only what it changed, and only while nothing has changed it
    /// since. `choosing` picks the import inside the transaction, and `marking` records it undone.
    /// - Returns: The bundle reverted, or nil when `choosing` found none.
    /// - Throws: ``LibraryError/cannotUndo(bundle:reason:)`` when a field the import set was
    ///   changed since, or part of the import's history was pruned; nothing is changed then.
    package func revertImport(
        choosing: (Database) throws -> RevertibleImport?, marking: (String, Database) throws -> Void
    ) throws -> String? {
        try write("undo the last import") { writer in
            guard let chosen = try choosing(writer.db) else { return nil }
            let changes = try Row.fetchAll(
                writer.db,
                sql: """
                    SELECT change.*, item.id AS item_id FROM change JOIN item ON item.seq = change.item
                    WHERE version = ? ORDER BY change.seq DESC
                    """,
                arguments: [chosen.version])
            if let expected = chosen.historyRows, changes.count < expected {
                throw LibraryError.cannotUndo(
                    bundle: chosen.bundle,
                    reason:
                        "\(expected - changes.count) of its \(expected) changes were pruned from the history")
            }
            let changedSince = try Self.changedSince(chosen.version, changes, writer.db)
            if !changedSince.isEmpty {
                throw LibraryError.cannotUndo(
                    bundle: chosen.bundle,
                    reason: "undoing it would lose later edits of "
                        + changedSince.prefix(5).joined(separator: ", ")
                        + (changedSince.count > 5 ? " and \(changedSince.count - 5) more" : ""))
            }
            try writer.revert(changes)
            try marking(chosen.bundle, writer.db)
            return chosen.bundle
        }
    }

    /// The value of one field of a row now, as the history stores it.
    private static func currentValue(entity: String, row: Int64, field: String, _ db: Database) throws
        -> DatabaseValue
    {
        let selection: String
        switch Entity(rawValue: entity) {
        case .item?:
            guard let itemField = ItemField(rawValue: field) else { return .null }
            selection = "SELECT \(itemField.selection) FROM item WHERE seq = ?"
        case .tag?: selection = "SELECT present FROM item_tag WHERE seq = ?"
        case .highlight?:
            guard let highlightField = HighlightField(rawValue: field) else { return .null }
            selection = "SELECT \(highlightField.rawValue) FROM highlight WHERE seq = ?"
        // Feeds keep no history rows (ChangeWriter+Feeds), so an import's receipt names none.
        case .feed?, nil: return .null
        }
        return try DatabaseValue.fetchOne(db, sql: selection, arguments: [row]) ?? .null
    }

    /// The fields an import set (`changes`, its history rows, newest first) that have changed
    /// since, named for the user; a row it created counts as changed when any change followed.
    private static func changedSince(_ version: Int, _ changes: [Row], _ db: Database) throws -> [String] {
        var seen = Set<String>()
        var changed: [String] = []
        for change in changes {
            let entity: String = change["entity"]
            let row: Int64 = change["row"]
            let field: String = change["field"]
            guard seen.insert("\(entity)/\(row)/\(field)").inserted else { continue }
            let later: Bool
            if field == "*" {
                later =
                    try Bool.fetchOne(
                        db,
                        sql: """
                            SELECT 1 FROM change WHERE version > ? AND (item = ? OR (entity = ? AND row = ?))
                            LIMIT 1
                            """, arguments: [version, change["item"] as Int64, entity, row]) ?? false
            } else {
                // A field that holds what the import set loses nothing when reverted, even if it
                // was written again since (as undoing a later import does).
                later = try currentValue(entity: entity, row: row, field: field, db) != change["new_value"]
            }
            if later {
                changed.append(
                    "\(entity) \((change["item_id"] as String).prefix(10)) "
                        + (field == "*" ? "(made by the import)" : field))
            }
        }
        return changed
    }
}
