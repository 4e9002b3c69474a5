import Foundation
import GRDB
import ParallaxStore
import ParallaxTestSupport
import Testing

/// Events depend on the library alone: separate processes, each with its own hash seed,
/// group copies of one library into the same events, and store the same grouping state (on
/// which later updates build).
@Suite struct GroupingAcrossProcessesTests {
    /// Processes compared: a result decided by a hash order differs between two of them about
    /// half the time, so four make agreement by chance unlikely.
    static let runs = 4

    @Test(.enabled(if: Fixtures.sharedDirectory != nil, "needs ../shared"))
    func thePACStoriesGroupIntoTheSameEventsInSeparateProcesses() throws {
        try #require(
            ProcessInfo.processInfo.environment["SWIFT_DETERMINISTIC_HASHING"] == nil,
            "SWIFT_DETERMINISTIC_HASHING would give every process the same hash order")
        let directory = TemporaryDirectory()
        let original = directory.path("pac.sqlite")
        try Self.makeLibrary(at: original)
        var outputs: [String] = []
        var states: [[String]] = []
        for run in 0..<Self.runs {
            let copy = directory.path("copy-\(run).sqlite")
            // With the write-ahead log, should the library have left one behind.
            for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: original + suffix) {
                try FileManager.default.copyItem(atPath: original + suffix, toPath: copy + suffix)
            }
            let result = try CommandLineRunner.run(["events", "--all", "--json", "--library", copy])
            try #require(result.status == 0, "\(result.stderr)")
            outputs.append(result.stdout)
            states.append(try Self.storedState(copy))
        }
        let events = try #require(try JSONSerialization.jsonObject(with: Data(outputs[0].utf8)) as? [Any])
        #expect(events.count > 100)
        for (run, output) in outputs.enumerated().dropFirst() {
            #expect(output == outputs[0], "run \(run) grouped the stories differently from run 0")
            let differing = zip(states[run], states[0]).filter { $0 != $1 }.count
            #expect(
                differing == 0 && states[run].count == states[0].count,
                "run \(run) stored \(differing) of \(states[0].count) terms and articles differently from run 0"
            )
        }
    }

    /// The grouping state a run stored: its terms by number, and each article's closest match,
    /// similarity, event and distinctive terms.
    static func storedState(_ path: String) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration).read { db in
            try String.fetchAll(db, sql: "SELECT id || ' ' || word FROM grouping_term ORDER BY id")
                + String.fetchAll(
                    db,
                    sql: """
                        SELECT item.id || ' ' || coalesce(best.id, '-') || ' ' || printf('%.17g', g.best_similarity)
                            || ' ' || event.id || ' ' || hex(g.distinctive)
                        FROM grouping_article g JOIN item ON item.seq = g.item
                        LEFT JOIN item best ON best.seq = g.best JOIN item event ON event.seq = g.event
                        ORDER BY item.id
                        """)
        }
    }

    /// A library of the PAC stories, closed before it is copied.
    static func makeLibrary(at path: String) throws {
        let url = Fixtures.sharedDirectory!.appendingPathComponent("corpora/pac-stories.jsonl")
        let library = try Library.create(at: path)
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String] ?? [:]
            var draft = ItemDraft(title: row["title"] ?? "", text: row["text"] ?? "")
            draft.source = row["source"]
            draft.published = row["date"]
            draft.url = "https://example.org/pac/\(row["id"] ?? "")"
            _ = try library.add(draft)
        }
    }
}
