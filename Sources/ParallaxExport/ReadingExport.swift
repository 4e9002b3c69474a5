import Foundation
import ParallaxFiles
import ParallaxMarkup
import ParallaxStore

/// The files `parallax export` writes.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// JSON Lines: everything, read back by `import` without loss.
    case jsonl
    /// A folder of Markdown files with YAML front matter, one an article, and an index.
    case markdown
    /// One self-contained HTML page to read in any browser, offline.
    case html
    /// An EPUB 3 book for e-readers, one chapter an article.
    case epub
}

/// Writes a library, or the part a filter keeps, in one of the ``ExportFormat``s.
///
/// Every format is written beside its destination first and moved into place when complete,
/// so a destination holds the whole export or what it held before, never half of one.
public struct ReadingExport {
    /// The library to export.
    public let library: Library
    /// Only items that pass it; nil for all.
    public var filter: ((Item) -> Bool)?
    /// Also write removed items (JSON Lines only).
    public var includeDeleted = false
    /// The name of the collection in the HTML page and the EPUB book.
    public var title = "Parallax reading list"

    /// Prepares an export.
    public init(library: Library, filter: ((Item) -> Bool)? = nil) {
        self.library = library
        self.filter = filter
    }

    /// Writes the export to `path` (a file, or a folder for Markdown).
    ///
    /// An existing file or folder is replaced only when it is an earlier export of the same
    /// format; anything else there is left alone and the export refused.
    /// - Returns: How many items were written.
    /// - Throws: ``OutputFileError`` when the destination cannot take the
    ///   export; store errors.
    @discardableResult
    public func write(_ format: ExportFormat, to path: String) throws -> Int {
        var count = 0
        switch format {
        case .markdown: return try writeMarkdownFolder(at: path)
        case .jsonl: try Self.outputFile(format, at: path).write { count = try writeJSONLines(to: $0) }
        case .html: try Self.outputFile(format, at: path).write { count = try writeHTML(to: $0) }
        case .epub: try Self.outputFile(format, at: path).write { count = try writeEPUB(to: $0) }
        }
        return count
    }

    /// The file an export of `format` writes, which replaces only an earlier export of that format.
    static func outputFile(_ format: ExportFormat, at path: String) -> OutputFile {
        switch format {
        case .jsonl:
            // Only the marker counts: a user's JSON with `id` and `title`, or any other
            // minified object, looks like a record but is not ours to replace.
            OutputFile(path: path, kind: "a JSON Lines export") {
                $0.starts(with: Array(#"{"\#(Self.jsonLinesMarker)":"#.utf8))
            }
        case .html:
            OutputFile(path: path, kind: "an HTML export") { OutputFile.isPage($0, of: htmlGeneratorKind) }
        // Markdown is a folder and never comes here (see writeMarkdownFolder).
        case .epub, .markdown:
            OutputFile(path: path, kind: "an EPUB export") {
                $0.starts(with: [0x50, 0x4B, 0x03, 0x04])
                    && String(decoding: $0, as: UTF8.self).contains(Self.styleMark)
            }
        }
    }

    /// Writes JSON Lines to standard output or any handle, each record marked as this export's
    /// (``jsonLinesMarker``).
    @discardableResult
    public func writeJSONLines(to handle: FileHandle) throws -> Int {
        let encoder = Library.jsonEncoder()
        return try library.forEachRecord(includeDeleted: includeDeleted, filter: filter) { record in
            var line = try encoder.encode(MarkedRecord(record: record))
            line.append(0x0A)
            try handle.write(contentsOf: line)
        }
    }

    /// The key every JSON Lines record of an export starts with, holding the format's version:
    /// what tells a later `export -o` that a file is an earlier export it may replace. The
    /// underscore sorts it before the item's keys, so it opens the file however long the first
    /// record is; `import` ignores it, as it does every key it does not read.
    public static let jsonLinesMarker = "_parallax_export"
}

/// A JSON Lines record with the export's marker among its keys.
private struct MarkedRecord: Encodable {
    let record: ItemRecord

    private struct Marker: CodingKey {
        var stringValue: String { ReadingExport.jsonLinesMarker }
        var intValue: Int? { nil }
        init() {}
        init?(stringValue: String) { nil }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        var container = encoder.container(keyedBy: Marker.self)
        try container.encode(1, forKey: Marker())
    }
}

// MARK: - Files

extension ReadingExport {
    /// Opens a new file for streaming, as a typed error when that is not possible.
    func createFile(_ url: URL) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: url)
        else {
            throw OutputFileError.notWritable(
                path: url.deletingLastPathComponent().path, reason: "permission denied")
        }
        return handle
    }

