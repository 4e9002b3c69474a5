import Foundation
import ParallaxStore

// MARK: - Arrays of entries: Omnivore's JSON, Pinboard, Readability

extension ImportRecords {
    /// The entries of a JSON array, one at a time, each made a draft by `draft`.
    /// - Parameter key: The top-level key whose value is the array, when the array is not the
    ///   whole document (Readability's `{"bookmarks": […]}`).
    static func jsonEntries(
        path: String, key: String? = nil, format: String, draft: @escaping (JSONEntry) throws -> ItemDraft?
    ) throws -> AnyIterator<ImportRecord> {
        var reader = try JSONArrayReader(path: path, key: key)
        return AnyIterator {
            guard let element = reader.next() else { return nil }
            let location = "entry \(reader.elementNumber)"
            switch element {
            case .failure(let error):
                let (reason, number): (String, Int?) =
                    switch error {
                    case .notAnArray: ("not a \(format) export (a JSON array of entries)", nil)
                    case .truncated(let element): ("the file ends inside this entry", element)
                    case .elementTooLarge(let element): ("the entry is larger than 64 MiB", element)
                    }
                return ImportRecord(
                    location: number.map { "entry \($0)" } ?? location,
                    draft: .failure(ImportRecordError.malformed(reason)))
            case .success(let data):
                return ImportRecord(location: location, draft: Result { try draft(JSONEntry(data)) })
            }
        }
    }

    /// Omnivore's JSON export: the entries of its ZIP's metadata files, with highlights inline.
    static func omnivoreJSON(path: String) throws -> AnyIterator<ImportRecord> {
        try jsonEntries(path: path, format: "Omnivore") { entry in
            guard var draft = try omnivoreDraft(entry) else { return nil }
            draft.highlights = try omnivoreInlineHighlights(entry)
            return draft
        }
    }

    /// Pinboard's JSON export: `href`, `description` (the title), `extended` (a note), `time`,
    /// `tags` separated by spaces, `toread` (`yes` is unread, `no` read).
    static func pinboard(path: String) throws -> AnyIterator<ImportRecord> {
        try jsonEntries(path: path, format: "Pinboard") { entry in
            var draft = try link(url: try entry.required("href"), title: try entry.string("description"))
            draft.note = try entry.string("extended")
            draft.saved = try entry.date("time")
            draft.tags = tags(
                (try entry.string("tags") ?? "").split(whereSeparator: \.isWhitespace).map(String.init))
            // An entry without the flag is taken as saved to read, the state a new item has.
            draft.readingState = try entry.flag("toread", absent: true) ? .unread : .read
            return draft
        }
    }

    /// Readability's JSON export: `{"bookmarks": […]}` with `article__url`, `article__title`,
    /// `article__excerpt` (kept as the note), `favorite`, `archive`, `date_added`.
    static func readability(path: String) throws -> AnyIterator<ImportRecord> {
        try jsonEntries(path: path, key: "bookmarks", format: "Readability") { entry in
            var draft = try link(
                url: try entry.required("article__url"), title: try entry.string("article__title"))
            draft.note = try entry.string("article__excerpt")
            draft.saved = try entry.date("date_added")
            draft.favorite = try entry.flag("favorite")
            if try entry.flag("archive") { markArchived(&draft) }
            return draft
        }
    }

    /// Omnivore's fields, shared by its ZIP and JSON exports: title, author, url, description
    /// (kept as the note), state, labels, dates and reading progress.
    /// - Returns: nil for an entry deleted in Omnivore.
    static func omnivoreDraft(_ entry: JSONEntry) throws -> ItemDraft? {
        let state = try entry.string("state")?.lowercased()
        if state == "deleted" { return nil }
        var draft = try link(url: try entry.required("url"), title: try entry.string("title"))
        draft.byline = try entry.string("author")
        draft.note = try entry.string("description")
        draft.saved = try entry.date("savedAt")
        draft.published = try entry.publicationDate("publishedAt")
        draft.tags = tags(try entry.names("labels"))
        if state == "archived" { markArchived(&draft) }
        if let percent = try entry.number("readingProgress"), percent > 0, draft.readingState != .read {
            draft.progress = min(1, percent / 100)
            draft.readingState = percent >= 100 ? .read : .reading
        }
        return draft
    }

    /// Highlights written inline: `quote`, `annotation` (the note), `createdAt`; notes on the
    /// whole page carry no quote and are left out.
    private static func omnivoreInlineHighlights(_ entry: JSONEntry) throws -> [HighlightDraft] {
        guard let list = entry.fields["highlights"], !(list is NSNull) else { return [] }
        guard let highlights = list as? [[String: Any]] else {
            throw ImportRecordError.malformed("the field highlights holds no list of highlights")
        }
        return try highlights.compactMap { fields in
            let highlight = JSONEntry(fields: fields)
            guard let quote = try highlight.string("quote") else { return nil }
            return HighlightDraft(
                quote: quote, note: try highlight.string("annotation"),
                created: try highlight.date("createdAt"))
        }
    }
}
