import Foundation
import GRDB

/// The record of one imported bundle.
public struct BundleReceipt: Codable, Hashable, Sendable {
    /// The bundle's id.
    public var bundle: String
    /// The device that sent it.
    public var device: String
    /// The bundle holds every change above this vector; the receiver must have seen up to it.
    public var since: VersionVector
    /// What the sender had seen when it wrote the bundle.
    public var senderVector: VersionVector
    /// When it was imported, ISO 8601 UTC.
    public var imported: String = ""
    /// How many change records it held.
    public var records: Int
    /// How many took effect, and how many were already known or older than local ones.
    public var applied = 0, superseded = 0
    /// The library version the import made, when it changed anything.
    public var version: Int?
    /// Whether `sync undo` reverted it.
    public var undone = false

    /// A receipt for a bundle about to be applied.
    public init(
        bundle: String, device: String, since: VersionVector, senderVector: VersionVector, records: Int
    ) {
        self.bundle = bundle
        self.device = device
        self.since = since
        self.senderVector = senderVector
        self.records = records
    }

    enum CodingKeys: String, CodingKey {
        case bundle, device, imported, records, applied, superseded, version, undone, since
        case senderVector = "sender_vector"
    }
}

/// A device whose bundles this library accepts.
public struct TrustedDevice: Codable, Hashable, Sendable {
    /// Its device id.
    public var id: String
    /// Its Ed25519 public key.
    public var publicKey: Data
    /// When it was trusted.
    public var trusted: String
    /// When it was revoked, if it was.
    public var revoked: String?

    enum CodingKeys: String, CodingKey {
        case id, trusted, revoked
        case publicKey = "public_key"
    }
}

/// A peer and what it had seen when it last sent a bundle.
public struct SyncPeer: Codable, Hashable, Sendable {
    /// Its device id.
    public var device: String
    /// Its version vector then.
    public var vector: VersionVector
    /// When that was.
    public var seen: String
}

extension Library {
    /// This device's private signing key, made by `make` and stored on first use.
    ///
    /// - Throws: ``LibraryError/notWritable(path:)`` when the library has no key yet and cannot be written.
    public func signingKey(orMake make: () -> Data) throws -> Data {
        if let key = try read(
            "read the signing key",
            { db in
                try Data.fetchOne(db, sql: "SELECT private_key FROM device_key")
            })
        {
            return key
        }
        guard mode == .readWrite else { throw LibraryError.notWritable(path: path) }
        do {
            return try database.writeWithoutTransaction { db in
                if let key = try Data.fetchOne(db, sql: "SELECT private_key FROM device_key") { return key }
                let key = make()
                try db.execute(
                    sql: "INSERT INTO device_key (singleton, private_key) VALUES (1, ?)", arguments: [key])
                return key
            }
        } catch {
            throw LibraryError.translating(error, path: path, operation: "make the signing key")
        }
    }

