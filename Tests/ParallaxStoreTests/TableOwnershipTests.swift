import Foundation
import ParallaxMigrations
import ParallaxTestSupport
import Testing

/// Each module touches only the tables its own migrations make (docs/architecture.md, "Schema:
/// tables by owner"), the modules that own none do not reach the database at all, and the CLI
/// writes only through its terminal writer.
@Suite struct TableOwnershipTests {
    /// The source folder of each module that owns tables.
    static let modules: [TableOwnerName: String] = [
        .store: "ParallaxStore", .sync: "ParallaxSync", .framing: "ParallaxFraming",
        .feeds: "ParallaxFeeds",
    ]

    /// What every module may name besides its tables: SQLite's own.
    static let sqlite: Set<String> = [
        "sqlite_master", "sqlite_schema", "pragma_table_info", "pragma_database_list",
    ]

    static func matches(of pattern: String, in text: String) -> [String] {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return expression.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    /// The tables, views and temporary tables that an owner's migrations or code create.
    static func created(by owner: TableOwnerName, code: String) -> Set<String> {
        let schema = SchemaMigrations.track(of: owner).map(\.sql).joined(separator: "\n") + code
        let pattern =
            #"CREATE (?:TEMP |TEMPORARY |VIRTUAL )?(?:TABLE|VIEW) (?:IF NOT EXISTS )?(?:temp\.)?([a-z_]+)"#
        var names = Set(matches(of: pattern, in: schema))
        // FTS5 keeps its index in shadow tables named after the virtual table.
        for name in names where schema.contains("CREATE VIRTUAL TABLE \(name) USING fts5") {
            names.formUnion(["data", "idx", "content", "docsize", "config"].map { "\(name)_\($0)" })
        }
        return names
    }

    static func sources(of module: String) throws -> String {
        let folder = Fixtures.projectRoot.appendingPathComponent("Sources/\(module)")
        let files = (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? [])
            .filter {
                $0.hasSuffix(".swift")
            }
        #expect(!files.isEmpty, "\(module) has sources")
        return try files.map {
            try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)
        }.joined(separator: "\n")
    }

    @Test(arguments: TableOwnerName.allCases)
    func testAModuleNamesOnlyItsOwnTablesInItsSQL(owner: TableOwnerName) throws {
        let code = try Self.sources(of: try #require(Self.modules[owner]))
        var allowed = Self.created(by: owner, code: code).union(Self.sqlite)
        if owner == .store { allowed.formUnion(["parallax_migration", "schema_migration"]) }
        let named = Set(Self.matches(of: #"\b(?:FROM|JOIN|INTO|UPDATE|EXISTS|TABLE) ([a-z_]+)\b"#, in: code))
        #expect(named.count >= 2, "the pattern finds the module's SQL")
        #expect(named.subtracting(allowed).isEmpty, "\(owner) names \(named.subtracting(allowed).sorted())")
    }

    @Test(arguments: [
        "ParallaxServer", "ParallaxIngest", "ParallaxExport", "ParallaxReports", "ParallaxFiles",
        "parallax",
    ])
    func testAModuleThatOwnsNoTablesDoesNotImportTheDatabase(module: String) throws {
        let code = try Self.sources(of: module)
        #expect(!code.contains("import GRDB"))
    }

    /// The CLI writes standard output only through `Terminal.line` and `Terminal.write`, which
    /// clean text from outside for a terminal; a bare `print` would skip that.
    @Test func testTheCommandLineToolPrintsOnlyThroughItsTerminalWriter() throws {
        let code = try Self.sources(of: "parallax")
        #expect(code.contains("Terminal.line("), "the pattern finds the CLI's output")
        let bare = Self.matches(of: #"(?<![.\w])(?<!func )(print\([^)]*\))"#, in: code)
        #expect(bare.isEmpty, "the CLI prints around its terminal writer: \(bare.prefix(3))")
        #expect(
            code.components(separatedBy: "Swift.print(").count == 2,
            "only the writer itself calls Swift.print")
    }
}
