import Foundation
import ParallaxStore

/// The files `parallax import` reads.
public enum ImportFormat: String, CaseIterable, Sendable {
    /// JSON Lines, as `export --format jsonl` writes.
    case jsonl
    /// Pocket's CSV export: `title,url,time_added,cursor,tags,status`.
    case pocket
    /// Pocket's older HTML export: lists under "Unread" and "Read Archive".
    case pocketHTML = "pocket-html"
    /// Instapaper's CSV export: `URL,Title,Selection,Folder,Timestamp[,Tags]`.
    case instapaper
    /// Omnivore's export: a ZIP of `metadata_*.json` with `content/` and `highlights/`.
    case omnivore
    /// Wallabag's JSON export.
    case wallabag
    /// Omnivore's JSON export: an array of articles with labels, state and highlights.
    case omnivoreJSON = "omnivore-json"
    /// Pinboard's JSON export.
    case pinboard
    /// Readability's JSON export: `{"bookmarks": […]}`.
    case readability
    /// Firefox's JSON bookmark backup.
    case firefox
    /// The `Bookmarks` file of Chrome, Chromium, Edge and Brave.
    case chrome
    /// A browser's bookmarks file (the Netscape format every browser exports).
    case bookmarks
    /// One web address a line.
    case urls

    /// Tells the format of a file from its name and its first bytes; a JSON file from its
    /// content alone (the keys of its first entry, or of its top-level object).
    /// - Throws: ``IngestError/unknownFormat(name:)`` when nothing fits,
    ///   ``IngestError/unknownJSON(name:shape:)`` for JSON of no known export.
    public static func detect(path: String) throws -> ImportFormat {
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || path == "-" { return .jsonl }
        if lower.hasSuffix(".zip") { return .omnivore }
        let head = try headOf(path)
        if head.isEmpty { throw IngestError.empty(name: path) }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .omnivore }
        let text = String(decoding: head, as: UTF8.self).lowercased()
            .trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}")))
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r" }.replacingOccurrences(of: "\"", with: "")
        if firstLine.hasPrefix("title,url,time_added") { return .pocket }
        if firstLine.hasPrefix("url,title,selection,folder") { return .instapaper }
        if text.hasPrefix("[") { return try arrayFormat(path) }
        if text.hasPrefix("{") { return try objectFormat(path) }
        if text.contains("netscape-bookmark-file") { return .bookmarks }
        if text.hasPrefix("<") && (text.contains("pocket") || text.contains("read archive")) {
            return .pocketHTML
        }
        if text.hasPrefix("<") { return .bookmarks }
        let firstEntry = text.split(whereSeparator: \.isNewline).first { !$0.hasPrefix("#") }
        if let firstEntry, PageFetcher.isWebAddress(String(firstEntry)) { return .urls }
        throw IngestError.unknownFormat(name: path)
    }

    // MARK: - JSON

    /// The export an array is, from the keys of its first entry.
    private static func arrayFormat(_ path: String) throws -> ImportFormat {
        var reader = try JSONArrayReader(path: path)
        // An empty array imports nothing, whichever export it is.
        guard let first = reader.next() else { return .wallabag }
        guard case .success(let data) = first,
            let element = try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)
        else { throw IngestError.unknownJSON(name: path, shape: "a JSON array that does not parse") }
        guard let entry = element as? [String: Any] else {
            throw IngestError.unknownJSON(name: path, shape: "a JSON array of \(kind(of: element))")
        }
        let keys = Set(entry.keys)
        if keys.contains("href") { return .pinboard }
        if !keys.isDisjoint(with: ["slug", "savedAt", "readingProgress", "labels"]) { return .omnivoreJSON }
        if !keys.isDisjoint(with: ["is_archived", "is_starred", "created_at", "annotations", "content"]) {
            return .wallabag
        }
        throw IngestError.unknownJSON(name: path, shape: "a JSON array of objects with \(describe(keys))")
    }

    /// The export an object is, from its top-level keys, read as a stream: a browser's bookmarks
    /// or Readability's export are told by a key near the top, whatever follows. An object with
    /// more after it is JSON Lines; one alone is JSON Lines only when it holds an article.
    private static func objectFormat(_ path: String) throws -> ImportFormat {
        var reader = try JSONEventReader(path: path)
        var keys: Set<String> = []
        do {
            _ = try reader.next()
            while case .key(let key)? = try reader.next() {
                if keys.count < 100 { keys.insert(key) }
                guard let value = try reader.next() else { break }
                switch (key, value) {
                case ("roots", .objectStart): return .chrome
                case ("type", .string("text/x-moz-place-container")): return .firefox
                default: try reader.skip(value)
                }
            }
        } catch let failure as JSONEventReader.Failure {
            let shape =
                switch failure {
                case .malformed(let offset): "a JSON document that does not parse (at byte \(offset))"
                case .truncated: "a JSON document that ends too soon"
                }
            throw IngestError.unknownJSON(name: path, shape: shape)
        }
        if reader.hasMoreAfterDocument() || !keys.isDisjoint(with: ["url", "text"]) { return .jsonl }
        if keys.contains("bookmarks") { return .readability }
        throw IngestError.unknownJSON(name: path, shape: "a JSON object with \(describe(keys))")
    }

    /// "keys a, b, c", at most eight of them.
    private static func describe(_ keys: Set<String>) -> String {
        let sorted = keys.sorted()
        return "keys " + sorted.prefix(8).joined(separator: ", ") + (sorted.count > 8 ? ", …" : "")
    }

    private static func kind(of value: Any) -> String {
        switch value {
        case is String: "strings"
        case is NSNumber: "numbers"
        case is [Any]: "arrays"
        default: "nulls"
        }
    }

    private static func headOf(_ path: String) throws -> Data {
        let handle = try TextInput.open(path: path)
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 4096)) ?? Data()
    }
}

