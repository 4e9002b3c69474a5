import Foundation
import ParallaxFraming
import ParallaxStore

/// Issue 12's figures on one generated library of a given size: import beside plain SQL, lists
/// and counts, search, log, a window of events, doctor and compare.
struct ScaleBenchmark {
    let articles: Int
    /// Whether to group the library from scratch, and so measure grouping, the stored events
    /// and an update.
    let group: Bool

    /// The generated library of this many articles, spread over three years, with 100 stories
    /// covered twice; kept between runs and shared with the reading app's benchmark.
    static func keptLibrary(articles: Int) throws -> KeptLibrary {
        try KeptLibrary(named: "scale-spread-\(articles)") { library in
            var generator = ArticleGenerator(seed: 12)
            let background = max(0, articles - 200)
            try library.add(contentsOf: (0..<background).lazy.map { .success(Self.draft($0, &generator)) }) {
                _, _ in
            }
            try library.add(contentsOf: generator.coveredTwice(stories: 100).lazy.map { .success($0) }) {
                _, _ in
            }
        }
    }

    func run() throws {
        let kept = try Self.keptLibrary(articles: articles)
        let folder = try ScratchFolder()
        defer { withExtendedLifetime(folder) {} }
        try measureImport(in: folder)
        let library = try kept.copy(into: folder.url)
        print("")
        print(Bench.Ingest.row("on \(articles) articles", "p50 (ms)", "baseline", "ratio", "target"))
        let scan = try p50(runs: 3) { _ = try library.items(matching: Self.unfiltered).count }
        for (name, filter) in Self.lists {
            let time = try p50 { _ = try library.items(matching: filter) }
            print(Self.row(name, time, baseline: scan, target: "≤ 20 ms"))
        }
        let page = try library.items(matching: Self.page(after: nil))
        let deep = try library.items(matching: Self.page(after: page.last?.id))
        let deepTime = try p50 { _ = try library.items(matching: Self.page(after: deep.last?.id)) }
        print(Self.row("list --after (page 3)", deepTime, baseline: scan, target: "≤ 20 ms"))
        print(Self.row("stats", try p50 { _ = try library.statistics() }, baseline: scan, target: "≤ 20 ms"))
        // Mid-frequency words, as the ingest scenario searches: common enough to match many
        // articles, rare enough to rank.
        var random = SplitMix64(seed: 7)
        let terms = ArticleGenerator(seed: 12).vocabulary[40..<2_000]
        let searches = (0..<31).map { index -> String in
            let first = terms.randomElement(using: &random)!
            return index % 2 == 0 ? first : "\(first) AND \(terms.randomElement(using: &random)!)"
        }
        var next = searches.makeIterator()
        let search = try p50(runs: searches.count) { _ = try library.search(next.next()!, limit: 20) }
        print(Self.row("search (31 queries)", search, baseline: scan, target: "≤ 20 ms"))
        print(
            Self.row(
                "log --limit 20", try p50 { _ = try library.log(limit: 20) }, baseline: scan,
                target: "≤ 20 ms"))
        let events = LibraryEvents(library: library)
        var fromScratch: (seconds: Double, peakKilobytes: Int)?
        if group {
            // The `parallax` binary in its own process, so its peak memory is its own.
            fromScratch = try Self.timed([
                Self.parallaxBinary, "events", "--since", "2100-01-01", "--json", "--library", library.path,
            ])
            print(
                Bench.Ingest.row(
                    "events, grouped anew", String(format: "%.0f", fromScratch!.seconds * 1_000), "", "",
                    "≤ 600,000 ms") + " peak \(fromScratch!.peakKilobytes / 1_024) MB (target ≤ 2,048 MB)")
        }
        if try library.groupingIsCurrent(grouper: "\(events.grouper)") {
            let since = Self.day(Self.days - 7)
            let window = try p50(runs: 5) { _ = try events.events(since: since) }
            print(Self.row("events --since (a week)", window, baseline: scan, target: "≤ 200 ms"))
            let compare = try p50(runs: 3) { _ = try events.compare(outlets: ["Left Daily", "Right Wire"]) }
            print(Self.row("compare two outlets", compare, baseline: scan, target: "≤ 5,000 ms"))
            // New articles make the stored grouping stale; the next listing updates the events
            // they touch.
            var generator = ArticleGenerator(seed: 14)
            try library.add(contentsOf: (0..<1_000).lazy.map { .success(generator.article(5_000_000 + $0)) })
            {
                _, _ in
            }
            let regroup = try Self.timed([
                Self.parallaxBinary, "events", "--since", "2100-01-01", "--json", "--library", library.path,
            ])
            let baseline = fromScratch.map { String(format: "%.0f", $0.seconds * 1_000) } ?? ""
            let ratio = fromScratch.map { String(format: "%.3f×", regroup.seconds / $0.seconds) } ?? ""
            print(
                Bench.Ingest.row(
                    "+1,000 then events", String(format: "%.0f", regroup.seconds * 1_000), baseline, ratio,
                    "≤ 10,000 ms") + " peak \(regroup.peakKilobytes / 1_024) MB; baseline: grouped anew")
            try measureDayOfFeeds(library, generator: &generator, baseline: fromScratch)
            let dataset = try Self.timed([
                Self.parallaxBinary, "export", "--format", "dataset", "-o",
                folder.url.appendingPathComponent("dataset").path, "--library", library.path,
            ])
            print(
                Bench.Ingest.row(
                    "export --format dataset", String(format: "%.0f", dataset.seconds * 1_000), "", "",
                    "bounded memory") + " peak \(dataset.peakKilobytes / 1_024) MB")
        } else {
            print("events and compare: not measured (run with --group)")
        }
        let doctor = try p50(runs: 1) { _ = try library.checkIntegrity() }
        print(Self.row("doctor", doctor, baseline: scan, target: "≤ 120,000 ms"))
        print(
            "baseline: reading every item, as list and stats did before they had indexes and kept counts; "
                + "peak memory of this process \(Self.peakMegabytes()) MB")
    }
}

