import Foundation
import ParallaxMarkup
import ParallaxStore

// MARK: - Pocket and Instapaper (CSV)

extension ImportRecords {
    /// Pocket's CSV: `title,url,time_added,cursor,tags,status`, tags separated by `|`.
    static func pocketCSV(path: String) throws -> AnyIterator<ImportRecord> {
        try csv(path: path, required: ["url"]) { row in
            var draft = try link(url: row["url"] ?? "", title: row["title"])
            draft.saved = try ImportDate.count(row["time_added"], field: "time_added")
            draft.tags = tags((row["tags"] ?? "").split(separator: "|").map(String.init))
            if row["status"]?.lowercased() == "archive" { markArchived(&draft) }
            return draft
        }
    }

    /// Instapaper's CSV: `URL,Title,Selection,Folder,Timestamp`, and `Tags` in newer exports.
    /// "Archive" archives, "Starred" stars, and other folders become tags; a selection is kept
    /// as a highlight.
    static func instapaperCSV(path: String) throws -> AnyIterator<ImportRecord> {
        try csv(path: path, required: ["url"]) { row in
            var draft = try link(url: row["url"] ?? "", title: row["title"])
            draft.saved = try ImportDate.count(row["timestamp"], field: "Timestamp")
            var names = instapaperTags(row["tags"] ?? "")
            switch row["folder"]?.trimmingCharacters(in: .whitespaces) ?? "" {
            case "", "Unread": break
            case "Archive": markArchived(&draft)
            case "Starred": draft.favorite = true
            case let folder: names.append(folder)
            }
            draft.tags = tags(names)
            if let selection = row["selection"]?.trimmingCharacters(in: .whitespacesAndNewlines),
                !selection.isEmpty
            {
                draft.highlights = [HighlightDraft(quote: selection, created: draft.saved)]
            }
            return draft
        }
    }

    /// Instapaper writes tags as a JSON array, older tools as a comma-separated list.
    private static func instapaperTags(_ text: String) -> [String] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("["),
            let names = try? JSONDecoder().decode([String].self, from: Data(trimmed.utf8))
        {
            return names
        }
        return trimmed.split(separator: ",").map(String.init)
    }

    /// Rows of a CSV file with a header, as dictionaries keyed by lower-case column names.
    private static func csv(
        path: String, required: [String], draft: @escaping ([String: String]) throws -> ItemDraft
    ) throws -> AnyIterator<ImportRecord> {
        var reader = try CSVReader(path: path)
        guard case .success(let header)? = reader.next() else { throw IngestError.empty(name: path) }
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for column in required where !columns.contains(column) {
            throw IngestError.invalidRecord(
                name: path, line: 1, reason: "the header has no '\(column)' column")
        }
        return AnyIterator {
            guard let record = reader.next() else { return nil }
            let location = "\(reader.lineNumber)"
            switch record {
            case .failure(.unclosedQuote):
                return ImportRecord(
                    location: location,
                    draft: .failure(ImportRecordError.malformed("a quoted field never ends")))
            case .failure(.tooLong):
                return ImportRecord(
                    location: location,
                    draft: .failure(
                        ImportRecordError.malformed(
                            "the record is over the \(LineReader.maximumLineBytes >> 20) MiB a record may hold"
                        )))
            case .success(let fields):
                if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                    return ImportRecord(location: location, draft: .success(nil))
                }
                // Trailing empty fields are harmless; a missing or extra value shifts every column.
                guard fields.count >= columns.count, fields.dropFirst(columns.count).allSatisfy(\.isEmpty)
                else {
                    return ImportRecord(
                        location: location,
                        draft: .failure(
                            ImportRecordError.malformed(
                                "\(fields.count) fields where the header has \(columns.count)")))
                }
                let row = Dictionary(zip(columns, fields), uniquingKeysWith: { first, _ in first })
                return ImportRecord(location: location, draft: Result { try draft(row) })
            }
        }
    }
}

// MARK: - Pocket's HTML and browsers' bookmarks

extension ImportRecords {
    /// Folders every browser has, which say nothing about a bookmark.
    static let rootFolders: Set<String> = [
        "bookmarks", "bookmarks bar", "bookmarks toolbar", "bookmarks menu", "other bookmarks",
        "mobile bookmarks", "favorites bar", "favourites bar", "toolbar", "menu", "unsorted bookmarks",
        "unread", "read archive",
    ]

    /// Links of a Netscape bookmarks file or Pocket's HTML export: each `<a href>` with its
    /// `add_date`/`time_added` and `tags`; the folder heading above it becomes a tag, and
    /// Pocket's "Read Archive" heading archives.
    static func linkList(path: String) throws -> AnyIterator<ImportRecord> {
        let data = try TextInput.readData(path: path)
        // A bookmarks file is all links: its size (at most 50 MiB) bounds it, not a page's node limit.
        let document = HTMLDocument(html: PageDecoder.decode(data).text, maximumNodes: .max)
        var heading: String?
        var number = 0
        var records: [ImportRecord] = []
        for node in document.root.descendants(named: ["a", "h1", "h2", "h3"]) {
            guard node.name == "a" else {
                heading = TextScan.collapsingWhitespace(node.textContent)
                continue
            }
            number += 1
            guard let href = node["href"], !href.lowercased().hasPrefix("place:"),
                !href.lowercased().hasPrefix("javascript:")
            else { continue }
            let title = TextScan.collapsingWhitespace(node.textContent)
            records.append(
                ImportRecord(
                    location: "link \(number)",
                    draft: Result {
                        var draft = try link(url: href, title: title)
                        let field = node["time_added"] == nil ? "add_date" : "time_added"
                        draft.saved = try ImportDate.count(node[field], field: field)
                        var names = (node["tags"] ?? "").split(separator: ",").map(String.init)
                        if let heading, !rootFolders.contains(heading.lowercased()) { names.append(heading) }
                        draft.tags = tags(names)
                        if heading?.lowercased() == "read archive" { markArchived(&draft) }
                        return draft
                    }))
        }
        return AnyIterator(records.makeIterator())
    }
}