    private func writeJSONLines(to url: URL) throws -> Int {
        let handle = try createFile(url)
        defer { try? handle.close() }
        let count = try writeJSONLines(to: handle)
        try handle.synchronize()
        return count
    }

    /// Writes the Markdown folder beside `path` and swaps it into place (see ``OutputFolder``:
    /// an Obsidian vault or a static site has an `index.md` too, and none of its files may be lost).
    private func writeMarkdownFolder(at path: String) throws -> Int {
        try OutputFolder(path: path, kind: "a Markdown export", markerName: Self.markdownMarkerName).write {
            try writeMarkdown(to: $0)
        }
    }
}

// MARK: - Text shared by the formats

extension ReadingExport {
    /// The name of the Markdown export's index.
    static let markdownIndexName = "index.md"
    /// The file that lists what a Markdown export wrote, so a later export replaces only that.
    static let markdownMarkerName = ".parallax-export"
    /// What the HTML export's generator tag names it (``OutputFile/generatorTag(_:)``).
    static let htmlGeneratorKind = "reading export"

    /// Escapes text for HTML and XHTML (see ``Markup/html(_:)``).
    static func escape(_ text: String) -> String { Markup.html(text) }

    /// An article's paragraphs as HTML, with its highlights marked where their words appear.
    static func paragraphsHTML(_ record: ItemRecord) -> String {
        guard !record.text.isEmpty else {
            let link =
                Markup.linkTarget(record.item.url).map { "<a href=\"\(escape($0))\">\(escape($0))</a>" }
                ?? escape(record.item.url ?? "")
            return "<p class=\"link\">A saved link, not fetched yet: \(link)</p>"
        }
        var quotes = record.highlights.map { escape($0.quote) }
        return record.text.components(separatedBy: "\n\n").map { paragraph in
            var html = escape(paragraph)
            quotes.removeAll { quote in
                guard let range = html.range(of: quote) else { return false }
                html.replaceSubrange(range, with: "<mark>\(quote)</mark>")
                return true
            }
            return paragraph.hasPrefix("- ") ? "<p class=\"item\">\(html)</p>" : "<p>\(html)</p>"
        }.joined(separator: "\n")
    }

    /// Highlights as quotes with their notes, under a heading.
    static func highlightsHTML(_ highlights: [Highlight], heading: String) -> String {
        guard !highlights.isEmpty else { return "" }
        var html = "<\(heading)>Highlights</\(heading)>\n"
        for highlight in highlights {
            html += "<blockquote><p>\(escape(highlight.quote))</p>"
            if let note = highlight.note { html += "<p class=\"note\">\(escape(note))</p>" }
            html += "</blockquote>\n"
        }
        return html
    }

    /// "By Mara Lindqvist · The Coastal Ledger · 2024-03-05" for an article's heading.
    static func metadataLine(_ item: Item) -> String {
        [item.byline.map { "By \($0)" }, item.source, item.published.map { String($0.prefix(10)) }]
            .compactMap { $0 }.joined(separator: " · ")
    }

    /// A file name made of a title's words: lower case, ASCII letters and digits, dashes.
    static func slug(_ title: String) -> String {
        let folded = title.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .lowercased()
        var slug = ""
        for scalar in folded.unicodeScalars {
            if scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar)) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.hasSuffix("-") && !slug.isEmpty {
                slug += "-"
            }
            if slug.count >= 60 { break }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "article" : slug
    }
}
