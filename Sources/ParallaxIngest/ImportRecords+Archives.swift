import Foundation
import ParallaxStore
import ZIPFoundation

// MARK: - Wallabag

extension ImportRecords {
    /// Wallabag's JSON export: an array of entries with their HTML `content`, `tags`,
    /// `is_archived`, `is_starred`, dates, authors and `annotations`. Read one entry at a time.
    static func wallabag(path: String) throws -> AnyIterator<ImportRecord> {
        try jsonEntries(path: path, format: "Wallabag") { try wallabagEntry($0.fields) }
    }

    private static func wallabagEntry(_ entry: [String: Any]) throws -> ItemDraft {
        guard let url = entry["url"] as? String else { throw ImportRecordError.missingField("url") }
        var draft = try link(url: url, title: entry["title"] as? String)
        let content = (entry["content"] as? String) ?? ""
        // Wallabag stores this sentence as the content of pages it could not fetch.
        if !content.contains("can't retrieve contents for this article") {
            draft.text = try text(ofArticleHTML: content)
        }
        draft.saved = (entry["created_at"] as? String).flatMap(PublicationDate.normalize)
        draft.published = (entry["published_at"] as? String).flatMap(PublicationDate.normalize)
        let authors = (entry["published_by"] as? [String]) ?? []
        draft.byline = authors.isEmpty ? nil : authors.joined(separator: ", ")
        draft.language = (entry["language"] as? String).flatMap {
            $0.split(separator: "_").first.map(String.init)
        }
        draft.tags = tags(
            (entry["tags"] as? [Any] ?? []).compactMap {
                ($0 as? String) ?? ($0 as? [String: Any])?["label"] as? String
            })
        if flag(entry["is_archived"]) { markArchived(&draft) }
        draft.favorite = flag(entry["is_starred"])
        draft.highlights = (entry["annotations"] as? [[String: Any]] ?? []).compactMap { annotation in
            guard let quote = annotation["quote"] as? String,
                !quote.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            else { return nil }
            let note = (annotation["text"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            return HighlightDraft(
                quote: quote, note: note,
                created: (annotation["created_at"] as? String).flatMap(PublicationDate.normalize))
        }
        return draft
    }

    private static func flag(_ value: Any?) -> Bool {
        if let bool = value as? Bool { return bool }
        if let number = value as? NSNumber { return number.intValue != 0 }
        if let text = value as? String { return text == "1" || text == "true" }
        return false
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
