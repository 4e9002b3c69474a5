import Crypto
import Foundation
import GRDB
import ParallaxMigrations

/// Applies the shipped SQL migrations in order, each in its own transaction, and records
/// each one's checksum so a library changed by a different build is refused, not damaged.
struct SchemaMigrator {
    let path: String
    let migrations: [SchemaMigration] = SchemaMigrations.all

    static func checksum(_ sql: String) -> String {
        SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The shipped migrations this library has not applied yet.
    ///
    /// - Throws: when the file is not a Parallax library, was written by a newer schema, or
    ///   recorded a migration whose checksum differs from the shipped file.
    func pendingMigrations(_ db: Database) throws -> [SchemaMigration] {
        let hasLedger = try db.tableExists("parallax_migration")
        guard hasLedger else {
            let tableCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
            throw LibraryError.notALibrary(
                path: path, reason: tableCount == 0 ? "it is empty" : "it has no Parallax schema")
        }
        let applied = try Row.fetchAll(
            db, sql: "SELECT version, name, checksum FROM parallax_migration ORDER BY version")
        let known = migrations.last?.version ?? 0
        var appliedVersions = Set<Int>()
        for row in applied {
            let version: Int = row["version"]
            appliedVersions.insert(version)
            if version > known { throw LibraryError.newerSchema(path: path, found: version, known: known) }
            guard let shipped = migrations.first(where: { $0.version == version }),
                Self.checksum(shipped.sql) == row["checksum"]
            else {
                throw LibraryError.migrationMismatch(path: path, migration: row["name"])
            }
        }
        guard try db.tableExists("library"), try Int.fetchOne(db, sql: "SELECT count(*) FROM library") == 1
        else {
            throw LibraryError.notALibrary(path: path, reason: "its library record is missing")
        }
        return migrations.filter { !appliedVersions.contains($0.version) }
    }

    /// Applies every pending migration; a new library gets all of them.
    func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS parallax_migration (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    checksum TEXT NOT NULL,
                    applied TEXT NOT NULL
                )
                """)
        let appliedVersions = Set(try Int.fetchAll(db, sql: "SELECT version FROM parallax_migration"))
        for migration in migrations where !appliedVersions.contains(migration.version) {
            try db.inTransaction(.immediate) {
                try db.execute(sql: migration.sql)
                try db.execute(
                    sql:
                        "INSERT INTO parallax_migration (version, name, checksum, applied) VALUES (?, ?, ?, ?)",
                    arguments: [
                        migration.version, migration.name, Self.checksum(migration.sql), Timestamp.now(),
                    ])
                return .commit
            }
        }
    }
}
