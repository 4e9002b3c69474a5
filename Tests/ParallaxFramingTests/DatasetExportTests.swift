import Foundation
import ParallaxFiles
import ParallaxReports
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxFraming

/// Python with DuckDB, which reads the dataset as a research team's engine would.
enum DuckDB {
    static let python = URL(fileURLWithPath: "/usr/bin/env")

    static var isInstalled: Bool {
        (try? CommandLineRunner.run(python, ["python3", "-c", "import duckdb"]).status) == 0
    }
}

/// The dataset export is read by DuckDB, and its counts are the ones `compare` uses.
@Suite(
    .enabled(
        if: DuckDB.isInstalled, "DuckDB for Python is not installed: scripts/install-dependencies adds it"))
struct DatasetExportTests {
    static let python = DuckDB.python

    /// Runs SQL through DuckDB with `$DATASET` standing for the dataset folder; the rows as
    /// tab-separated lines.
    static func query(_ sql: String, dataset: String) throws -> [String] {
        let script = """
            import duckdb, sys
            rows = duckdb.connect().execute(sys.argv[1].replace("$DATASET", sys.argv[2])).fetchall()
            for row in rows: print("\\t".join(str(value) for value in row))
            """
        let result = try CommandLineRunner.run(python, ["python3", "-c", script, sql, dataset])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test func testDuckDBCountsAcrossOutletsMatchTheComparison() throws {
        let temporary = try OutletComparisonTests.library()
        let comparison = try LibraryEvents(library: temporary.library).compare(
            outlets: ["Left Daily", "Right Wire"])
        let dataset = temporary.directory.path("dataset")
        let summary = try DatasetExport(library: temporary.library).write(to: dataset)
        #expect(summary.items == 6 && summary.events == 3)
        let rows = try Self.query(
            """
            WITH counted AS (
                SELECT item, unnest(terms, recursive := true) FROM read_json_auto('$DATASET/terms.jsonl'))
            SELECT items.source, sum(counted.count)
            FROM counted JOIN read_json_auto('$DATASET/items.jsonl') AS items ON items.id = counted.item
            WHERE counted.term = 'regime' GROUP BY items.source ORDER BY items.source
            """, dataset: dataset)
        let regime = try #require(
            comparison.distinctive.first { $0.outlet == "Left Daily" }?.terms.first {
                $0.score.term == "regime"
            })
        #expect(rows == ["Left Daily\t\(regime.score.count)"])
        #expect(regime.score.restCount == 0)
        let tokens = try Self.query(
            "SELECT source, sum(tokens) FROM read_json_auto('$DATASET/items.jsonl') GROUP BY source ORDER BY source",
            dataset: dataset)
        #expect(tokens == ["Left Daily\t\(regime.score.total)", "Right Wire\t\(regime.score.restTotal)"])
    }

    @Test func testTheDatasetConvertsToParquet() throws {
        let temporary = try OutletComparisonTests.library()
        let dataset = temporary.directory.path("dataset")
        _ = try DatasetExport(library: temporary.library).write(to: dataset)
        let script = Fixtures.projectRoot.appendingPathComponent("scripts/dataset-to-parquet").path
        let result = try CommandLineRunner.run(Self.python, ["python3", script, dataset])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains("items.parquet: 6 rows")
                && result.stdout.contains("events.parquet: 3 rows"))
        let events = try Self.query(
            "SELECT id, articles, len(sources) FROM read_parquet('$DATASET/parquet/events.parquet') ORDER BY id",
            dataset: dataset)
        #expect(events.count == 3 && events.allSatisfy { $0.hasSuffix("\t2\t2") }, "\(events)")
    }

    @Test func testAFolderOfTheUsersIsNeverReplaced() throws {
        let temporary = try OutletComparisonTests.library()
        let folder = temporary.directory.path("mine")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        _ = temporary.directory.write("mine/manifest.json", "{}")
        #expect(throws: OutputFileError.self) {
            try DatasetExport(library: temporary.library).write(to: folder)
        }
        #expect(try String(contentsOfFile: folder + "/manifest.json", encoding: .utf8) == "{}")
        // An earlier dataset is replaced.
        let dataset = temporary.directory.path("dataset")
        _ = try DatasetExport(library: temporary.library).write(to: dataset)
        #expect(try DatasetExport(library: temporary.library).write(to: dataset).items == 6)
    }
}
