import Foundation
import ParallaxIngest

/// Reads a JSON Feed (1.0 or 1.1) token by token, holding one item at a time: the feed's
/// `title`, `home_page_url` and `feed_url`, and each item's `id`, `url` (else `external_url`),
/// `title`, dates, author and text.
struct JSONFeedReader {
    private var reader: JSONEventReader
    private let base: String?

    /// A reader of an open file whose `leading` bytes were read already (all of it when
    /// `isWhole`), `expectedBytes` long as far as the caller knows; the caller closes it after
    /// the reader.
    init(descriptor: Int32, leading: [UInt8], isWhole: Bool, expectedBytes: Int, base: String?) {
        reader = JSONEventReader(
            descriptor: descriptor, leading: leading, isWhole: isWhole, expectedBytes: expectedBytes)
        self.base = base
    }

    /// Reads the whole document.
    /// - Throws: ``NotAFeed`` for JSON that is no feed; ``JSONEventReader/Failure`` for bytes
    ///   that are not JSON.
    mutating func read() throws -> ParsedFeed {
        guard try reader.next() == .objectStart else {
            throw NotAFeed(reason: "it is JSON but not an object")
        }
        var feed = ParsedFeed(kind: .json)
        var version: String?
        while case .key(let key)? = try reader.next() {
            switch key {
            case "version": version = try string()
            case "title": feed.title = try string().flatMap(FeedText.line)
            case "home_page_url": feed.home = try string().flatMap { FeedText.webAddress($0, base: base) }
            case "feed_url": feed.selfURL = try string().flatMap { FeedText.webAddress($0, base: base) }
            case "items": try readItems(into: &feed)
            default: try skipValue()
            }
        }
        guard let version, version.hasPrefix("https://jsonfeed.org/version/") else {
            throw NotAFeed(reason: "it is JSON without a JSON Feed version")
        }
        return feed
    }

    private mutating func readItems(into feed: inout ParsedFeed) throws {
        guard try reader.next() == .arrayStart else { return }
        while let event = try reader.next(), event != .arrayEnd {
            guard event == .objectStart else {
                try reader.skip(event)
                continue
            }
            let entry = try readItem()
            if feed.entries.count < FeedLimits.maximumEntries {
                feed.entries.append(entry)
            } else {
                feed.entriesLeftOut += 1
            }
        }
    }

    private mutating func readItem() throws -> FeedEntry {
        var entry = FeedEntry()
        var external: String?
        var text: String?
        while case .key(let key)? = try reader.next() {
            switch key {
            case "id": entry.id = try scalar().flatMap(FeedText.identifier)
            case "url": entry.url = try string().flatMap { FeedText.webAddress($0, base: base) }
            case "external_url": external = try string().flatMap { FeedText.webAddress($0, base: base) }
            case "title": entry.title = try string().flatMap(FeedText.line)
            case "content_html": entry.content = try string().flatMap(FeedText.body)
            case "content_text": text = try string()
            case "summary":
                entry.summary = try string().flatMap { FeedText.body(FeedText.html(fromPlain: $0)) }
            case "date_published": entry.published = try string().flatMap(FeedDate.parse)
            case "date_modified": entry.updated = try string().flatMap(FeedDate.parse)
            case "author": entry.author = try authorName() ?? entry.author
            case "authors": entry.author = try firstAuthorName() ?? entry.author
            default: try skipValue()
            }
        }
        if entry.url == nil { entry.url = external }
        if entry.content == nil, let text { entry.content = FeedText.body(FeedText.html(fromPlain: text)) }
        return entry
    }

    /// `{"name": …}`: the name.
    private mutating func authorName() throws -> String? {
        guard let event = try reader.next() else { return nil }
        guard event == .objectStart else {
            try reader.skip(event)
            return nil
        }
        return try nameOfAuthorObject()
    }

    /// `[{"name": …}, …]`: the first name.
    private mutating func firstAuthorName() throws -> String? {
        guard let event = try reader.next() else { return nil }
        guard event == .arrayStart else {
            try reader.skip(event)
            return nil
        }
        var first: String?
        while let next = try reader.next(), next != .arrayEnd {
            guard next == .objectStart, first == nil else {
                try reader.skip(next)
                continue
            }
            first = try nameOfAuthorObject()
        }
        return first
    }

    /// The rest of an author object whose `{` was just read: its `name`.
    private mutating func nameOfAuthorObject() throws -> String? {
        var name: String?
        while case .key(let key)? = try reader.next() {
            if key == "name" { name = try string().flatMap(FeedText.line) } else { try skipValue() }
        }
        return name
    }

    /// The next value when it is a string; any other value is passed over.
    private mutating func string() throws -> String? {
        guard let event = try reader.next() else { return nil }
        if case .string(let value) = event { return value }
        try reader.skip(event)
        return nil
    }

    /// The next value as text when it is a string or a number (JSON Feed 1.0 ids were either).
    private mutating func scalar() throws -> String? {
        guard let event = try reader.next() else { return nil }
        switch event {
        case .string(let value), .number(let value): return value
        default:
            try reader.skip(event)
            return nil
        }
    }

    private mutating func skipValue() throws {
        guard let event = try reader.next() else { return }
        try reader.skip(event)
    }
}
