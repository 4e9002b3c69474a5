import Foundation
import GRDB
import ParallaxStore

/// Ingest and search through the public API, beside a plain SQLite baseline on the same data.
struct IngestBenchmark {
    let count: Int
    let queries: Int

    struct Result {
        var oursSeconds = 0.0, baselineSeconds = 0.0
        var oursBytes: Int64 = 0, baselineBytes: Int64 = 0
        var oursSearch: [Double] = [], baselineSearch: [Double] = []
    }

    func run() throws -> Result {
        let folder = try ScratchFolder()
        // Keep the folder until the scenario returns, however early its last use.
        defer { withExtendedLifetime(folder) {} }
        var generator = ArticleGenerator()
        let drafts = (0..<count).map { generator.article($0) }
        let averageBytes = drafts.map(\.text.utf8.count).reduce(0, +) / max(1, count)
        print("Generated \(count) articles, \(averageBytes) bytes of text each on average.")
        var result = Result(oursSeconds: .infinity, baselineSeconds: .infinity)
        var libraryPath = ""
        var baselinePath = ""
        // Alternate the two, three times, and keep each one's best run, so neither pays alone for a
        // cold page cache or a neighbour's burst of I/O.
        for round in 0..<3 {
            libraryPath = folder.url.appendingPathComponent("library-\(round).sqlite").path
            result.oursSeconds = min(result.oursSeconds, try ingestThroughLibrary(drafts, at: libraryPath))
            baselinePath = folder.url.appendingPathComponent("baseline-\(round).sqlite").path
            result.baselineSeconds = min(result.baselineSeconds, try ingestBaseline(drafts, at: baselinePath))
        }
        result.oursBytes = try checkpointedSize(libraryPath)
        result.baselineBytes = try checkpointedSize(baselinePath)
        let baseline = try DatabaseQueue(path: baselinePath)

        var random = SplitMix64(seed: 7)
        // Mid-frequency words: common enough to match many articles, rare enough to rank.
        let terms = generator.vocabulary[40..<2_000]
        let searches = (0..<queries).map { index -> String in
            let first = terms.randomElement(using: &random)!
            return index % 2 == 0 ? first : "\(first) AND \(terms.randomElement(using: &random)!)"
        }
        let reader = try Library.open(at: libraryPath, mode: .readOnly)
        for query in searches {
            result.oursSearch.append(try measure { _ = try reader.search(query, limit: 20) })
            result.baselineSearch.append(
                try measure {
                    try baseline.read { db in
                        let rows = try Row.fetchAll(
                            db,
                            sql: """
                                SELECT rowid, snippet(article_search, 3, char(2), char(3), '…', 24) AS snippet
                                FROM article_search WHERE article_search MATCH ? ORDER BY rank LIMIT 20
                                """, arguments: [query])
                        for row in rows {
                            _ = try Row.fetchOne(
                                db, sql: "SELECT * FROM article WHERE id = ?",
                                arguments: [row["rowid"] as Int64])
                        }
                    }
                })
        }
        return result
    }

    private func ingestThroughLibrary(_ drafts: [ItemDraft], at path: String) throws -> Double {
        let library = try Library.create(at: path)
        return try measure {
            var failures = 0
            try library.add(contentsOf: drafts.lazy.map { .success($0) }) { _, outcome in
                if case .failure = outcome { failures += 1 }
            }
            precondition(failures == 0, "ingest failed for \(failures) articles")
        }
    }

    /// The baseline: the same rows with raw SQL into one table plus an FTS5 index over the same columns.
    func ingestBaseline(_ drafts: [ItemDraft], at path: String) throws -> Double {
        let baseline = try DatabaseQueue(path: path)
        try baseline.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(
                sql: """
                    CREATE TABLE article (id INTEGER PRIMARY KEY, url TEXT, title TEXT, byline TEXT, source TEXT,
                        published TEXT, body TEXT);
                    CREATE VIRTUAL TABLE article_search USING fts5(title, byline, source, body,
                        content = 'article', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
                    """)
        }
        return try measure {
            for start in stride(from: 0, to: drafts.count, by: 500) {
                try baseline.write { db in
                    let insert = try db.makeStatement(
                        sql:
                            "INSERT INTO article (url, title, byline, source, published, body) VALUES (?, ?, ?, ?, ?, ?)"
                    )
                    let index = try db.makeStatement(
                        sql:
                            "INSERT INTO article_search (rowid, title, byline, source, body) VALUES (?, ?, ?, ?, ?)"
                    )
                    for draft in drafts[start..<min(start + 500, drafts.count)] {
                        try insert.execute(arguments: [
                            draft.url, draft.title, draft.byline, draft.source, draft.published, draft.text,
                        ])
                        try index.execute(arguments: [
                            db.lastInsertedRowID, draft.title, draft.byline, draft.source, draft.text,
                        ])
                    }
                }
            }
        }
    }

    func measure(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    func checkpointedSize(_ path: String) throws -> Int64 {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
        try queue.close()
        return ((try FileManager.default.attributesOfItem(atPath: path))[.size] as? NSNumber)?.int64Value ?? 0
    }
}
