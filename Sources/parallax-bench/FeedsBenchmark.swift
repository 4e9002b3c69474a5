import ArgumentParser
import Foundation
import ParallaxFeeds

extension Bench {
    struct Feeds: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Parse feeds of every format and size, beside Python's feedparser and feedparser-rs.",
            discussion: """
                Targets (issue 27): parse throughput at least 20× feedparser's and 1× feedparser-rs's on \
                feeds written from the specs (RSS, RDF, Atom, JSON Feed; 1 KB to 5 MB), peak memory flat \
                in feed size. The baselines run in one python3 process on the same files in the same run; \
                each parser runs --rounds times in turn and each file's best round counts. Like the \
                baselines, the ratios parse each file's bytes held in memory; Parallax's rate reading \
                each file as well (as `parallax feeds parse FILE` does) is printed after them. They are \
                skipped, saying so, when feedparser or feedparser-rs is not installed \
                (python3 -m pip install feedparser feedparser-rs).
                """)

        @Option(help: "Seconds to spend parsing each file, at least.") var seconds = 0.5
        @Option(help: "Only this format (rss, rdf, atom or json); repeat it for several. All four when none.")
        var format: [String] = []
        @Option(help: "Only this size (1KB, 64KB, 1MB or 5MB); repeat it for several. All four when none.")
        var size: [String] = []
        @Option(help: "Rounds of every parser in turn; each file's best round counts.") var rounds = 3
        @Flag(help: "Measure Parallax alone, without the Python baselines (for a profiler).")
        var withoutBaselines = false
        @Option(help: .hidden) var measurePeak: String?

        func validate() throws {
            guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1.") }
            if let unknown = format.first(where: { !FeedCorpus.formats.contains($0) }) {
                throw ValidationError("No feed format '\(unknown)': use rss, rdf, atom or json.")
            }
            if let unknown = size.first(where: { FeedCorpus.size(named: $0) == nil }) {
                throw ValidationError("No feed size '\(unknown)': use 1KB, 64KB, 1MB or 5MB.")
            }
        }

        func run() throws {
            // A child process parses one file and reports its own peak, so each size is measured alone.
            if let measurePeak {
                _ = try FeedParser.parse(file: measurePeak)
                return print(String(format: "%.1f", FeedCorpus.peakResidentMB()))
            }
            let scratch = try ScratchFolder()
            let sizes = size.isEmpty ? FeedCorpus.sizes : size.compactMap(FeedCorpus.size(named:))
            let files = try FeedCorpus.write(
                in: scratch.url, formats: format.isEmpty ? FeedCorpus.formats : format, sizes: sizes)
            // Rounds of each parser in turn, keeping each file's best: a machine shared with
            // others swings by half from one second to the next, and the best of several rounds
            // is what each parser can do.
            var ours: [String: Double] = [:]
            var oursFromFile: [String: Double] = [:]
            var theirs: [String: [String: Double]] = [:]
            for _ in 0..<rounds {
                ours.merge(
                    try FeedCorpus.measureParallax(files, seconds: seconds, fromFile: false),
                    uniquingKeysWith: min)
                oursFromFile.merge(
                    try FeedCorpus.measureParallax(files, seconds: seconds, fromFile: true),
                    uniquingKeysWith: min)
                guard !withoutBaselines else { continue }
                let round = FeedCorpus.measurePython(files, seconds: seconds, scratch: scratch.url)
                theirs.merge(round) { $0.merging($1, uniquingKeysWith: min) }
            }
            print("")
            print(Ingest.row("feed (MB/s)", "parallax", "baseline", "ratio", "target"))
            for file in files where withoutBaselines {
                let rate = Double(file.bytes) / ours[file.url.lastPathComponent, default: .infinity] / 1e6
                print(Ingest.row(file.label, String(format: "%.1f", rate), "-", "-", "-"))
            }
            for baseline in ["feedparser", "feedparser_rs"] where !withoutBaselines {
                guard let figures = theirs[baseline] else {
                    print(
                        "\(baseline): not installed here (python3 -m pip install \(baseline.replacing("_", with: "-")))"
                    )
                    continue
                }
                let target = baseline == "feedparser" ? "≥ 20×" : "≥ 1×"
                for file in files {
                    guard let seconds = figures[file.url.lastPathComponent] else { continue }
                    let oursRate =
                        Double(file.bytes) / ours[file.url.lastPathComponent, default: .infinity] / 1e6
                    let theirRate = Double(file.bytes) / seconds / 1e6
                    print(
                        Ingest.row(
                            "\(file.label) vs \(baseline == "feedparser" ? "fp" : "fp-rs")",
                            String(format: "%.1f", oursRate), String(format: "%.1f", theirRate),
                            String(format: "%.1f×", oursRate / theirRate), target))
                }
            }
            let fromFile = files.map { file in
                let rate =
                    Double(file.bytes) / oursFromFile[file.url.lastPathComponent, default: .infinity] / 1e6
                return "\(file.label) \(String(format: "%.1f", rate))"
            }
            print("  parallax reading each file as well (MB/s): " + fromFile.joined(separator: ", "))
            guard files.contains(where: { $0.label.hasPrefix("rss") }), size.isEmpty else { return }
            let peaks = FeedCorpus.sizes.map { label, size in
                "\(label) \(FeedCorpus.peakOfParsing(scratch.url.appendingPathComponent("rss-\(size).xml"))) MB"
            }
            print("  peak resident set of a process parsing one RSS feed: " + peaks.joined(separator: ", "))
        }
    }
}

