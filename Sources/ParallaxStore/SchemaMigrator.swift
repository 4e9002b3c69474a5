import Crypto
import Foundation
import GRDB
import ParallaxMigrations

/// Applies the shipped SQL migrations, the store's track first and then each other owner's,
/// each migration in its own transaction, and records each one's checksum so a library changed
/// by a different build is refused, not damaged.
///
/// Two ledgers: `schema_migration` records each owner's track; `parallax_migration`, the single
/// list releases kept until 0019, is checked in a library they wrote, carried onto the tracks,
/// and then holds ``LegacyMigrations/ownersMarker``, which those releases refuse as newer.
struct SchemaMigrator {
    let path: String

    static func checksum(_ sql: String) -> String {
        SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether this library has migrations to apply, or a single list to carry onto the tracks.
    ///
    /// - Throws: when the file is not a Parallax library, was written by a newer schema, or
    ///   recorded a migration whose checksum differs from the shipped file.
    func needsMigration(_ db: Database) throws -> Bool {
        guard try db.tableExists("parallax_migration") else {
            let tableCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
            throw LibraryError.notALibrary(
                path: path, reason: tableCount == 0 ? "it is empty" : "it has no Parallax schema")
        }
        let onTracks = try checkLegacyLedger(db)
        guard try db.tableExists("library"), try Int.fetchOne(db, sql: "SELECT count(*) FROM library") == 1
        else {
            throw LibraryError.notALibrary(path: path, reason: "its library record is missing")
        }
        guard onTracks else { return true }
        guard try db.tableExists("schema_migration") else {
            throw LibraryError.notALibrary(path: path, reason: "its record of migrations is missing")
        }
        var pending = false
        let rows = try Row.fetchAll(db, sql: "SELECT owner, version, name, checksum FROM schema_migration")
        var applied: [TableOwnerName: Set<Int>] = [:]
        for row in rows {
            let track: [SchemaMigration]
            if let owner = TableOwnerName(rawValue: row["owner"]) {
                track = SchemaMigrations.track(of: owner)
                applied[owner, default: []].insert(row["version"])
            } else {
                // Tables of a module this build does not have, perhaps with triggers on the store's.
                let owner: String = row["owner"]
                throw LibraryError.newerSchema(
                    path: path, found: "\(owner) \(row["version"] as Int)", known: "no \(owner) tables")
            }
            let version: Int = row["version"]
            let known = track.last?.version ?? 0
            if version > known {
                let owner: String = row["owner"]
                throw LibraryError.newerSchema(
                    path: path, found: "\(owner) \(version)", known: "up to \(owner) \(known)")
            }
            guard let shipped = track.first(where: { $0.version == version }),
                Self.checksum(shipped.sql) == row["checksum"]
            else {
                throw LibraryError.migrationMismatch(path: path, migration: row["name"])
            }
        }
        for owner in TableOwnerName.allCases {
            let done = applied[owner] ?? []
            let track = SchemaMigrations.track(of: owner)
            // A track only grows at its end, so a missing version below an applied one is a
            // ledger that was changed, not a migration to run again over tables that exist.
            if let gap = track.first(where: { !done.contains($0.version) && $0.version < (done.max() ?? 0) })
            {
                throw LibraryError.migrationMismatch(path: path, migration: gap.name)
            }
            pending = pending || track.contains { !done.contains($0.version) }
        }
        return pending
    }

    /// Applies every pending migration of every owner; a new library gets all of them.
    func migrate(_ db: Database) throws {
        try db.inTransaction(.immediate) {
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS parallax_migration (
                        version INTEGER PRIMARY KEY,
                        name TEXT NOT NULL,
                        checksum TEXT NOT NULL,
                        applied TEXT NOT NULL
                    );
                    CREATE TABLE IF NOT EXISTS schema_migration (
                        owner TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        name TEXT NOT NULL,
                        checksum TEXT NOT NULL,
                        applied TEXT NOT NULL,
                        PRIMARY KEY (owner, version)
                    ) WITHOUT ROWID;
                    """)
            if try !checkLegacyLedger(db) { try carryOntoTracks(db) }
            return .commit
        }
        for owner in TableOwnerName.allCases {
            for migration in SchemaMigrations.track(of: owner) {
                try db.inTransaction(.immediate) {
                    // Checked inside the transaction: another process may have applied it since.
                    let applied = try Bool.fetchOne(
                        db,
                        sql: "SELECT EXISTS (SELECT 1 FROM schema_migration WHERE owner = ? AND version = ?)",
                        arguments: [owner.rawValue, migration.version])
                    guard applied != true else { return .commit }
                    try db.execute(sql: migration.sql)
                    try Self.record(migration, of: owner, db)
                    return .commit
                }
            }
        }
    }
}

// MARK: - The single list of releases up to 0019

private extension SchemaMigrator {
    static func record(_ migration: SchemaMigration, of owner: TableOwnerName, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO schema_migration (owner, version, name, checksum, applied) VALUES (?, ?, ?, ?, ?)
                """,
            arguments: [
                owner.rawValue, migration.version, migration.name, checksum(migration.sql), Timestamp.now(),
            ])
    }

    /// Checks the single list's rows against what those releases shipped.
    /// - Returns: whether the library has moved onto the owners' tracks already.
    func checkLegacyLedger(_ db: Database) throws -> Bool {
        let rows = try Row.fetchAll(db, sql: "SELECT version, name, checksum FROM parallax_migration")
        var onTracks = false
        for row in rows {
            let version: Int = row["version"]
            if version == LegacyMigrations.ownersMarker {
                onTracks = true
                continue
            }
            if version > LegacyMigrations.ownersMarker {
                throw LibraryError.newerSchema(
                    path: path, found: "\(version)", known: "up to \(LegacyMigrations.ownersMarker)")
            }
            guard let shipped = LegacyMigrations.all.first(where: { $0.version == version }),
                shipped.checksum == row["checksum"]
            else {
                throw LibraryError.migrationMismatch(path: path, migration: row["name"])
            }
        }
        return onTracks
    }

    /// Records, for each migration of the single list this library applied, the migrations of
    /// the owners' tracks that hold its SQL now, and marks the list as carried over. A new
    /// library, with no list, is only marked.
    func carryOntoTracks(_ db: Database) throws {
        let applied = Set(try Int.fetchAll(db, sql: "SELECT version FROM parallax_migration"))
        for legacy in LegacyMigrations.all where applied.contains(legacy.version) {
            for successor in legacy.successors {
                guard
                    let migration = SchemaMigrations.track(of: successor.owner).first(where: {
                        $0.version == successor.version
                    })
                else { continue }
                try Self.record(migration, of: successor.owner, db)
            }
        }
        try db.execute(
            sql: "INSERT INTO parallax_migration (version, name, checksum, applied) VALUES (?, ?, ?, ?)",
            arguments: [
                LegacyMigrations.ownersMarker, "tables kept by owner: see schema_migration", "",
                Timestamp.now(),
            ])
    }
}
