import Foundation
import ParallaxFiles
import ParallaxFraming
import ParallaxStore

/// The library as a dataset for an analysis engine (DuckDB, Spark, Trino): newline-delimited
/// JSON files of items, events and each article's term counts, documented in docs/dataset.md.
///
/// Items are read one at a time and each line is written as it is made, so memory holds one
/// article and a summary line per event, however large the library.
public struct DatasetExport {
    /// The dataset layout's version, in `manifest.json`; it changes when a field changes meaning.
    public static let version = 1
    /// The file that lists what a dataset folder holds, so a later export replaces only that.
    public static let markerName = ".parallax-dataset"

    /// The library to export.
    public let library: Library
    /// How articles are grouped into events, when the stored grouping is not current.
    public var events: LibraryEvents

    /// What an export wrote.
    public struct Summary: Codable, Hashable, Sendable {
        /// Lines of `items.jsonl` and of `terms.jsonl`.
        public var items = 0
        /// Lines of `events.jsonl`.
        public var events = 0
        /// Term counts over all articles (lines of `terms` lists).
        public var terms = 0
    }

    /// Prepares an export.
    public init(library: Library) {
        self.library = library
        events = LibraryEvents(library: library)
    }

    /// Writes the dataset folder at `path` (see ``OutputFolder``).
    /// - Parameter progress: Called with the number of items written so far.
    /// - Throws: ``OutputFileError`` for the destination; store errors.
    public func write(to path: String, progress: (Int) -> Void = { _ in }) throws -> Summary {
        let grouping = try events.automaticGrouping()
        return try OutputFolder(path: path, kind: "a dataset", markerName: Self.markerName).write { folder in
            try write(into: folder, grouping: grouping, progress: progress)
        }
    }
}

// MARK: - Lines

private extension DatasetExport {
    /// One line of `items.jsonl`: an item's metadata, its event, and its token count.
    struct ItemLine: Encodable {
        let id: String, title: String, url: String?, source: String?, byline: String?
        let published: String?, saved: String, language: String?
        let words: Int, tokens: Int, event: String?, eventCorrected: Bool
        let readingState: String, archived: Bool, favorite: Bool, tags: [String]

        enum CodingKeys: String, CodingKey {
            case id, title, url, source, byline, published, saved, language, words, tokens, event
            case archived, favorite, tags
            case eventCorrected = "event_corrected"
            case readingState = "reading_state"
        }
    }

    /// One line of `terms.jsonl`: an article's unigram and bigram counts.
    struct TermsLine: Encodable {
        let item: String
        let tokens: Int
        let terms: [TermCount]
    }

    struct TermCount: Encodable {
        let term: String
        let count: Int
    }

    /// One line of `events.jsonl`.
    struct EventLine: Encodable {
        let id: String
        var articles: Int
        var sources: [String]
        var first: String
        var last: String
    }

    struct Manifest: Encodable {
        let format = "parallax-dataset"
        let version = DatasetExport.version
        let libraryVersion: Int
        let files = ["items.jsonl", "events.jsonl", "terms.jsonl"]
        let summary: Summary

        enum CodingKeys: String, CodingKey {
            case format, version, files, summary
            case libraryVersion = "library_version"
        }
    }

    func write(into folder: URL, grouping: [String: String], progress: (Int) -> Void) throws -> Summary {
        let encoder = Library.jsonEncoder()
        let items = try LineFile(folder.appendingPathComponent("items.jsonl"))
        let terms = try LineFile(folder.appendingPathComponent("terms.jsonl"))
        var events: [String: (line: EventLine, sources: Set<String>)] = [:]
        var summary = Summary()
        try library.forEachRecord { record in
            let item = record.item
            let event = item.wordCount > 0 ? item.event ?? grouping[item.id] ?? item.id : item.event
            let counted = TermCounts.of(item.title + "\n" + record.text)
            try items.append(
                encoder.encode(
                    ItemLine(
                        id: item.id, title: item.title, url: item.url, source: item.source,
                        byline: item.byline,
                        published: item.published, saved: item.saved, language: item.language,
                        words: item.wordCount, tokens: counted.tokens, event: event,
                        eventCorrected: item.event != nil, readingState: item.readingState.rawValue,
                        archived: item.archived, favorite: item.favorite, tags: item.tags)))
            try terms.append(
                encoder.encode(
                    TermsLine(
                        item: item.id, tokens: counted.tokens,
                        terms: counted.terms.sorted { $0.key < $1.key }.map {
                            TermCount(term: $0.key, count: $0.value)
                        }
                    )))
            summary.items += 1
            summary.terms += counted.terms.count
            if let event {
                let date = String((item.published ?? item.saved).prefix(10))
                var entry =
                    events[event] ?? (
                        EventLine(id: event, articles: 0, sources: [], first: date, last: date), []
                    )
                entry.line.articles += 1
                entry.line.first = min(entry.line.first, date)
                entry.line.last = max(entry.line.last, date)
                if let source = item.source { entry.sources.insert(source) }
                events[event] = entry
            }
            progress(summary.items)
        }
        try items.close()
        try terms.close()
        let eventFile = try LineFile(folder.appendingPathComponent("events.jsonl"))
        for entry in events.values.sorted(by: { $0.line.id < $1.line.id }) {
            var line = entry.line
            line.sources = entry.sources.sorted()
            try eventFile.append(encoder.encode(line))
        }
        try eventFile.close()
        summary.events = events.count
        let manifest = Manifest(libraryVersion: try library.statistics().version, summary: summary)
        try Library.jsonEncoder(pretty: true).encode(manifest).write(
            to: folder.appendingPathComponent("manifest.json"))
        return summary
    }
}

/// A file written a line at a time through a buffer, so a million lines cost a few hundred writes.
private final class LineFile {
    private let handle: FileHandle
    private var buffer = Data()

    init(_ url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw OutputFileError.notWritable(path: url.path, reason: "the file could not be created")
        }
        handle = try FileHandle(forWritingTo: url)
    }

    func append(_ line: Data) throws {
        buffer.append(line)
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func close() throws {
        try flush()
        try handle.synchronize()
        try handle.close()
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
