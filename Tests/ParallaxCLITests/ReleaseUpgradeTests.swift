import Foundation
import GRDB
import ParallaxTestSupport
import Testing

/// A library written by an earlier release opens in this one with nothing lost.
///
/// The fixture `library-release-0019.sqlite` was made by the release whose schema ended at
/// migration 0019: `parallax demo --keep`'s library (five articles with tags, notes, highlights
/// and a stored grouping of one event, a peer it synced with and trusts), then a folder remote
/// pushed to and a reading app save token.
@Suite struct ReleaseUpgradeTests {
    let directory = TemporaryDirectory()

    var parallax: ParallaxCommand { ParallaxCommand(in: directory) }

    /// Every row of every stored table, rendered and sorted, by table name; with `columns`, only
    /// those of each table (the ones a library had before an upgrade added some).
    static func contents(of path: String, columns: [String: [String]]? = nil) throws -> [String: [String]] {
        let database = try DatabaseQueue(path: path)
        defer { try? database.close() }
        return try database.read { db in
            let tables = try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master
                    WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name NOT LIKE 'sqlite_%'
                    """)
            var contents: [String: [String]] = [:]
            for table in tables {
                let selection =
                    columns?[table]?.map(\.quotedDatabaseIdentifier).joined(separator: ", ") ?? "*"
                let rows = try Row.fetchAll(
                    db, sql: "SELECT \(selection) FROM \(table.quotedDatabaseIdentifier)")
                contents[table] = rows.map { $0.description }.sorted()
            }
            return contents
        }
    }

    @Test func testALibraryOfTheReleaseBeforeOwnedTablesKeepsEveryRow() throws {
        let path = directory.path("library.sqlite")
        try FileManager.default.copyItem(
            at: Fixtures.resource("library-release-0019.sqlite", in: "ParallaxCLITests"),
            to: URL(fileURLWithPath: path))
        let before = try Self.contents(of: path)
        #expect(before["grouping_article"]?.count == 5 && before["sync_remote"]?.count == 2)
        let columns = try DatabaseQueue(path: path).read { db in
            try before.keys.reduce(into: [String: [String]]()) { columns, table in
                columns[table] = try db.columns(in: table).map(\.name)
            }
        }

        let list = try parallax("list", "--json", library: path)
        #expect(list.status == 0, "\(list.stderr)")
        // Columns that later migrations add (an item's place on the list, store 0014) are left out.
        let after = try Self.contents(of: path, columns: columns)
        // The copy moves to a device id of its own (its library and device rows change, by
        // design); the ledger of applied migrations is what an upgrade rewrites.
        let rewritten: Set<String> = ["library", "device", "parallax_migration", "schema_migration"]
        for (table, rows) in before where !rewritten.contains(table) {
            #expect(after[table] == rows, "\(table) changed in the upgrade")
        }
        let token = try DatabaseQueue(path: path).read { db in
            try String.fetchOne(db, sql: "SELECT save_token FROM library")
        }
        #expect(token == "fixture-save-token-0123456789abcdef")

        let events = try parallax("events", "--json", library: path)
        #expect(
            events.status == 0 && events.stdout.contains("01m97z4t16pwh8kzp140fdrk5v"), "\(events.stderr)")
        let remotes = try parallax("sync", "remote", "list", library: path)
        #expect(remotes.status == 0 && remotes.stdout.contains("share") && remotes.stdout.contains("usb"))
        let status = try parallax("sync", "status", library: path)
        #expect(status.stdout.contains("Trusts   01m97z4t4h"), "\(status.stdout)")
        let doctor = try parallax("doctor", library: path)
        #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
    }

    /// The schema's tables, indexes, triggers and views, without the records of migrations.
    static func schema(of path: String) throws -> [String] {
        let database = try DatabaseQueue(path: path)
        defer { try? database.close() }
        return try database.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master
                    WHERE name NOT IN ('parallax_migration', 'schema_migration')
                    AND name NOT LIKE 'sqlite_autoindex_schema_migration%'
                    ORDER BY type, name
                    """)
        }
    }

    @Test func testANewLibraryHasTheSchemaAnUpgradedOneHas() throws {
        let upgraded = directory.path("upgraded.sqlite")
        try FileManager.default.copyItem(
            at: Fixtures.resource("library-release-0019.sqlite", in: "ParallaxCLITests"),
            to: URL(fileURLWithPath: upgraded))
        #expect(try parallax("list", library: upgraded).status == 0)
        let fresh = directory.path("fresh.sqlite")
        #expect(try parallax("init", library: fresh).status == 0)
        let freshSchema = try Self.schema(of: fresh)
        #expect(freshSchema.count > 40)
        #expect(freshSchema == (try Self.schema(of: upgraded)))
    }
}
