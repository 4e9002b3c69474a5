import Foundation
import GRDB
import ParallaxMigrations
import ParallaxTestSupport
import Testing

@testable import ParallaxStore

@Suite struct LibraryLifecycleTests {
    @Test func testCreatedLibraryReopensWithItsDeviceID() throws {
        let temporary = try TemporaryLibrary()
        let reopened = try Library.open(at: temporary.path)
        #expect(reopened.deviceID == temporary.library.deviceID)
        #expect(reopened.deviceID.count == ItemID.length)
    }

    @Test func testCreateRefusesAnExistingFile() throws {
        let temporary = try TemporaryLibrary()
        #expect(throws: LibraryError.libraryExists(path: temporary.path)) {
            try Library.create(at: temporary.path)
        }
    }

    @Test func testOpenMissingLibraryFails() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("absent.sqlite")
        #expect(throws: LibraryError.missingLibrary(path: path)) { try Library.open(at: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func testLibraryUnderAFileIsNotWritable() throws {
        let directory = TemporaryDirectory()
        let file = directory.write("plain.txt", "not a folder")
        #expect(throws: LibraryError.self) { try Library.create(at: file + "/library.sqlite") }
        do {
            _ = try Library.create(at: file + "/library.sqlite")
        } catch let error as LibraryError {
            guard case .notWritable = error else {
                Issue.record("expected notWritable, got \(error)"); return
            }
        }
    }

    @Test(arguments: ["empty", "text", "other-sqlite", "folder"])
    func testNonLibraryFilesAreRefusedAndLeftUnchanged(kind: String) throws {
        let directory = TemporaryDirectory()
        let path = directory.path("candidate")
        switch kind {
        case "empty": directory.write("candidate", Data())
        case "text": directory.write("candidate", String(repeating: "hello, world\n", count: 500))
        case "folder":
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        default:
            let queue = try DatabaseQueue(path: path)
            try queue.write {
                try $0.execute(sql: "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x')")
            }
            try queue.close()
        }
        let before = FileManager.default.contents(atPath: path)
        do {
            _ = try Library.open(at: path)
            Issue.record("opened a \(kind) file as a library")
        } catch let error as LibraryError {
            guard case .notALibrary = error else {
                Issue.record("expected notALibrary, got \(error)"); return
            }
        }
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    @Test(arguments: [
        ("INSERT INTO schema_migration VALUES ('store', 99, '0099_future.sql', 'x', 'now')", "store 99"),
        ("INSERT INTO schema_migration VALUES ('sync', 6, '0006_future.sql', 'x', 'now')", "sync 6"),
        ("INSERT INTO schema_migration VALUES ('server', 1, '0001_server.sql', 'x', 'now')", "server 1"),
        ("INSERT INTO parallax_migration VALUES (21, '0021_future.sql', 'x', 'now')", "21"),
    ])
    func testNewerSchemaIsRefusedAndUnchanged(newer: String, found: String) throws {
        let temporary = try TemporaryLibrary()
        try temporary.library.add(Fixtures.draft(1))
        try temporary.library.database.write { db in try db.execute(sql: newer) }
        let before = Self.fileBytes(temporary.path)
        do {
            _ = try Library.open(at: temporary.path)
            Issue.record("opened a library of a newer schema")
        } catch LibraryError.newerSchema(let path, let reported, _) {
            #expect(path == temporary.path && reported == found)
        }
        #expect(Self.fileBytes(temporary.path) == before)
    }

    static func fileBytes(_ path: String) -> [Data?] {
        ["", "-wal"].map { FileManager.default.contents(atPath: path + $0) }
    }

    @Test func testOlderLibraryIsUpgradedOnOpen() throws {
        let temporary = try TemporaryLibrary()
        try temporary.library.add(Fixtures.draft(1))
        // Take it back to a release before migration 0007 of the single list.
        try temporary.library.database.write { db in try db.execute(sql: OlderSchema.before0007) }
        // A reading command upgrades it too, since it may write the file.
        let upgraded = try Library.open(at: temporary.path, mode: .readOnly)
        #expect(try upgraded.items().count == 1)
        let (versions, tracks) = try upgraded.database.read { db in
            (
                try Int.fetchAll(db, sql: "SELECT version FROM parallax_migration ORDER BY version"),
                try String.fetchAll(
                    db, sql: "SELECT owner || ' ' || name FROM schema_migration ORDER BY owner, version")
            )
        }
        #expect(versions == [1, 2, 3, 4, 5, 6, LegacyMigrations.ownersMarker])
        #expect(tracks == Self.everyMigration)
        let library = try Library.open(at: temporary.path)
        let id = try upgraded.items()[0].id
        #expect(try library.articleHTML(ofItem: id) == nil)
        try library.setEvent(id, of: [id])
        let noted = try library.database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM event_grouping_change")
        }
        #expect(noted ?? 0 > 0, "framing's triggers on item came back with its tables")
    }

    /// Each owner's migrations, as `owner name`, in the order of the ledger's key.
    static let everyMigration = TableOwnerName.allCases.sorted { $0.rawValue < $1.rawValue }.flatMap {
        owner in
        SchemaMigrations.track(of: owner).map { "\(owner.rawValue) \($0.name)" }
    }

    @Test(arguments: [
        (
            "UPDATE schema_migration SET checksum = 'tampered' WHERE owner = 'store' AND version = 1",
            "0001_library.sql"
        ),
        (
            "UPDATE schema_migration SET checksum = 'tampered' WHERE owner = 'sync' AND version = 3",
            "0003_remotes.sql"
        ),
        (
            OlderSchema.singleList + "UPDATE parallax_migration SET checksum = 'tampered' WHERE version = 2",
            "0002_sync.sql"
        ),
        ("DELETE FROM schema_migration WHERE owner = 'store' AND version = 5", "0005_device_home.sql"),
    ])
    func testAlteredMigrationIsRefused(alteration: String, migration: String) throws {
        let temporary = try TemporaryLibrary()
        try temporary.library.database.write { db in try db.execute(sql: alteration) }
        #expect(throws: LibraryError.migrationMismatch(path: temporary.path, migration: migration)) {
            try Library.open(at: temporary.path)
        }
    }

    @Test func testALibraryOfTheSingleListMovesOntoTheOwnersTracksWithoutRunningAgain() throws {
        let temporary = try TemporaryLibrary()
        try temporary.library.add(Fixtures.draft(1))
        // The schema a library has today: the single list's migrations are recorded, not run
        // again, and only what came after it (store 0014) runs, to the same schema.
        let schema = try temporary.library.database.write { db in
            let schema = try String.fetchAll(
                db,
                sql:
                    "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'schema_migration%' ORDER BY name"
            )
            try db.execute(sql: OlderSchema.singleList)
            return schema
        }
        let library = try Library.open(at: temporary.path)
        let (versions, tracks, after) = try library.database.read { db in
            (
                try Int.fetchAll(db, sql: "SELECT version FROM parallax_migration ORDER BY version"),
                try String.fetchAll(
                    db, sql: "SELECT owner || ' ' || name FROM schema_migration ORDER BY owner, version"),
                try String.fetchAll(
                    db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
            )
        }
        #expect(versions == Array(1...19) + [LegacyMigrations.ownersMarker])
        #expect(tracks == Self.everyMigration)
        #expect(after.filter { !$0.contains("schema_migration") } == schema)
        #expect(try library.items().count == 1)
    }

    @Test func testEveryMigrationFileIsShipped() throws {
        var folder = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { folder.deleteLastPathComponent() }
        let owners = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent("Migrations").path
        )
        .filter { !$0.hasSuffix(".swift") }.sorted()
        #expect(owners == TableOwnerName.allCases.map { $0.rawValue.capitalized }.sorted())
        for owner in TableOwnerName.allCases {
            let track = SchemaMigrations.track(of: owner)
            let ownerFolder = folder.appendingPathComponent("Migrations/\(owner.rawValue.capitalized)")
            let files = try FileManager.default.contentsOfDirectory(atPath: ownerFolder.path).sorted()
            #expect(files == track.map(\.name))
            #expect(track.map(\.version) == Array(1...track.count))
            for migration in track {
                let text = try String(
                    contentsOf: ownerFolder.appendingPathComponent(migration.name), encoding: .utf8)
                #expect(text == migration.sql)
                #expect(migration.name.hasPrefix(String(format: "%04d_", migration.version)))
            }
        }
    }

    @Test func testLockedLibraryFailsWithLockedError() throws {
        let temporary = try TemporaryLibrary()
        try temporary.library.add(Fixtures.draft(1))
        let holder = try DatabaseQueue(path: temporary.path)
        try holder.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN EXCLUSIVE")
            let waiting = try Library.open(at: temporary.path, busyTimeout: 0.2)
            #expect(throws: LibraryError.locked(path: temporary.path, seconds: 0.2)) {
                try waiting.add(Fixtures.draft(2))
            }
            try db.execute(sql: "ROLLBACK")
        }
        #expect(try temporary.library.items().count == 1)
    }

    @Test func testLibraryUsesWriteAheadLogAndForeignKeys() throws {
        let temporary = try TemporaryLibrary()
        let (journal, foreignKeys) = try temporary.library.database.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try Bool.fetchOne(db, sql: "PRAGMA foreign_keys")
            )
        }
        #expect(journal == "wal")
        #expect(foreignKeys == true)
    }
}
