import Foundation

/// What a feed document holds, as Parallax keeps it: the feed's title and home page, and its
/// entries with their ids, addresses, titles, dates, authors and texts. An OPML document holds
/// the feeds it lists instead of entries.
public struct ParsedFeed: Sendable, Hashable {
    /// The format a document was written in.
    public enum Kind: String, Sendable, Codable {
        /// RSS 0.91, 0.92 or 2.0.
        case rss
        /// RSS 1.0 (or 0.90), written in RDF.
        case rdf
        /// Atom 1.0 or 0.3.
        case atom
        /// JSON Feed 1.0 or 1.1.
        case json
        /// An outline of subscriptions.
        case opml
    }

    /// The format.
    public var kind: Kind
    /// The feed's title, as text.
    public var title: String?
    /// The site the feed belongs to.
    public var home: String?
    /// The feed's own address, as it declares it (`atom:link rel="self"`, JSON Feed's `feed_url`).
    public var selfURL: String?
    /// How long the feed asks readers to wait between fetches (`ttl`, `sy:updatePeriod`).
    public var minimumInterval: TimeInterval?
    /// Its entries, in document order; at most ``FeedLimits/maximumEntries``.
    public var entries: [FeedEntry] = []
    /// How many entries past the limit were left out.
    public var entriesLeftOut = 0
    /// The feeds an OPML outline lists.
    public var feeds: [ListedFeed] = []

    /// An empty feed of a kind.
    public init(kind: Kind) { self.kind = kind }
}

/// One entry (item) of a feed.
public struct FeedEntry: Sendable, Hashable {
    /// The entry's id (RSS `guid`, Atom `id`, JSON Feed `id`), as written.
    public var id: String?
    /// The article's absolute web address; an entry without a link takes its permalink guid.
    public var url: String?
    /// The title, as text.
    public var title: String?
    /// When it was first published.
    public var published: Date?
    /// When it was last updated.
    public var updated: Date?
    /// Its author, as text.
    public var author: String?
    /// The summary, as HTML (RSS `description`, Atom `summary`).
    public var summary: String?
    /// The full text, as HTML (`content:encoded`, Atom `content`, JSON Feed `content_html`).
    public var content: String?

    /// An empty entry.
    public init() {}

    /// The date to show and sort by: the published date, else the updated one.
    public var date: Date? { published ?? updated }
}

/// A feed an OPML outline lists.
public struct ListedFeed: Sendable, Hashable, Codable {
    /// The feed's address (`xmlUrl`).
    public var url: String
    /// Its title (`title`, else `text`).
    public var title: String?

    /// A listed feed.
    public init(url: String, title: String?) {
        self.url = url
        self.title = title
    }
}

/// The bounds every feed is read within, whatever it holds.
public enum FeedLimits {
    /// The largest feed document read.
    public static let maximumBytes = 16 << 20
    /// The most entries kept from one document.
    public static let maximumEntries = 5_000
    /// The longest title or author kept, in characters.
    public static let maximumLineCharacters = 2_000
    /// The longest id or address kept, in bytes: longer ones are no id anyone shares.
    public static let maximumIdentifierBytes = 8_192
    /// The longest summary or content kept, in bytes.
    public static let maximumTextBytes = 4 << 20
    /// The most feeds an OPML outline lists that are kept.
    public static let maximumListedFeeds = 10_000
}

// MARK: - JSON

extension ParsedFeed: Encodable {
    private enum CodingKeys: String, CodingKey { case kind, title, home, entries, feeds }

    /// `{"kind", "title", "home", "entries": [{"id", "url", "title", "published", "author"}]}`,
    /// or `"feeds": [{"url", "title"}]` for an outline; dates in ISO 8601, UTC.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(title, forKey: .title)
        try container.encode(home, forKey: .home)
        if kind == .opml {
            try container.encode(feeds, forKey: .feeds)
        } else {
            try container.encode(entries.map(EntrySummary.init), forKey: .entries)
        }
    }

    /// What `feeds parse --json` prints of an entry.
    private struct EntrySummary: Encodable {
        var id: String?
        var url: String?
        var title: String?
        var published: String?
        var author: String?

        init(_ entry: FeedEntry) {
            id = entry.id
            url = entry.url
            title = entry.title
            published = entry.date.map(FeedDate.iso8601)
            author = entry.author
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(url, forKey: .url)
            try container.encode(title, forKey: .title)
            try container.encode(published, forKey: .published)
            try container.encode(author, forKey: .author)
        }

        private enum CodingKeys: String, CodingKey { case id, url, title, published, author }
    }
}

extension FeedDate {
    /// A moment as ISO 8601 in UTC, to the second: `2019-02-14T09:30:00Z`.
    public static func iso8601(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (year, month, day) = civil(fromDays: days)
        let clock = seconds - days * 86_400
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, clock / 3_600, clock % 3_600 / 60,
            clock % 60)
    }

    /// The civil date of a day counted from 1970-01-01 (Howard Hinnant's algorithm).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
