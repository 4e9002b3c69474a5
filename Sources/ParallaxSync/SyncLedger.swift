import Foundation
import GRDB
import ParallaxStore

/// The record of one imported bundle.
public struct BundleReceipt: Codable, Hashable, Sendable {
    /// The bundle's id.
    public var bundle: String
    /// The device that sent it.
    public var device: String
    /// When it was imported, ISO 8601 UTC.
    public var imported: String
    /// How many change records it held.
    public var records: Int
    /// How many took effect, and how many were already known or older than local ones.
    public var applied = 0, superseded = 0
    /// The library version the import made, when it changed anything.
    public var version: Int?
    /// Whether `sync undo` reverted it.
    public var undone = false
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

/// Sync's own records in the library file: this device's signing key, the devices it trusts,
/// what each peer had seen, and a receipt per imported bundle (`Migrations/Sync/`). They
/// describe this library's relations to other devices, not articles, so they stay out of the
/// change log; receipts are written in the merge's own transaction, through ``ImportLedger``.
struct SyncLedger {
    let library: Library

    // MARK: - Keys and trust

    /// This device's private signing key, made by `make` and stored on first use.
    /// - Throws: ``LibraryError/notWritable(path:)`` when the library has no key yet and cannot be written.
    func signingKey(orMake make: () -> Data) throws -> Data {
        let select = "SELECT private_key FROM device_key"
        if let key = try library.syncTables.read(
            "read the signing key", { try Data.fetchOne($0, sql: select) })
        {
            return key
        }
        return try library.syncTables.write("make the signing key") { db in
            if let key = try Data.fetchOne(db, sql: select) { return key }
            let key = make()
            try db.execute(
                sql: "INSERT INTO device_key (singleton, private_key) VALUES (1, ?)", arguments: [key])
            return key
        }
    }

    /// The devices this library trusts, revoked ones included.
    func trustedDevices() throws -> [TrustedDevice] {
        try library.syncTables.read("read trusted devices") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM trusted_device ORDER BY trusted").map {
                TrustedDevice(
                    id: $0["id"], publicKey: $0["public_key"], trusted: $0["trusted"], revoked: $0["revoked"])
            }
        }
    }

    /// Trusts a device's key; trusting it again with another key replaces the old one.
    func trust(device: String, publicKey: Data) throws {
        try library.syncTables.write("trust a device") { db in
            try db.execute(
                sql: """
                    INSERT INTO trusted_device (id, public_key, trusted) VALUES (?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET public_key = excluded.public_key, trusted = excluded.trusted, revoked = NULL
                    """, arguments: [device, publicKey, library.environment.timestamp()])
        }
    }

    /// Stops trusting a device, and every device that signs with its key (a copy of it); false
    /// when it was not trusted.
    func revoke(device: String) throws -> Bool {
        try library.syncTables.write("revoke a device") { db in
            try db.execute(
                sql: """
                    UPDATE trusted_device SET revoked = ?
                    WHERE public_key = (SELECT public_key FROM trusted_device WHERE id = ? AND revoked IS NULL)
                        AND revoked IS NULL
                    """,
                arguments: [library.environment.timestamp(), device])
            return db.changesCount > 0
        }
    }

    // MARK: - Peers and receipts

    /// What each peer had seen when it last sent a bundle.
    func peers() throws -> [SyncPeer] {
        try library.syncTables.read("read peers") { db in
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

    /// What each trusted, unrevoked device has seen, by device; nil for one that has never sent
    /// a bundle, whose knowledge is unknown.
    func trustedPeerVectors() throws -> [String: VersionVector?] {
        var vectors: [String: VersionVector?] = [:]
        for device in try trustedDevices() where device.revoked == nil { vectors[device.id] = .some(nil) }
        for peer in try peers() where vectors[peer.device] != nil { vectors[peer.device] = peer.vector }
        return vectors
    }

    /// The imported bundles, newest first.
    func receipts(limit: Int = 20) throws -> [BundleReceipt] {
        try library.syncTables.read("read receipts") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM sync_receipt ORDER BY imported DESC, rowid DESC LIMIT ?",
                arguments: [limit]
            ).map(Self.receipt(from:))
        }
    }

    /// Whether a bundle was imported before.
    func hasReceipt(bundle: String) throws -> Bool {
        try library.syncTables.read("read receipts") { db in try Self.hasReceipt(db, bundle: bundle) }
    }

    /// Reverts the newest import that changed anything and is not undone yet, as one new change
    /// (``Library/revertImport(choosing:marking:)``).
    /// - Returns: Its receipt, or nil when there is nothing to undo.
    func undoLastImport() throws -> BundleReceipt? {
        let reverted = try library.revertImport(
            choosing: { db in
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT bundle, version, history_rows FROM sync_receipt
                        WHERE undone = 0 AND version IS NOT NULL
                        ORDER BY imported DESC, rowid DESC LIMIT 1
                        """
                ).map {
                    RevertibleImport(
                        bundle: $0["bundle"], version: $0["version"], historyRows: $0["history_rows"])
                }
            },
            marking: { bundle, db in
                try db.execute(
                    sql: "UPDATE sync_receipt SET undone = 1 WHERE bundle = ?", arguments: [bundle])
            })
        guard let reverted else { return nil }
        return try library.syncTables.read("read receipts") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sync_receipt WHERE bundle = ?", arguments: [reverted])
                .map(Self.receipt(from:))
        }
    }

    static func hasReceipt(_ db: Database, bundle: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM sync_receipt WHERE bundle = ?", arguments: [bundle])
            ?? false
    }

    private static func receipt(from row: Row) -> BundleReceipt {
        BundleReceipt(
            bundle: row["bundle"], device: row["device"], imported: row["imported"], records: row["records"],
            applied: row["applied"], superseded: row["superseded"], version: row["version"],
            undone: row["undone"])
    }
}

/// The receipt of one bundle's import, kept by the merge in its own transaction: a bundle
/// imported before changes nothing, and the peer's vector is remembered for `export --for`.
struct BundleReceiptLedger: ImportLedger {
    let header: BundleHeader
    let timestamp: String

    func hasApplied(_ db: Database) throws -> Bool { try SyncLedger.hasReceipt(db, bundle: header.bundle) }

    func record(_ outcome: ImportOutcome, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO sync_receipt (bundle, device, imported, records, applied, superseded, version, history_rows)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                header.bundle, header.device, timestamp, header.records, outcome.summary.applied,
                outcome.summary.superseded, outcome.version, outcome.historyRows,
            ])
        let vector = String(
            decoding: try Library.jsonEncoder().encode(VersionVector(counters: header.vector)), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO sync_peer (device, vector, seen) VALUES (?, ?, ?)
                ON CONFLICT (device) DO UPDATE SET vector = excluded.vector, seen = excluded.seen
                """, arguments: [header.device, vector, timestamp])
    }
}
