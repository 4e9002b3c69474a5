import Foundation
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

/// Why an export could not be written.
public enum ExportError: Error, Equatable, Sendable {
    /// The destination exists and is not something an export may replace.
    case destinationInUse(path: String, reason: String)
    /// The destination cannot be written.
    case notWritable(path: String, reason: String)
}

extension ExportError: LocalizedError {
    /// One line naming the destination.
    public var errorDescription: String? {
        switch self {
        case .destinationInUse(let path, let reason): "\(path): \(reason)"
        case .notWritable(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
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
    /// - Returns: How many items were written.
    /// - Throws: ``ExportError`` when the destination cannot take the export; store errors.
    @discardableResult
    public func write(_ format: ExportFormat, to path: String) throws -> Int {
        let destination = URL(fileURLWithPath: path)
        let staging = destination.deletingLastPathComponent().appendingPathComponent(
            ".\(destination.lastPathComponent).partial-\(UUID().uuidString.prefix(8))")
        try checkDestination(destination, format: format)
        do {
            let count: Int
            switch format {
            case .jsonl: count = try writeJSONLines(to: staging)
            case .markdown: count = try writeMarkdown(to: staging)
            case .html: count = try writeHTML(to: staging)
            case .epub: count = try writeEPUB(to: staging)
            }
            try moveIntoPlace(staging, destination)
            return count
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }

    /// Writes JSON Lines to standard output or any handle.
    @discardableResult
    public func writeJSONLines(to handle: FileHandle) throws -> Int {
        try library.exportJSONLines(includeDeleted: includeDeleted, filter: filter) {
            try handle.write(contentsOf: $0)
        }
    }
}

// MARK: - Files

extension ReadingExport {
    /// Opens a new file for streaming, as a typed error when that is not possible.
    func createFile(_ url: URL) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: url)
        else {
            throw ExportError.notWritable(
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

    private func checkDestination(_ destination: URL, format: ExportFormat) throws {
        var isDirectory: ObjCBool = false
        let parent = destination.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw ExportError.notWritable(path: destination.path, reason: "no folder \(parent)")
        }
        guard FileManager.default.fileExists(atPath: destination.path, isDirectory: &isDirectory) else {
            return
        }
        switch (format, isDirectory.boolValue) {
        case (.markdown, true):
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: destination.path)) ?? []
            // Replace only an earlier export: never a folder of the reader's own files.
            if !contents.isEmpty && !contents.contains(Self.markdownIndexName) {
                throw ExportError.destinationInUse(
                    path: destination.path, reason: "the folder has other files; choose a new or empty folder"
                )
            }
        case (.markdown, false):
            throw ExportError.destinationInUse(
                path: destination.path, reason: "a file; Markdown is written to a folder")
        case (_, true):
            throw ExportError.destinationInUse(path: destination.path, reason: "a folder; give a file name")
        case (_, false):
            return
        }
    }

    private func moveIntoPlace(_ staging: URL, _ destination: URL) throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: destination.path) else {
            try manager.moveItem(at: staging, to: destination)
            return
        }
        let previous = destination.deletingLastPathComponent().appendingPathComponent(
            ".\(destination.lastPathComponent).previous-\(UUID().uuidString.prefix(8))")
        try manager.moveItem(at: destination, to: previous)
        do {
            try manager.moveItem(at: staging, to: destination)
        } catch {
            try? manager.moveItem(at: previous, to: destination)
            throw error
        }
        try? manager.removeItem(at: previous)
    }
}

// MARK: - Text shared by the formats

extension ReadingExport {
    /// The name of the Markdown export's index, which also marks a folder as an export.
    static let markdownIndexName = "index.md"

    /// Escapes text for HTML and XHTML, dropping control characters XML does not allow.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// An article's paragraphs as HTML, with its highlights marked where their words appear.
    static func paragraphsHTML(_ record: ItemRecord) -> String {
        guard !record.text.isEmpty else {
            let link = record.item.url.map { "<a href=\"\(escape($0))\">\(escape($0))</a>" } ?? ""
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
