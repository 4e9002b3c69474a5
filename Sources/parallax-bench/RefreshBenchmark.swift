import ArgumentParser
import Foundation
import GRDB
import ParallaxFeeds
import ParallaxSimulation
import ParallaxStore

extension Bench {
    struct Refresh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Refresh a thousand feeds on one loopback server, a tenth of them changed.",
            discussion: """
                Target (issue 27): a refresh of 1,000 feeds, 100 of them changed and each bringing \
                5 entries with their whole text, in at most 15 s and 200 MB. The baseline is the \
                same refresh without the validators a fetch keeps (every feed sends its body), in \
                the same run: what conditional requests save. Each refresh runs in a process of its \
                own, which reports its peak resident set.
                """)

        @Option(help: "Feeds followed.") var feeds = 1_000
        @Option(help: "Feeds that changed since the last refresh.") var changed = 100
        @Option(help: "New entries in each changed feed.") var entries = 5
        @Option(help: .hidden) var child: String?

        func run() async throws {
            if let child { return try await Self.refreshOnce(library: child) }
            let scratch = try ScratchFolder()
            let generations = LockedValue([Int](repeating: 0, count: feeds))
            let server = try LocalHTTPServer.answering { request in
                Self.answer(request, generations: generations, entries: entries)
            }
            defer { server.stop() }
            let path = scratch.url.appendingPathComponent("library.sqlite").path
            let baselinePath = scratch.url.appendingPathComponent("baseline.sqlite").path
            print("Refreshing \(feeds) feeds on \(server.baseURL) (first fetch: \(entries) entries each)…")
            var first = Figures()
            for library in [path, baselinePath] {
                let created = try Library.create(at: library)
                for number in 0..<feeds { try created.follow(url: "\(server.baseURL)/feed/\(number).xml") }
                first = try Self.measure(library: library)
            }
            print("  first refresh:  " + first.line)
            generations.withLock { for number in 0..<changed { $0[number * (feeds / max(changed, 1))] += 1 } }
            // The baseline forgets every validator, so every feed sends its whole document.
            try Library.open(at: baselinePath).tables(of: .feeds).write("forget validators") { db in
                try db.execute(sql: "UPDATE feed_fetch SET etag = NULL, last_modified = NULL")
            }
            let measured = try Self.measure(library: path)
            let baseline = try Self.measure(library: baselinePath)
            print("")
            print(Ingest.row("refresh", "parallax", "baseline", "ratio", "target"))
            print(
                Ingest.row(
                    "refresh (s)", String(format: "%.2f", measured.seconds),
                    String(format: "%.2f", baseline.seconds),
                    String(format: "%.2f×", baseline.seconds / measured.seconds), "≤ 15 s"))
            print(
                Ingest.row(
                    "peak RSS (MB)", String(format: "%.0f", measured.peak),
                    String(format: "%.0f", baseline.peak), "", "≤ 200 MB"))
            print(
                Ingest.row(
                    "feed bytes", "\(measured.bytes)", "\(baseline.bytes)",
                    String(format: "%.1f×", Double(baseline.bytes) / Double(max(measured.bytes, 1))), ""))
            print("  measured: " + measured.line)
            print("  baseline: " + baseline.line)
            print("  bodies the 304s saved: \(measured.notModified) of \(measured.requests) requests")
        }

        /// A feed's document at its generation: each generation adds `entries` entries.
        static func answer(
            _ request: LocalHTTPServer.Request, generations: LockedValue<[Int]>, entries: Int
        ) -> LocalHTTPServer.Response {
            let parts = request.path.split(separator: "/")
            guard parts.count == 2, let number = Int(parts[1].dropLast(4)),
                let generation = generations.value.indices.contains(number) ? generations.value[number] : nil
            else { return .init(status: 404) }
            let etag = "\"\(number)-\(generation)\""
            if request.headers["if-none-match"] == etag { return .init(status: 304, contentType: nil) }
            var xml =
                "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">"
            xml += "<channel><title>Outlet \(number)</title><link>http://outlet\(number).example/</link>"
            for entry in (0..<(entries * (generation + 1))).reversed() {
                let text = Self.text(outlet: number, entry: entry)
                xml += "<item><guid>tag:outlet\(number).example,2026:\(entry)</guid>"
                xml +=
                    "<link>http://outlet\(number).example/\(entry)</link><title>Story \(entry) of outlet \(number)</title>"
                xml += "<pubDate>Mon, 07 Dec 2026 09:30:00 GMT</pubDate>"
                xml += "<content:encoded><![CDATA[\(text)]]></content:encoded></item>"
            }
            xml += "</channel></rss>"
            return .init(contentType: "application/rss+xml", body: Data(xml.utf8), headers: ["ETag": etag])
        }

        struct Figures {
            var seconds = 0.0
            var peak = 0.0
            var requests = 0
            var bytes = 0
            var notModified = 0
            var newArticles = 0
            var line: String {
                String(format: "%.2f s, %.0f MB peak", seconds, peak)
                    + ", \(requests) requests, \(bytes) bytes, \(notModified) unchanged (304), \(newArticles) new articles"
            }
        }

        static func measure(library path: String) throws -> Figures {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            process.arguments = ["refresh", "--child", path]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let fields = String(decoding: data, as: UTF8.self).split(separator: " ").compactMap {
                Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            guard fields.count == 6 else {
                throw ValidationError("the refresh failed: \(String(decoding: data, as: UTF8.self))")
            }
            return Figures(
                seconds: fields[0], peak: fields[1], requests: Int(fields[2]), bytes: Int(fields[3]),
                notModified: Int(fields[4]), newArticles: Int(fields[5]))
        }

        /// One refresh of every feed, timed, in this process.
        static func refreshOnce(library path: String) async throws {
            let library = try Library.open(at: path)
            let refresh = FeedRefresh(library: library)
            let start = Date()
            let summary = try await refresh.run(try refresh.feedsToFetch(all: true))
            let seconds = Date().timeIntervalSince(start)
            if !summary.problems.isEmpty {
                FileHandle.standardError.write(
                    Data((summary.problems.prefix(3).joined(separator: "\n") + "\n").utf8))
            }
            print(
                String(format: "%.3f %.1f", seconds, FeedCorpus.peakResidentMB())
                    + " \(summary.requests) \(summary.bytes) \(summary.notModified) \(summary.newArticles)")
        }

        /// An entry's whole text: 220 words, its own, in paragraphs.
        static func text(outlet: Int, entry: Int) -> String {
            var generator = SplitMix64(seed: UInt64(outlet * 100_003 + entry))
            var paragraphs: [String] = []
            for paragraph in 0..<4 {
                let chosen = (0..<55).map { _ in Self.words[Int(generator.next() % UInt64(Self.words.count))]
                }
                paragraphs.append(
                    "<p>Story \(entry) of outlet \(outlet), part \(paragraph): "
                        + chosen.joined(separator: " ") + ".</p>")
            }
            return paragraphs.joined()
        }

        static let words =
            ("the government said on monday that talks with the opposition would resume after the sanctions "
            + "were widened by officials in the capital while military leaders met ministers to discuss the "
            + "election the country and its forces the president told reporters a spokesman added").split(
                separator: " "
            ).map(String.init)
    }
}
