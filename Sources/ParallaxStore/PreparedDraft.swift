import Foundation

/// A draft checked and normalised, ready to write.
///
/// Every field is checked here, before the first write, so that a draft fails whole or not at all.
struct PreparedDraft: Sendable {
    var draft: ItemDraft
    var canonicalURL: String?
    var hash: String
    var wordCount: Int
    /// The hash of the draft's HTML, when it has some.
    var htmlHash: String?
    /// The draft's images by hash, and the `images` field that names them (nil without any).
    var assets: [String: ImageAsset] = [:]
    var imageReferences: ImageReferences?

    init(_ draft: ItemDraft) throws {
        var draft = draft
        // A link saved without a headline shows its address, which may be longer than any
        // headline: that title is cut rather than refused, so the link is kept.
        if let url = draft.url, draft.title == url, let maximum = TextField.title.maximumLength {
            draft.title = String(String.UnicodeScalarView(url.unicodeScalars.prefix(maximum)))
        }
        guard let title = try TextField.title.stored(draft.title) else {
            throw LibraryError.invalidValue(field: "title", value: "", reason: "it is empty")
        }
        draft.title = title
        draft.text = StoredText.multiLine(draft.text)
        guard draft.text.utf8.count <= Library.maximumTextBytes else {
            throw LibraryError.invalidValue(
                field: "text", value: "\(draft.text.utf8.count >> 20) MiB",
                reason: "an article may hold at most \(Library.maximumTextBytes >> 20) MiB of text")
        }
        draft.html = try draft.html.flatMap(Self.checkedHTML)
        draft.url = try draft.url.flatMap(TextField.url.stored)
        // Only web addresses are kept: a `javascript:` or `data:` address would become a link in
        // every export and page that shows the item.
        if let url = draft.url, CanonicalURL.normalize(url) == nil {
            throw LibraryError.invalidValue(
                field: "url", value: url, reason: "only http and https addresses are kept")
        }
        // Scans to the first visible character instead of trimming, which copies the whole body.
        if !draft.text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) {
            // A saved link whose page is not fetched yet, as reading-list exports hold them.
            guard draft.url.flatMap(CanonicalURL.normalize) != nil else {
                throw LibraryError.invalidValue(field: "text", value: "", reason: "the article has no text")
            }
            draft.text = ""
        }
        draft.byline = try draft.byline.flatMap(TextField.byline.stored)
        draft.source = try draft.source.flatMap(TextField.source.stored)
        draft.language = try draft.language.flatMap(TextField.language.stored)?.lowercased()
        draft.note = try draft.note.flatMap(TextField.note.stored)
        draft.published = try draft.published.flatMap(Self.nonEmpty).map {
            try Timestamp.normalizedDate($0, field: "published")
        }
        draft.saved = try draft.saved.flatMap(Self.nonEmpty).map {
            try Timestamp.normalizedDate($0, field: "saved")
        }
        guard (0...1).contains(draft.progress) else {
            throw LibraryError.invalidValue(
                field: "progress", value: "\(draft.progress)", reason: "it must be between 0 and 1")
        }
        if let origin = draft.feedEntry {
            guard ItemID.normalizedPrefix(origin.feed)?.count == ItemID.length else {
                throw LibraryError.invalidValue(
                    field: "feed", value: origin.feed, reason: "it is not a feed id")
            }
            draft.feedEntry?.entry = try origin.entry.flatMap(TextField.entry.stored)
        }
        draft.tags = try Array(Set(draft.tags.map(Tag.normalize))).sorted()
        draft.highlights = try draft.highlights.map(Self.prepared)
        self.draft = draft
        canonicalURL = draft.url.flatMap(CanonicalURL.normalize)
        hash = ContentHash.of(draft.text)
        wordCount = ContentHash.wordCount(of: draft.text)
        htmlHash = draft.html.map(ContentHash.of)
        (assets, imageReferences) = try Self.checkedImages(draft.images)
    }

    /// HTML without controls but newline and tab; nil when blank.
    /// - Throws: ``LibraryError/invalidValue(field:value:reason:)`` past the text size limit.
    static func checkedHTML(_ html: String) throws -> String? {
        let cleaned = StoredText.multiLine(html)
        guard cleaned.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else { return nil }
        guard cleaned.utf8.count <= Library.maximumTextBytes else {
            throw LibraryError.invalidValue(
                field: "html", value: "\(cleaned.utf8.count >> 20) MiB",
                reason: "an article may hold at most \(Library.maximumTextBytes >> 20) MiB of HTML")
        }
        return cleaned
    }

    /// Images checked (count, size, format against the bytes), by hash, with the `images` field
    /// that names them (nil without any).
    static func checkedImages(_ images: [ArticleImageAsset]) throws -> (
        [String: ImageAsset], ImageReferences?
    ) {
        guard images.count <= ImageReferences.maximumCount else {
            throw LibraryError.invalidValue(
                field: "images", value: "\(images.count)",
                reason: "an article may keep at most \(ImageReferences.maximumCount) images")
        }
        var assets: [String: ImageAsset] = [:]
        var references: [String: String] = [:]
        for image in images {
            guard image.asset.data.count <= ImageAsset.maximumBytes,
                ImageType(detecting: image.asset.data) == image.asset.type
            else {
                throw LibraryError.invalidValue(
                    field: "images", value: image.url,
                    reason: "not an image of at most 16 MiB in a kept format")
            }
            let hash = image.asset.hash
            assets[hash] = image.asset
            references[image.url] = hash
        }
        return (assets, references.isEmpty ? nil : ImageReferences(references))
    }

    /// A highlight with its quote and note cleaned and trimmed and its date checked.
    static func prepared(_ highlight: HighlightDraft) throws -> HighlightDraft {
        guard let quote = try TextField.quote.stored(highlight.quote) else {
            throw LibraryError.invalidValue(field: "highlight", value: "", reason: "it is empty")
        }
        return HighlightDraft(
            quote: quote, note: try highlight.note.flatMap(TextField.highlightNote.stored),
            created: try highlight.created.flatMap(nonEmpty).map {
                try Timestamp.normalizedDate($0, field: "created")
            })
    }

    private static func nonEmpty(_ value: String) -> String? {
        let trimmed = StoredText.clean(value).trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}

