import Foundation

/// Where a reader is with an item.
public enum ReadingState: String, Codable, CaseIterable, Sendable {
    /// Saved and not yet opened.
    case unread
    /// Opened; `progress` says how far.
    case reading
    /// Finished.
    case read
}

/// A saved article as the library holds it, without its body text.
public struct Item: Codable, Hashable, Sendable {
    /// The globally unique, time-ordered id.
    public var id: String
    /// The address the article was saved from.
    public var url: String?
    /// `url` normalised for deduplication (see ``CanonicalURL``).
    public var canonicalURL: String?
    /// The headline.
    public var title: String
    /// The author line, without a leading "By".
    public var byline: String?
    /// The outlet that published the article.
    public var source: String?
    /// The publication date as ISO 8601 (a date or a date and time).
    public var published: String?
    /// When it was saved, ISO 8601 in UTC.
    public var saved: String
    /// A BCP 47 language code such as `en`.
    public var language: String?
    /// The SHA-256 of the body text, hex.
    public var contentHash: String
    /// The number of words in the body.
    public var wordCount: Int
    /// Unread, reading or read.
    public var readingState: ReadingState
    /// How far the reader got, from 0 to 1.
    public var progress: Double
    /// Whether the reader archived it.
    public var archived: Bool
    /// Whether the reader marked it a favorite.
    public var favorite: Bool
    /// The reader's note on the whole item.
    public var note: String?
    /// Whether it was removed (a tombstone: its history stays and `restore` undoes it).
    public var deleted: Bool
    /// Its tags, sorted.
    public var tags: [String]
    /// The event the reader put it in (`events merge`, `split`, `assign`); nil when grouping decides.
    public var event: String?
    /// Whether it is on the reader's list: saved by hand, or a feed's article they saved. A
    /// feed's article that they have not saved is in the library (events and reports see it)
    /// but not on their list.
    public var listed = true
    /// The id of the feed whose entry brought it in; nil for an article saved by hand.
    public var feed: String?

    enum CodingKeys: String, CodingKey {
        case id, url, title, byline, source, published, saved, language, progress, archived, favorite
        case note, deleted, tags, event, listed, feed
        case canonicalURL = "canonical_url"
        case contentHash = "content_hash"
        case wordCount = "word_count"
        case readingState = "state"
    }
}

/// A quoted passage of an item, with the reader's optional note.
public struct Highlight: Codable, Hashable, Sendable {
    /// The highlight's own globally unique id.
    public var id: String
    /// The id of the item it quotes.
    public var itemID: String
    /// The quoted passage.
    public var quote: String
    /// The reader's note on it.
    public var note: String?
    /// When it was made, ISO 8601 in UTC.
    public var created: String
    /// Whether it was removed.
    public var deleted: Bool

    enum CodingKeys: String, CodingKey {
        case id, quote, note, created, deleted
        case itemID = "item_id"
    }
}

/// What a caller knows about an article it wants to save.
public struct ItemDraft: Sendable, Hashable {
    /// The headline.
    public var title: String
    /// The clean body text, paragraphs separated by blank lines; empty for a saved link whose
    /// page is not fetched yet, which then needs an http(s) `url`.
    public var text: String
    /// The address it came from.
    public var url: String?
    /// The author line.
    public var byline: String?
    /// The outlet.
    public var source: String?
    /// The publication date, ISO 8601.
    public var published: String?
    /// A language code; when nil the library leaves it unknown.
    public var language: String?
    /// When it was first saved, when importing from elsewhere; nil means now.
    public var saved: String?
    /// Tags to attach.
    public var tags: [String] = []
    /// The reading state to start in.
    public var readingState: ReadingState = .unread
    /// How far it was read.
    public var progress: Double = 0
    /// Whether it starts archived.
    public var archived: Bool = false
    /// Whether it starts a favorite.
    public var favorite: Bool = false
    /// A note on the item.
    public var note: String?
    /// Passages to highlight, with their notes.
    public var highlights: [HighlightDraft] = []
    /// The body as HTML, from the same part of the page as `text`, already sanitized (the
    /// store keeps it as given; ParallaxMarkup's `HTMLSanitizer` makes it, and renderers
    /// sanitize it again); nil when only the text is known.
    public var html: String?
    /// The images the HTML shows, fetched; an image that could not be fetched is left out,
    /// and the HTML keeps its address.
    public var images: [ArticleImageAsset] = []
    /// The feed entry the article comes from; nil for an article the reader saves. A feed's
    /// article is kept off the reader's list, and is never saved again once the library has it,
    /// even removed.
    public var feedEntry: FeedEntryOrigin?

    /// Creates a draft from the two things every article has.
    public init(title: String, text: String) {
        self.title = title
        self.text = text
    }
}

/// A highlight to create along with an item.
public struct HighlightDraft: Sendable, Hashable {
    /// The quoted passage.
    public var quote: String
    /// The reader's note.
    public var note: String?
    /// When it was made, ISO 8601; nil means now.
    public var created: String?

    /// Creates a highlight draft.
    public init(quote: String, note: String? = nil, created: String? = nil) {
        self.quote = quote
        self.note = note
        self.created = created
    }
}

/// Which items `items(matching:)` returns.
public struct ItemFilter: Sendable, Hashable {
    /// Only items in this reading state.
    public var readingState: ReadingState?
    /// Only archived (true) or only not archived (false) items.
    public var archived: Bool?
    /// Only favorites.
    public var favoriteOnly = false
    /// Only items with this tag.
    public var tag: String?
    /// Only items from this source (case-insensitive).
    public var source: String?
    /// Only the reader's list (true), only feeds' articles not on it (false), or both (nil).
    public var listed: Bool?
    /// Include tombstoned items.
    public var includeDeleted = false
    /// Only items published (or else saved) on or after this date or time.
    public var datedSince: String?
    /// At most this many.
    public var limit: Int?
    /// Which date orders the items, newest first.
    public var order = ItemOrder.saved
    /// Only the items that come after this one (an id) in that order: the next page.
    public var after: String?

    /// A filter that matches every item that is not deleted.
    public init() {}
}

/// The date that orders a list of items, newest first; ties go by the order the items were
/// stored in, so a page ends exactly.
public enum ItemOrder: String, Sendable, Hashable, CaseIterable {
    /// When the item was saved.
    case saved
    /// When it was published, or else saved.
    case published
}

/// What `add` did with a draft.
public enum AddOutcome: Sendable, Hashable {
    /// A new item was stored.
    case added(Item)
    /// An item with the same canonical URL or content was already there; nothing changed.
    case duplicate(Item, reason: DuplicateReason)
    /// `force` was given and the existing item took the draft's fields as a new version.
    case updated(Item)

    /// The item the outcome is about.
    public var item: Item {
        switch self {
        case .added(let item), .duplicate(let item, _), .updated(let item): item
        }
    }
}

/// Why a draft counts as already saved.
public enum DuplicateReason: String, Sendable, Hashable {
    /// The same canonical URL.
    case url
    /// The same body text.
    case content
    /// The same feed entry.
    case entry
}

/// The feed entry an article came from.
public struct FeedEntryOrigin: Sendable, Hashable {
    /// The id of the followed feed (``FeedSubscription/id``).
    public var feed: String
    /// The entry's key: its id where that is unique beyond the feed, else the feed's id and the
    /// entry's; nil when the entry has none.
    public var entry: String?

    /// Names an entry of a feed.
    public init(feed: String, entry: String?) {
        self.feed = feed
        self.entry = entry
    }
}
