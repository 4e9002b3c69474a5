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

    @Test func testNewerSchemaIsRefusedAndUnchanged() throws {
        let temporary = try TemporaryLibrary()
        try temporary.library.add(Fixtures.draft(1))
        try temporary.library.database.write { db in
            try db.execute(
                sql:
                    "INSERT INTO parallax_migration (version, name, checksum, applied) VALUES (99, '0099_future.sql', 'x', 'now')"
            )
        }
        let before = Self.fileBytes(temporary.path)
        #expect(
            throws: LibraryError.newerSchema(
                path: temporary.path, found: 99, known: SchemaMigrations.all.count)
        ) {
            try Library.open(at: temporary.path)
        }
        #expect(Self.fileBytes(temporary.path) == before)
    }

    static func fileBytes(_ path: String) -> [Data?] {
        ["", "-wal"].map { FileManager.default.contents(atPath: path + $0) }
    }

    @Test func testOlderLibraryIsUpgradedOnOpen() throws {
        let temporary = try TemporaryLibrary()
        try temporary.library.add(Fixtures.draft(1))
        // Take it back to before migration 0007.
        try temporary.library.database.write { db in try db.execute(sql: OlderSchema.before0007) }
        // A reading command upgrades it too, since it may write the file.
        let upgraded = try Library.open(at: temporary.path, mode: .readOnly)
        #expect(try upgraded.items().count == 1)
        let versions = try upgraded.database.read { db in
            try Int.fetchAll(db, sql: "SELECT version FROM parallax_migration")
        }
        #expect(versions == SchemaMigrations.all.map(\.version))
        let library = try Library.open(at: temporary.path)
        let id = try upgraded.items()[0].id
        #expect(try library.articleHTML(ofItem: id) == nil)
        try library.setEvent(id, of: [id])
        #expect(try library.groupingChangesThrough() > 0)
    }

    @Test func testAlteredMigrationIsRefused() throws {
        let temporary = try TemporaryLibrary()
        try temporary.library.database.write { db in
            try db.execute(sql: "UPDATE parallax_migration SET checksum = 'tampered' WHERE version = 1")
        }
        #expect(throws: LibraryError.migrationMismatch(path: temporary.path, migration: "0001_library.sql")) {
            try Library.open(at: temporary.path)
        }
    }

    @Test func testEveryMigrationFileIsShipped() throws {
        var folder = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { folder.deleteLastPathComponent() }
        let files = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent("Migrations").path
        )
        .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files == SchemaMigrations.all.map(\.name))
        #expect(SchemaMigrations.all.map(\.version) == Array(1...SchemaMigrations.all.count))
        for migration in SchemaMigrations.all {
            let text = try String(
                contentsOf: folder.appendingPathComponent("Migrations/\(migration.name)"), encoding: .utf8)
            #expect(text == migration.sql)
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