/// What a bulk import did.
public struct ImportSummary: Sendable, Equatable {
    /// Articles stored as new items.
    public var saved = 0
    /// Articles already in the library (or, with force, updated in place).
    public var duplicates = 0
    /// Existing items that took the record's fields (with force).
    public var updated = 0
    /// Records skipped on purpose: blank lines and deleted records.
    public var skipped = 0
    /// Records that failed, each with its message.
    public var failures: [String] = []
    /// Items named by the file that are links without text yet, for ``LinkFetch``.
    public var unfetched: [String] = []
}

/// One record of an import file: where it is (a line number, or words such as "entry 3"),
/// and its draft, nil to skip it, or its error.
struct ImportRecord {
    var location: String
    var draft: Result<ItemDraft?, any Error>
}

/// Imports a reading list or an article archive in one pass, in bounded memory: records are
/// read lazily and saved in batches, each record all or nothing. Records whose address or text
/// the library has are skipped, so an interrupted import can simply be run again.
public struct ReadingListImporter {
    /// The file, or `-` for standard input (JSON Lines only).
    public let path: String
    /// The file's format.
    public let format: ImportFormat
    /// Store records that duplicate an item as a new version of it.
    public var force = false
    /// How far the file has been read; nil for standard input, whose length is unknown.
    public let reading: ReadProgress?

    /// Prepares an import.
    /// - Parameters:
    ///   - path: The file.
    ///   - format: Its format; nil to tell it from the file.
    ///   - force: As for ``Library/add(_:force:)``.
    /// - Throws: ``IngestError`` when the file is missing or its format cannot be told.
    public init(path: String, format: ImportFormat? = nil, force: Bool = false) throws {
        self.path = path
        self.format = try format ?? ImportFormat.detect(path: path)
        self.force = force
        let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber
        reading = path == "-" ? nil : size.map { ReadProgress(totalBytes: $0.int64Value) }
    }

    /// Reads the file into the library; a bad record is reported and the rest carry on.
    /// - Parameters:
    ///   - library: Where to save.
    ///   - progress: Called after each record with the number done and the summary so far.
    /// - Throws: ``IngestError`` when the file cannot be read at all; store errors that stop the import.
    public func run(into library: Library, progress: (Int, ImportSummary) -> Void = { _, _ in }) throws
        -> ImportSummary
    {
        let name = path == "-" ? "standard input" : path
        let records = try ReadProgress.$current.withValue(reading) { try recordIterator(name: name) }
        // The library reads the drafts on a thread of its own while it reports outcomes here,
        // so what both sides touch is behind a lock.
        struct Tally {
            var summary = ImportSummary()
            /// Where each record pulled but not yet saved came from; entries leave as they are reported.
            var locations: [Int: String] = [:]
            var pulled = 0
        }
        let tally = LockedValue(Tally())
        let drafts = AnySequence {
            AnyIterator { () -> Result<ItemDraft, any Error>? in
                while let record = records.next() {
                    let draft: Result<ItemDraft, any Error>
                    switch record.draft {
                    case .success(nil):
                        tally.withLock { $0.summary.skipped += 1 }
                        continue
                    case .success(let found?): draft = .success(found)
                    case .failure(let error): draft = .failure(error)
                    }
                    tally.withLock { tally in
                        tally.locations[tally.pulled] = record.location
                        tally.pulled += 1
                    }
                    return draft
                }
                return nil
            }
        }
        var done = 0
        try library.add(contentsOf: drafts, force: force) { index, outcome in
            let summary = tally.withLock { tally in
                let location = tally.locations.removeValue(forKey: index) ?? "\(index + 1)"
                switch outcome {
                case .success(.added(let item)):
                    tally.summary.saved += 1
                    if item.wordCount == 0 { tally.summary.unfetched.append(item.id) }
                case .success(.duplicate(let item, _)):
                    tally.summary.duplicates += 1
                    if item.wordCount == 0 { tally.summary.unfetched.append(item.id) }
                case .success(.updated): tally.summary.updated += 1
                case .failure(let error):
                    let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                    // Line numbers read as compilers print them (file:12:), so editors can jump there.
                    let place = Int(location) != nil ? "\(name):\(location):" : "\(name): \(location):"
                    tally.summary.failures.append(
                        message.hasPrefix("\(name):") ? message : "\(place) \(message)")
                }
                return tally.summary
            }
            done += 1
            progress(done, summary)
        }
        return tally.value.summary
    }

    private func recordIterator(name: String) throws -> AnyIterator<ImportRecord> {
        switch format {
        case .jsonl: try ImportRecords.jsonLines(path: path, name: name)
        case .pocket: try ImportRecords.pocketCSV(path: path)
        case .instapaper: try ImportRecords.instapaperCSV(path: path)
        case .pocketHTML, .bookmarks: try ImportRecords.linkList(path: path)
        case .wallabag: try ImportRecords.wallabag(path: path)
        case .omnivore: try ImportRecords.omnivore(path: path)
        case .omnivoreJSON: try ImportRecords.omnivoreJSON(path: path)
        case .pinboard: try ImportRecords.pinboard(path: path)
        case .readability: try ImportRecords.readability(path: path)
        case .firefox: try ImportRecords.firefoxBackup(path: path)
        case .chrome: try ImportRecords.chromeBookmarks(path: path)
        case .urls: try ImportRecords.urlList(path: path)
        }
    }
}
