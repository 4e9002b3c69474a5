import Foundation
import ParallaxMarkup
import ParallaxStore

/// The records of each import format, read lazily.
enum ImportRecords {
    /// JSON Lines: one article object a line.
    static func jsonLines(path: String, name: String) throws -> AnyIterator<ImportRecord> {
        var reader = try LineReader(path: path)
        return AnyIterator {
            guard let next = reader.next() else { return nil }
            let number = reader.lineNumber
            guard case .text(let line) = next else { return tooLong(next, at: "\(number)") }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                return ImportRecord(location: "\(number)", draft: .success(nil))
            }
            return ImportRecord(
                location: "\(number)",
                draft: Result { try ArticleRecord.draft(from: line, name: name, line: number) })
        }
    }

    /// One web address a line; `#` starts a comment, and words after the address are its title.
    static func urlList(path: String) throws -> AnyIterator<ImportRecord> {
        var reader = try LineReader(path: path)
        return AnyIterator {
            guard let next = reader.next() else { return nil }
            let location = "\(reader.lineNumber)"
            guard case .text(let line) = next else { return tooLong(next, at: location) }
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty || text.hasPrefix("#") {
                return ImportRecord(location: location, draft: .success(nil))
            }
            let parts = text.split(maxSplits: 1, whereSeparator: \.isWhitespace).map(String.init)
            guard PageFetcher.isWebAddress(parts[0]) else {
                return ImportRecord(
                    location: location, draft: .failure(ImportRecordError.notAWebAddress(text)))
            }
            return ImportRecord(
                location: location,
                draft: Result { try link(url: parts[0], title: parts.count > 1 ? parts[1] : nil) })
        }
    }

    // MARK: - Shared pieces

    /// The failed record of a line too long to read.
    static func tooLong(_ line: LineReader.Line, at location: String) -> ImportRecord {
        guard case .tooLong(let bytes) = line else {
            return ImportRecord(location: location, draft: .success(nil))
        }
        return ImportRecord(location: location, draft: .failure(ImportRecordError.tooLong(bytes: bytes)))
    }

    /// A saved link without text, which ``LinkFetch`` fills in later.
    /// - Throws: ``ImportRecordError/notAWebAddress(_:)`` for anything but an http(s) address.
    static func link(url: String, title: String?) throws -> ItemDraft {
        let url = url.trimmingCharacters(in: .whitespacesAndNewlines)
        guard CanonicalURL.normalize(url) != nil else { throw ImportRecordError.notAWebAddress(url) }
        let title = title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var draft = ItemDraft(title: title.isEmpty ? url : title, text: "")
        draft.url = url
        return draft
    }

    /// Tags as services write them, made acceptable to the library: no commas, not too long.
    static func tags(_ names: [String]) -> [String] {
        names.map { $0.replacingOccurrences(of: ",", with: " ").trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.map { String($0.prefix(100)) }
    }

    /// Marks a draft as read and archived, which is what "archive" means in Pocket and its kin.
    static func markArchived(_ draft: inout ItemDraft) {
        draft.archived = true
        draft.readingState = .read
    }

    /// The text of an article a service kept as HTML: its own extraction, laid out as paragraphs.
    /// - Throws: ``ImportRecordError/malformed(_:)`` for a page too large to read whole, so its
    ///   record fails rather than keeping part of the text.
    static func text(ofArticleHTML html: String) throws -> String {
        let document = HTMLDocument(html: html)
        guard document.isComplete else {
            throw ImportRecordError.malformed(
                "the article's HTML has more than \(HTMLDocument.maximumNodes.formatted()) elements and runs of text"
            )
        }
        let body = document.root.descendants(named: ["body"]).first ?? document.root
        return ArticleText.render(body)
    }
}

/// Why one record of an import cannot be saved.
enum ImportRecordError: Error, LocalizedError {
    case notAWebAddress(String)
    case missingField(String)
    case malformed(String)
    case tooLong(bytes: Int)

    var errorDescription: String? {
        switch self {
        case .tooLong(let bytes):
            "the record is \(bytes >> 20) MiB, over the \(LineReader.maximumLineBytes >> 20) MiB a record may hold"
        case .notAWebAddress(let text): "'\(text.prefix(80))' is not an http or https address"
        case .missingField(let field): "the record has no \(field)"
        case .malformed(let reason): reason
        }
    }
}
