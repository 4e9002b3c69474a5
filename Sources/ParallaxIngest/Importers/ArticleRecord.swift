import Foundation
import ParallaxMarkup
import ParallaxStore

/// The article object of a JSON Lines import.
enum ArticleRecord {
    /// Decodes one line; nil for a record marked deleted.
    static func draft(from line: Data, name: String, line number: Int) throws -> ItemDraft? {
        func invalid(_ reason: String) -> IngestError {
            IngestError.invalidRecord(name: name, line: number, reason: reason)
        }
        let record: Fields
        do {
            record = try JSONDecoder().decode(Fields.self, from: line)
        } catch let DecodingError.typeMismatch(_, context) where context.codingPath.isEmpty {
            throw invalid("not a JSON object")
        } catch let DecodingError.valueNotFound(_, context) where context.codingPath.isEmpty {
            throw invalid("not a JSON object")
        } catch let DecodingError.typeMismatch(type, context) {
            throw invalid("'\(Self.path(context.codingPath))' must be \(Self.expected(type))")
        } catch let DecodingError.keyNotFound(key, context) {
            throw invalid("'\(Self.path(context.codingPath + [key]))' is missing")
        } catch let DecodingError.valueNotFound(type, context) {
            throw invalid("'\(Self.path(context.codingPath))' must be \(Self.expected(type)), not null")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw invalid("'\(Self.path(context.codingPath))' is not valid")
        } catch {
            let isJSON = (try? JSONSerialization.jsonObject(with: line, options: .fragmentsAllowed)) != nil
            throw invalid(isJSON ? "not a JSON object" : "not valid JSON")
        }
        if record.deleted?.value == true { return nil }
        return try draft(from: record, invalid: invalid)
    }

    /// A field's path as a reader names it: `highlights.0.quote`.
    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    /// What a field must hold, in a reader's words rather than a Swift type's name.
    private static func expected(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Double.Type, is Int.Type: "a number"
        case is LenientBool.Type, is Bool.Type: "true or false (or 1 or 0)"
        case is TagList.Type: "a list of tags, or text"
        case is [HighlightFields].Type, is [Any].Type: "a list"
        case is HighlightFields.Type, is [String: Any].Type: "an object"
        default: "a value of another kind"
        }
    }

    private static func draft(from record: Fields, invalid: (String) -> IngestError) throws -> ItemDraft {
        let text = record.text ?? record.content ?? ""
        // Foundation's trimming copies the whole text through UTF-16; the first letter decides.
        let isLink = text.unicodeScalars.allSatisfy(\.properties.isWhitespace)
        // A record with an address and no text is a saved link, fetched later.
        if isLink && record.url.flatMap(CanonicalURL.normalize) == nil {
            throw invalid("the record has no 'text'")
        }
        var draft: ItemDraft
        if let title = record.title, !title.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            draft = ItemDraft(title: title, text: text)
            draft.language = record.language == nil ? LanguageGuess.of(text) : nil
        } else if isLink {
            draft = ItemDraft(title: record.url ?? "", text: "")
        } else {
            draft = ItemDraft(parsingText: text)
        }
        draft.url = record.url
        // A record's HTML is somebody else's markup until it has been through the allow-list.
        draft.html = record.html.map {
            HTMLSanitizer.sanitize(html: $0, baseURL: record.url.flatMap(URL.init(string:))).html
        }
        draft.source = record.source
        draft.published = try record.published.map { try Self.date($0, "published", .publication, invalid) }
        draft.byline = record.byline ?? draft.byline
        draft.language = record.language ?? draft.language
        draft.saved = try record.saved.map { try Self.date($0, "saved", .action, invalid) }
        draft.note = record.note
        draft.tags = record.tags?.values ?? []
        if let state = record.state {
            guard let readingState = ReadingState(rawValue: state) else {
                throw invalid("unknown state '\(state)'")
            }
            draft.readingState = readingState
        }
        draft.progress = record.progress ?? 0
        draft.archived = record.archived?.value ?? false
        draft.favorite = record.favorite?.value ?? false
        var highlights: [HighlightDraft] = []
        for (index, highlight) in (record.highlights ?? []).enumerated()
        where highlight.deleted?.value != true {
            let created = try highlight.created.map {
                try Self.date($0, "highlights.\(index).created", .action, invalid)
            }
            highlights.append(HighlightDraft(quote: highlight.quote, note: highlight.note, created: created))
        }
        draft.highlights = highlights
        return draft
    }

    /// A date under ``ImportDate``'s rule, its failure as this record's. Text that is no ISO
    /// 8601 date is left for the library to refuse, with the form it wants in its message.
    private static func date(
        _ text: String, _ field: String, _ meaning: ImportDate.Meaning, _ invalid: (String) -> IngestError
    ) throws -> String {
        guard let date = try? Timestamp.normalizedDate(text, field: field) else { return text }
        do {
            try ImportDate.check(date, shown: text, field: field, meaning: meaning)
        } catch let error as ImportRecordError {
            throw invalid(error.errorDescription ?? "the field \(field) holds no date")
        }
        return date
    }

    /// The keys an import reads; others (such as the export's `id` and `content_hash`) are ignored.
    private struct Fields: Decodable {
        var text, content, title, url, source, published, byline, language, saved, note, state, html: String?
        var tags: TagList?
        var progress: Double?
        var archived, favorite, deleted: LenientBool?
        var highlights: [HighlightFields]?
    }

    private struct HighlightFields: Decodable {
        var quote: String
        var note: String?
        var created: String?
        var deleted: LenientBool?
    }

    /// Tags as a list, or as one string separated by commas or bars (as Pocket writes them).
    private struct TagList: Decodable {
        var values: [String]
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let list = try? container.decode([String].self) {
                values = list
            } else if let text = try? container.decode(String.self) {
                values = text.split(whereSeparator: { $0 == "," || $0 == "|" }).map(String.init)
            } else {
                throw DecodingError.typeMismatch(
                    TagList.self, .init(codingPath: decoder.codingPath, debugDescription: "not tags"))
            }
        }
    }

    /// A boolean written as true/false or 1/0.
    private struct LenientBool: Decodable {
        var value: Bool
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            // 2 is no answer: the record fails rather than reading it as true.
            if let flag = try? container.decode(Bool.self) {
                value = flag
            } else if let number = try? container.decode(Int.self), number == 0 || number == 1 {
                value = number == 1
            } else {
                throw DecodingError.typeMismatch(
                    LenientBool.self, .init(codingPath: decoder.codingPath, debugDescription: "not a flag"))
            }
        }
    }
}