    /// The devices this library trusts, revoked ones included.
    public func trustedDevices() throws -> [TrustedDevice] {
        try read("read trusted devices") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM trusted_device ORDER BY trusted").map {
                TrustedDevice(
                    id: $0["id"], publicKey: $0["public_key"], trusted: $0["trusted"], revoked: $0["revoked"])
            }
        }
    }

    /// Trusts a device's key; trusting it again with another key replaces the old one.
    public func trust(device: String, publicKey: Data) throws {
        _ = try database.writeWithoutTransaction { db in
            try db.execute(
                sql: """
                    INSERT INTO trusted_device (id, public_key, trusted) VALUES (?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET public_key = excluded.public_key, trusted = excluded.trusted, revoked = NULL
                    """, arguments: [device, publicKey, environment.timestamp()])
        }
    }

    /// Stops trusting a device, and every device that signs with its key (a copy of it); returns
    /// false when it was not trusted.
    public func revoke(device: String) throws -> Bool {
        try database.writeWithoutTransaction { db in
            try db.execute(
                sql: """
                    UPDATE trusted_device SET revoked = ?
                    WHERE public_key = (SELECT public_key FROM trusted_device WHERE id = ? AND revoked IS NULL)
                        AND revoked IS NULL
                    """,
                arguments: [environment.timestamp(), device])
            return db.changesCount > 0
        }
    }

    /// What a peer had seen when it last sent a bundle.
    public func peers() throws -> [SyncPeer] {
        try read("read peers") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sync_peer ORDER BY device").map {
                SyncPeer(
                    device: $0["device"],
                    vector: (try? JSONDecoder().decode(
                        VersionVector.self, from: Data(($0["vector"] as String).utf8)))
                        ?? VersionVector(),
                    seen: $0["seen"])
            }
        }
    }

    /// The imported bundles, newest first.
    public func receipts(limit: Int = 20) throws -> [BundleReceipt] {
        try read("read receipts") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM sync_receipt ORDER BY imported DESC, rowid DESC LIMIT ?",
                arguments: [limit]
            )
            .map(Self.receipt(from:))
        }
    }

    /// Whether a bundle was imported before.
    public func hasReceipt(bundle: String) throws -> Bool {
        try read("read receipts") { db in try hasReceipt(db, bundle: bundle) }
    }

    /// Reverts the newest import that changed anything and is not undone yet, as one new change.
    ///
    /// Only what the import changed is reverted, and only while nothing has changed it since.
    /// - Returns: Its receipt, or nil when there is nothing to undo.
    /// - Throws: ``LibraryError/cannotUndo(bundle:reason:)`` when a field the import set was
    ///   changed since, or part of the import's history was pruned; nothing is changed then.
    public func undoLastImport() throws -> BundleReceipt? {
        try write("undo the last import") { writer in
            guard
                let row = try Row.fetchOne(
                    writer.db,
                    sql: """
                        SELECT bundle, version, history_rows FROM sync_receipt
                        WHERE undone = 0 AND version IS NOT NULL
                        ORDER BY imported DESC, rowid DESC LIMIT 1
                        """)
            else { return nil }
            let bundle: String = row["bundle"]
            let version: Int = row["version"]
            let changes = try Row.fetchAll(
                writer.db,
                sql: """
                    SELECT change.*, item.id AS item_id FROM change JOIN item ON item.seq = change.item
                    WHERE version = ? ORDER BY change.seq DESC
                    """,
                arguments: [version])
            if let expected: Int = row["history_rows"], changes.count < expected {
                throw LibraryError.cannotUndo(
                    bundle: bundle,
                    reason:
                        "\(expected - changes.count) of its \(expected) changes were pruned from the history")
            }
            let changedSince = try Self.changedSince(version, changes, writer.db)
            if !changedSince.isEmpty {
                throw LibraryError.cannotUndo(
                    bundle: bundle,
                    reason: "undoing it would lose later edits of "
                        + changedSince.prefix(5).joined(separator: ", ")
                        + (changedSince.count > 5 ? " and \(changedSince.count - 5) more" : ""))
            }
            try writer.revert(changes)
            try writer.execute("UPDATE sync_receipt SET undone = 1 WHERE bundle = ?", [bundle])
            return try receipts(writer.db, bundle: bundle)
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
        case nil: return .null
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

    // MARK: - Helpers

    func hasReceipt(_ db: Database, bundle: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM sync_receipt WHERE bundle = ?", arguments: [bundle])
            ?? false
    }

    private func receipts(_ db: Database, bundle: String) throws -> BundleReceipt? {
        try Row.fetchOne(db, sql: "SELECT * FROM sync_receipt WHERE bundle = ?", arguments: [bundle]).map(
            Self.receipt(from:))
    }

    private static func receipt(from row: Row) -> BundleReceipt {
        var receipt = BundleReceipt(
            bundle: row["bundle"], device: row["device"], since: VersionVector(),
            senderVector: VersionVector(),
            records: row["records"])
        receipt.imported = row["imported"]
        receipt.applied = row["applied"]
        receipt.superseded = row["superseded"]
        receipt.version = row["version"]
        receipt.undone = row["undone"]
        return receipt
    }

    /// Refuses a bundle that starts after changes this library has not seen: applying it would
    /// leave a gap that no later bundle fills, since the vector would claim the gap as seen.
    func checkContinuity(_ receipt: BundleReceipt, in db: Database) throws {
        for (device, counter) in receipt.since.counters.sorted(by: { $0.key < $1.key }) where counter > 0 {
            let seen =
                try Int.fetchOne(db, sql: "SELECT max_counter FROM device WHERE id = ?", arguments: [device])
                ?? 0
            if seen < counter {
                throw LibraryError.missingEarlierChanges(
                    bundle: receipt.bundle, device: device, seen: seen, needed: counter)
            }
        }
    }

    func record(_ receipt: BundleReceipt, summary: ApplySummary, version: Int?, in writer: ChangeWriter)
        throws
    {
        // The bundle held everything up to the sender's vector, so this library has now seen that much.
        for (device, counter) in receipt.senderVector.counters where device != deviceID {
            try writer.execute("INSERT INTO device (id) VALUES (?) ON CONFLICT (id) DO NOTHING", [device])
            try writer.execute(
                "UPDATE device SET max_counter = max(max_counter, ?) WHERE id = ?", [counter, device])
        }
        try writer.execute(
            """
            INSERT INTO sync_receipt (bundle, device, imported, records, applied, superseded, version, history_rows)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                receipt.bundle, receipt.device, environment.timestamp(), receipt.records, summary.applied,
                summary.superseded, version, writer.historyRows,
            ])
        let vector = String(decoding: try Self.jsonEncoder().encode(receipt.senderVector), as: UTF8.self)
        try writer.execute(
            """
            INSERT INTO sync_peer (device, vector, seen) VALUES (?, ?, ?)
            ON CONFLICT (device) DO UPDATE SET vector = excluded.vector, seen = excluded.seen
            """, [receipt.device, vector, environment.timestamp()])
    }
}