// MARK: - Measuring

private extension ScaleBenchmark {
    static var unfiltered: ItemFilter {
        var filter = ItemFilter()
        filter.archived = nil
        return filter
    }

    static let lists: [(String, ItemFilter)] = {
        func filter(_ change: (inout ItemFilter) -> Void) -> ItemFilter {
            var filter = ItemFilter()
            filter.limit = 20
            change(&filter)
            return filter
        }
        return [
            ("list --limit 20", filter { _ in }),
            ("list --sort published", filter { $0.order = .published }),
            ("list --unread", filter { $0.readingState = .unread }),
            ("list --read", filter { $0.readingState = .read }),
            ("list --favorite", filter { $0.favoriteOnly = true }),
            ("list --source Reuters", filter { $0.source = "Reuters" }),
            ("list --tag research", filter { $0.tag = "research" }),
        ]
    }()

    static func page(after id: String?) -> ItemFilter {
        var filter = ItemFilter()
        filter.limit = 20
        filter.after = id
        return filter
    }

    /// A generated article with some of the library's state: tags, favorites, read items.
    /// A generated article, published on one of three years' days in turn: a library as a
    /// reader builds it, about 900 articles a day at a million.
    static func draft(_ index: Int, _ generator: inout ArticleGenerator) -> ItemDraft {
        var draft = generator.article(index)
        draft.published = Self.day(index % Self.days)
        if index % 50 == 0 { draft.tags = ["research"] }
        draft.favorite = index % 1_000 == 0
        if index % 10 == 0 { draft.readingState = .read }
        return draft
    }

    /// The days the generated articles span, from 2016-01-01.
    static let days = 1_096

    /// Issue 27's day of feeds: 2,000 articles feeds brought in on the last day, then the events
    /// of that day, in a `parallax` process of its own.
    func measureDayOfFeeds(
        _ library: Library, generator: inout ArticleGenerator,
        baseline: (seconds: Double, peakKilobytes: Int)?
    ) throws {
        let feed = ItemID.forAddress("https://wire.example/feed.xml")
        let drafts = (0..<2_000).map { number in
            var draft = generator.article(6_000_000 + number)
            draft.published = Self.day(Self.days)
            draft.feedEntry = FeedEntryOrigin(feed: feed, entry: "tag:wire.example,2026:\(number)")
            return Result<ItemDraft, any Error>.success(draft)
        }
        try library.add(contentsOf: drafts) { _, _ in }
        let day = try Self.timed([
            Self.parallaxBinary, "events", "--since", Self.day(Self.days - 1), "--json", "--library",
            library.path,
        ])
        print(
            Bench.Ingest.row(
                "+2,000 from feeds, a day", String(format: "%.0f", day.seconds * 1_000),
                baseline.map { String(format: "%.0f", $0.seconds * 1_000) } ?? "",
                baseline.map { String(format: "%.3f×", day.seconds / $0.seconds) } ?? "", "≤ 10,000 ms")
                + " peak \(day.peakKilobytes / 1_024) MB; events --since the day before")
    }

    static func day(_ offset: Int) -> String {
        Date(timeIntervalSince1970: 1_451_606_400 + Double(offset) * 86_400).formatted(
            .iso8601.year().month().day())
    }