/// Feeds written from the specifications, each format at four sizes, and their timings.
enum FeedCorpus {
    struct File {
        var url: URL
        var label: String
        var bytes: Int
    }

    static let sizes: [(String, Int)] = [
        ("1 KB", 1_024), ("64 KB", 65_536), ("1 MB", 1 << 20), ("5 MB", 5 << 20),
    ]
    static let formats = ["rss", "rdf", "atom", "json"]

    /// A size of ``sizes`` by its label written without a space ("64KB").
    static func size(named name: String) -> (String, Int)? {
        sizes.first { $0.0.replacing(" ", with: "").lowercased() == name.lowercased() }
    }

    static func write(in folder: URL, formats: [String], sizes: [(String, Int)]) throws -> [File] {
        var files: [File] = []
        for format in formats {
            for (label, size) in sizes {
                let url = folder.appendingPathComponent(
                    "\(format)-\(size).\(format == "json" ? "json" : "xml")")
                let document = self.document(format: format, bytes: size)
                try Data(document.utf8).write(to: url)
                files.append(File(url: url, label: "\(format) \(label)", bytes: document.utf8.count))
            }
        }
        return files
    }

    /// A document of about `bytes` bytes: entries with a title, link, id, date, author, summary and
    /// full text, as outlets publish them.
    static func document(format: String, bytes: Int) -> String {
        var entries: [String] = []
        var total = 0
        var number = 0
        var random = SplitMix64(seed: UInt64(bytes))
        while total < bytes - 400 {
            number += 1
            let words = (0..<(40 + Int(random.next() % 200))).map { _ in
                [
                    "sanctions", "military", "port", "strike", "officials", "said", "Caracas", "talks", "the",
                    "a",
                ][
                    Int(random.next() % 10)]
            }.joined(separator: " ")
            let entry = self.entry(format: format, number: number, text: words)
            entries.append(entry)
            total += entry.utf8.count
        }
        switch format {
        case "rss":
            return """
                <?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Bench News</title><link>https://bench.example.com/</link>
                """ + entries.joined(separator: "\n") + "</channel></rss>"
        case "rdf":
            return """
                <?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://bench.example.com/"><title>Bench RDF</title><link>https://bench.example.com/</link></channel>
                """ + entries.joined(separator: "\n") + "</rdf:RDF>"
        case "atom":
            return """
                <?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Bench Atom</title><link href="https://bench.example.com/"/><id>urn:bench</id><updated>2024-03-05T10:00:00Z</updated>
                """ + entries.joined(separator: "\n") + "</feed>"
        default:
            return
                #"{"version": "https://jsonfeed.org/version/1.1", "title": "Bench JSON", "home_page_url": "https://bench.example.com/", "items": ["#
                + entries.joined(separator: ",\n") + "]}"
        }
    }