extension Library {
    /// The most text one article may hold: 32 MiB, far beyond any article, short of what would
    /// make one item slow every search and export.
    public static let maximumTextBytes = 32 << 20
}

/// What text a library can store exactly.
public enum StoredText {
    /// Drops NUL characters, which SQLite's C strings would cut the text at: a body stored cut
    /// would no longer match the hash it travels under.
    public static func clean(_ text: String) -> String {
        guard containsNUL(text) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\u{0}" }))
    }

    /// Whether a text holds a NUL, found by `memchr` over its UTF-8: a generic search of every
    /// article's bytes showed in the cost of an import.
    static func containsNUL(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 0, bytes.count) != nil
        }
    }
}

/// The rules for tag names.
public enum Tag {
    /// Lower-cases and trims a tag and checks it is usable.
    /// - Throws: ``LibraryError/invalidValue(field:value:reason:)`` for an empty tag or one with a comma.
    public static func normalize(_ tag: String) throws -> String {
        let normalized = StoredText.singleLine(tag).trimmingCharacters(in: .whitespacesAndNewlines)
            .lowercased()
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !normalized.isEmpty else {
            throw LibraryError.invalidValue(
                field: "tag", value: StoredText.excerpt(tag), reason: "it is empty")
        }
        // Counted as a peer cuts a tag (``TextField/maximumLength``): in Unicode scalars, not in
        // characters, whose boundaries move between Unicode versions.
        guard !normalized.contains(","),
            normalized.unicodeScalars.count <= TextField.tag.maximumLength ?? .max
        else {
            throw LibraryError.invalidValue(
                field: "tag", value: StoredText.excerpt(tag),
                reason: "tags have no commas and at most 100 characters")
        }
        return normalized
    }
}
