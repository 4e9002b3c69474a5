import Foundation
import ParallaxIngest
import ParallaxStore

/// A reading-list import the size Pocket and Omnivore users arrive with: rows per second and the
/// memory it takes, for a Pocket CSV beside the same links as JSON Lines.
struct ImportBenchmark {
    let rows: Int

    struct Result {
        var csvSeconds = 0.0
        var jsonlSeconds = 0.0
        var residentGrowthMB = 0.0
        var saved = 0
    }

    func run() throws -> Result {
        let scratch = try ScratchFolder()
        let csv = scratch.url.appendingPathComponent("pocket.csv")
        let jsonl = scratch.url.appendingPathComponent("links.jsonl")
        try write(csv: csv, jsonl: jsonl)
        var result = Result()
        let before = Self.residentMB()
        let csvLibrary = try Library.create(at: scratch.url.appendingPathComponent("csv.sqlite").path)
        var start = DispatchTime.now().uptimeNanoseconds
        let summary = try ReadingListImporter(path: csv.path).run(into: csvLibrary)
        result.csvSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        result.residentGrowthMB = Self.residentMB() - before
        result.saved = summary.saved
        let jsonlLibrary = try Library.create(at: scratch.url.appendingPathComponent("jsonl.sqlite").path)
        start = DispatchTime.now().uptimeNanoseconds
        _ = try ReadingListImporter(path: jsonl.path).run(into: jsonlLibrary)
        result.jsonlSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return result
    }

    private func write(csv: URL, jsonl: URL) throws {
        var csvText = "title,url,time_added,cursor,tags,status\n"
        var jsonlText = ""
        var random = SplitMix64(seed: 5)
        for row in 0..<rows {
            let url =
                "https://outlet\(random.next() % 40).example.com/news/\(row)/story-\(random.next() % 1000)?utm_source=pocket"
            let title = "Story number \(row), about \(["ports", "sanctions", "weather", "budget"][row % 4])"
            let tags = row % 3 == 0 ? "news|later" : ""
            csvText +=
                "\"\(title)\",\(url),\(1_600_000_000 + row),,\(tags),\(row % 5 == 0 ? "archive" : "unread")\n"
            jsonlText += "{\"url\":\"\(url)\",\"title\":\"\(title)\"}\n"
        }
        try Data(csvText.utf8).write(to: csv)
        try Data(jsonlText.utf8).write(to: jsonl)
    }

    /// The resident set now, from /proc: unlike the peak, it shows whether memory stayed bounded.
    static func residentMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0
        return kilobytes / 1024
    }
}
