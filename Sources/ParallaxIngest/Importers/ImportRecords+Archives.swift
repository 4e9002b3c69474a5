import Foundation
import ParallaxStore
import ZIPFoundation

// MARK: - Wallabag

extension ImportRecords {
    /// Wallabag's JSON export: an array of entries with their HTML `content`, `tags`,
    /// `is_archived`, `is_starred`, dates, authors and `annotations`. Read one entry at a time.
    static func wallabag(path: String) throws -> AnyIterator<ImportRecord> {
        try jsonEntries(path: path, format: "Wallabag", draft: wallabagEntry)
    }

    /// Read field by field as the other JSON exports are: a field of the wrong type, a date
    /// that is none, a flag that is neither yes nor no, fail the entry rather than being
    /// dropped or guessed.
    private static func wallabagEntry(_ entry: JSONEntry) throws -> ItemDraft {
        var draft = try link(url: try entry.required("url"), title: try entry.string("title"))
        let content = try entry.string("content") ?? ""
        // Wallabag stores this sentence as the content of pages it could not fetch.
        if !content.contains("can't retrieve contents for this article") {
            draft.text = try text(ofArticleHTML: content)
        }
        draft.saved = try entry.date("created_at")
        draft.published = try entry.publicationDate("published_at")
        let authors = try entry.names("published_by")
        draft.byline = authors.isEmpty ? nil : authors.joined(separator: ", ")
        draft.language = try entry.string("language").flatMap {
            $0.split(separator: "_").first.map(String.init)
        }
        draft.tags = tags(try entry.names("tags"))
        if try entry.flag("is_archived") { markArchived(&draft) }
        draft.favorite = try entry.flag("is_starred")
        draft.highlights = try wallabagAnnotations(entry)
        return draft
    }

    /// Annotations with a quote become highlights, their `text` the note; notes without a quote
    /// have no place in the text and are left out.
    private static func wallabagAnnotations(_ entry: JSONEntry) throws -> [HighlightDraft] {
        guard let list = entry.fields["annotations"], !(list is NSNull) else { return [] }
        guard let annotations = list as? [[String: Any]] else {
            throw ImportRecordError.malformed("the field annotations holds no list of annotations")
        }
        return try annotations.compactMap { fields in
            let annotation = JSONEntry(fields: fields)
            guard let quote = try annotation.string("quote") else { return nil }
            return HighlightDraft(
                quote: quote, note: try annotation.string("text"), created: try annotation.date("created_at"))
        }
    }
}

// MARK: - Omnivore

extension ImportRecords {
    /// Omnivore's export: a ZIP holding `metadata_*.json` arrays (title, author, url, state,
    /// readingProgress, labels, savedAt, publishedAt), the article HTML in `content/SLUG.html`
    /// and highlights in `highlights/SLUG.md`. One metadata file is read at a time.
    static func omnivore(path: String) throws -> AnyIterator<ImportRecord> {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw IngestError.invalidFile(name: path, reason: "not a readable ZIP archive")
        }
        let metadataFiles = archive.filter {
            let name = ($0.path as NSString).lastPathComponent
            return name.hasPrefix("metadata_") && name.hasSuffix(".json")
        }.map(\.path).sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        guard !metadataFiles.isEmpty else {
            throw IngestError.invalidFile(name: path, reason: "no metadata_*.json in the archive")
        }
        var files = metadataFiles.makeIterator()
        var pending: [ImportRecord] = []
        return AnyIterator {
            while pending.isEmpty {
                guard let file = files.next() else { return nil }
                pending = omnivoreRecords(in: file, archive: archive).reversed()
            }
            return pending.popLast()
        }
    }

    private static func omnivoreRecords(in file: String, archive: Archive) -> [ImportRecord] {
        let data: Data?
        do {
            data = try entryData(file, in: archive)
        } catch {
            return [ImportRecord(location: file, draft: .failure(error))]
        }
        guard let data, let entries = try? JSONSerialization.jsonObject(with: data) as? [Any] else {
            return [
                ImportRecord(location: file, draft: .failure(ImportRecordError.malformed("not a JSON array")))
            ]
        }
        return entries.enumerated().map { index, value in
            ImportRecord(
                location: "\(file) entry \(index + 1)",
                draft: Result {
                    guard let entry = value as? [String: Any] else {
                        throw ImportRecordError.malformed("not a JSON object")
                    }
                    return try omnivoreEntry(entry, archive: archive)
                })
        }
    }

    private static func omnivoreEntry(_ entry: [String: Any], archive: Archive) throws -> ItemDraft? {
        let fields = JSONEntry(fields: entry)
        guard var draft = try omnivoreDraft(fields) else { return nil }
        let slug = try fields.string("slug") ?? ""
        if !slug.isEmpty, let html = try entryData("content/\(slug).html", in: archive) {
            draft.text = try text(ofArticleHTML: PageDecoder.decode(html).text)
        }
        if !slug.isEmpty, let markdown = try entryData("highlights/\(slug).md", in: archive) {
            draft.highlights = omnivoreHighlights(String(decoding: markdown, as: UTF8.self))
        }
        return draft
    }

    /// Highlights are Markdown quotes (`> text`), each perhaps followed by a link back and a note.
    private static func omnivoreHighlights(_ markdown: String) -> [HighlightDraft] {
        var highlights: [HighlightDraft] = []
        for block in markdown.components(separatedBy: "\n\n") {
            let lines = block.split(separator: "\n").map(String.init)
            let quoted = lines.filter { $0.hasPrefix(">") }.map {
                var line = $0.dropFirst().trimmingCharacters(in: .whitespaces)
                if let link = line.range(of: " [⤴️]") ?? line.range(of: "[⤴️]") {
                    line = String(line[..<link.lowerBound])
                }
                return line
            }
            let quote = quoted.joined(separator: " ").trimmingCharacters(in: .whitespaces)
            if !quote.isEmpty {
                highlights.append(HighlightDraft(quote: quote))
            } else if !highlights.isEmpty, !block.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                highlights[highlights.count - 1].note = block.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        return highlights
    }

    /// An entry's bytes, counted as they inflate: the sizes an archive declares are not trusted.
    /// - Returns: nil when the archive has no such entry.
    /// - Throws: ``ImportRecordError/malformed(_:)`` for an entry over the limit or damaged, so the
    ///   record it belongs to fails rather than losing that part silently.
    private static func entryData(_ path: String, in archive: Archive) throws -> Data? {
        guard let entry = archive[path] else { return nil }
        let limit = TextInput.byteLimit
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                guard data.count + chunk.count <= limit else { throw ArchiveEntryTooLarge() }
                data.append(chunk)
            }
        } catch is ArchiveEntryTooLarge {
            throw ImportRecordError.malformed("\(path) inflates beyond \(limit >> 20) MiB")
        } catch {
            throw ImportRecordError.malformed("\(path) is damaged in the archive")
        }
        return data
    }
}

private struct ArchiveEntryTooLarge: Error {}