    private static func entry(format: String, number: Int, text: String) -> String {
        let link = "https://bench.example.com/2024/03/\(number % 28 + 1)/story-\(number)"
        let title = "Story \(number): officials &amp; the port"
        switch format {
        case "rss":
            return """
                <item><title>\(title)</title><link>\(link)</link><guid isPermaLink="false">bench-\(number)</guid><pubDate>Tue, 05 Mar 2024 14:\(number % 60 < 10 ? "0" : "")\(number % 60):00 EST</pubDate><dc:creator>Reporter \(number % 7)</dc:creator><description>\(text.prefix(200))</description><content:encoded><![CDATA[<p>\(text)</p><p>\(text)</p>]]></content:encoded></item>
                """
        case "rdf":
            return """
                <item rdf:about="\(link)"><title>\(title)</title><link>\(link)</link><dc:date>2024-03-05T10:14:55+01:00</dc:date><dc:creator>Reporter \(number % 7)</dc:creator><description>\(text)</description></item>
                """
        case "atom":
            return """
                <entry><title type="html">\(title)</title><link rel="alternate" type="text/html" href="\(link)"/><id>tag:bench.example.com,2024:\(number)</id><published>2024-03-05T10:14:55Z</published><updated>2024-03-05T11:00:00Z</updated><author><name>Reporter \(number % 7)</name></author><summary>\(text.prefix(200))</summary><content type="html">&lt;p&gt;\(text)&lt;/p&gt;</content></entry>
                """
        default:
            return """
                {"id": "bench-\(number)", "url": "\(link)", "title": "Story \(number): officials & the port", "date_published": "2024-03-05T10:14:55Z", "authors": [{"name": "Reporter \(number % 7)"}], "summary": "\(text.prefix(200))", "content_html": "<p>\(text)</p>"}
                """
        }
    }

    /// Seconds a parse takes, by file name: the mean over as many parses as fill `seconds`.
    /// - Parameter fromFile: Whether each parse reads the file, or parses its bytes read before
    ///   (as the baselines do).
    static func measureParallax(_ files: [File], seconds: Double, fromFile: Bool) throws -> [String: Double] {
        var result: [String: Double] = [:]
        for file in files {
            // The path is made once: asking a URL for it each time cost a 1 KB parse a thirtieth.
            let path = file.url.path
            let document = try [UInt8](Data(contentsOf: file.url))
            let parse = {
                _ =
                    try fromFile
                    ? FeedParser.parse(file: path) : FeedParser.parse(document: document, name: path)
            }
            try parse()
            var rounds = 0
            let start = DispatchTime.now().uptimeNanoseconds
            var elapsed = 0.0
            repeat {
                try parse()
                rounds += 1
                elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            } while elapsed < seconds
            result[file.url.lastPathComponent] = elapsed / Double(rounds)
        }
        return result
    }

    /// The same for each Python parser that is installed, in one python3 process.
    static func measurePython(_ files: [File], seconds: Double, scratch: URL) -> [String: [String: Double]] {
        let script = """
            import importlib, json, sys, time
            limit = float(sys.argv[1]); results = {}
            for name in ("feedparser", "feedparser_rs"):
                try:
                    module = importlib.import_module(name)
                except Exception:
                    continue
                timings = {}
                for path in sys.argv[2:]:
                    data = open(path, "rb").read()
                    module.parse(data)
                    rounds, start = 0, time.perf_counter()
                    while True:
                        module.parse(data)
                        rounds += 1
                        elapsed = time.perf_counter() - start
                        if elapsed >= limit:
                            break
                    timings[path.rsplit("/", 1)[-1]] = elapsed / rounds
                results[name] = timings
            print(json.dumps(results))
            """
        let scriptURL = scratch.appendingPathComponent("baselines.py")
        guard (try? Data(script.utf8).write(to: scriptURL)) != nil else { return [:] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptURL.path, String(seconds)] + files.map(\.url.path)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return [:] }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (try? JSONDecoder().decode([String: [String: Double]].self, from: data)) ?? [:]
    }

    /// The peak resident set of this benchmark run again to parse one file, in MB.
    static func peakOfParsing(_ file: URL) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        process.arguments = ["feeds", "--measure-peak", file.path]
        let output = Pipe()
        process.standardOutput = output
        guard (try? process.run()) != nil else { return "?" }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func peakResidentMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return (line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0) / 1024
    }
}