    /// Imports the same rows as JSON Lines with the `parallax` binary, beside Python's sqlite3
    /// inserting them into one table plus an FTS5 index (issue 12's baseline), each under GNU time.
    func measureImport(in folder: ScratchFolder) throws {
        let rows = min(articles, 100_000)
        let file = folder.url.appendingPathComponent("articles.jsonl")
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        let handle = try FileHandle(forWritingTo: file)
        var generator = ArticleGenerator(seed: 13)
        let encoder = JSONEncoder()
        for start in stride(from: 0, to: rows, by: 1_000) {
            var chunk = Data()
            for index in start..<min(start + 1_000, rows) {
                let draft = generator.article(index)
                chunk += try encoder.encode([
                    "url": draft.url ?? "", "title": draft.title, "text": draft.text,
                    "source": draft.source ?? "",
                    "published": draft.published ?? "",
                ])
                chunk.append(0x0A)
            }
            try handle.write(contentsOf: chunk)
        }
        try handle.close()
        let binary = Self.parallaxBinary
        let script = folder.url.appendingPathComponent("baseline.py")
        try Data(Self.baselineScript.utf8).write(to: script)
        // Three runs of each, taken in turn, and the median of each: one run of either moved
        // by a quarter from one bench run to the next on this machine.
        var runs:
            [(ours: (seconds: Double, peakKilobytes: Int), baseline: (seconds: Double, peakKilobytes: Int))] =
                []
        for run in 0..<3 {
            let library = folder.url.appendingPathComponent("imported-\(run).sqlite").path
            _ = try Self.timed([binary, "init", "--library", library])
            let ours = try Self.timed([binary, "import", file.path, "--library", library, "--json"])
            let baseline = try Self.timed([
                "python3", script.path, file.path,
                folder.url.appendingPathComponent("baseline-\(run).sqlite").path,
            ])
            runs.append((ours, baseline))
            for name in ["imported-\(run).sqlite", "baseline-\(run).sqlite"] {
                for suffix in ["", "-wal", "-shm"] {
                    try? FileManager.default.removeItem(at: folder.url.appendingPathComponent(name + suffix))
                }
            }
        }
        let ours = runs.sorted { $0.ours.seconds < $1.ours.seconds }[1].ours
        let baseline = runs.sorted { $0.baseline.seconds < $1.baseline.seconds }[1].baseline
        print(Bench.Ingest.row("import \(rows) rows", "parallax", "baseline", "ratio", "target"))
        print(
            Bench.Ingest.row(
                "  rows/s", String(format: "%.0f", Double(rows) / ours.seconds),
                String(format: "%.0f", Double(rows) / baseline.seconds),
                String(format: "%.2f×", baseline.seconds / ours.seconds), "≥ 0.70×"))
        print(
            Bench.Ingest.row(
                "  peak memory (MB)", "\(ours.peakKilobytes / 1_024)", "\(baseline.peakKilobytes / 1_024)",
                "",
                "≤ 200 MB"))
        print("  (the median of three runs of each, taken in turn)")
    }

    /// The `parallax` binary built beside this one.
    func p50(runs: Int = 31, _ body: () throws -> Void) throws -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return Bench.Ingest.percentile(times, 0.5)
    }

    static func row(_ name: String, _ milliseconds: Double, baseline: Double, target: String) -> String {
        Bench.Ingest.row(
            name, String(format: "%.1f", milliseconds), String(format: "%.1f", baseline),
            String(format: "%.3f×", milliseconds / max(baseline, 1e-9)), target)
    }

    static func peakMegabytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1_024
    }
}

// MARK: - Running the binary

extension ScaleBenchmark {
    static var parallaxBinary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "parallax"
        )
        .path
    }

    static let baselineScript = """
        import json, sqlite3, sys
        db = sqlite3.connect(sys.argv[2])
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE item(id INTEGER PRIMARY KEY, url TEXT, title TEXT, text TEXT, source TEXT, published TEXT)")
        db.execute("CREATE VIRTUAL TABLE item_search USING fts5(title, text, content='item', content_rowid='id')")
        with db:
            for line in open(sys.argv[1]):
                row = json.loads(line)
                cursor = db.execute("INSERT INTO item(url, title, text, source, published) VALUES (?, ?, ?, ?, ?)",
                    (row["url"], row["title"], row["text"], row["source"], row["published"]))
                db.execute("INSERT INTO item_search(rowid, title, text) VALUES (?, ?, ?)",
                    (cursor.lastrowid, row["title"], row["text"]))
        """

    /// Runs a program under GNU time: its wall time and peak resident memory.
    static func timed(_ arguments: [String]) throws -> (seconds: Double, peakKilobytes: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        let report = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bench-time-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: report) }
        process.arguments = ["-f", "%e %M", "-o", report.path] + arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let fields = try? String(contentsOf: report, encoding: .utf8).split(separator: " "),
            fields.count == 2, let seconds = Double(fields[0]),
            let peak = Int(fields[1].trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw CocoaError(.executableLoad) }
        return (seconds, peak)
    }
}
