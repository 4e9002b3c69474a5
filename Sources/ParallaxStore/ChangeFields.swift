import Foundation
import GRDB

/// The kinds of row the change log tracks.
public enum Entity: String, Codable, Sendable, CaseIterable {
    /// A saved article.
    case item
    /// One tag on one item.
    case tag
    /// A highlighted passage.
    case highlight
    /// A followed feed; its record's `item` is the feed's id (bundle version 5).
    case feed
}

/// The user-visible fields of an item that the change log tracks.
enum ItemField: String, CaseIterable, Sendable {
    case url, title, byline, source, published, language, body, progress, archived, favorite, note, deleted,
        event, html, images, listed, feed, entry
    case canonicalURL = "canonical_url"
    case readingState = "reading_state"

    /// The column of a field whose value is a document of the `body` table, named by its hash:
    /// the text (`body`) and the sanitized HTML (`html`).
    var documentColumn: String? {
        switch self {
        case .body: "body_id"
        case .html: "html_id"
        default: nil
        }
    }

    /// Whether the field is the reader's own (where they are, their marks and notes) rather than
    /// the article's. A new item's default there is no choice: it never wins over a choice made
    /// on another device, even an earlier one (docs/bundle-format.md, "Saved twice").
    var isReaderState: Bool {
        switch self {
        case .readingState, .progress, .archived, .favorite, .note, .event: true
        default: false
        }
    }

    /// Whether the field says how the item came to be (a feed's entry, and whether the reader
    /// saved it) rather than what it holds: a restore or an undo leaves it, and only a creation
    /// sets `feed` and `entry`. `listed` only ever goes from 0 to 1 (docs/bundle-format.md).
    var isOrigin: Bool { self == .listed || self == .feed || self == .entry }

    /// Whether the field may be empty (null): every one but the title, the text, the removal and
    /// the place on the reader's list.
    var isNullable: Bool {
        switch self {
        case .title, .body, .deleted, .listed: false
        default: true
        }
    }

    /// The SQL expression that reads the field's logical value from an `item` row.
    var selection: String {
        documentColumn.map { "(SELECT hash FROM body WHERE body.id = item.\($0))" } ?? rawValue
    }
}

/// How far a reader got with an item: its state and progress merge together, by epoch and then
/// by how far (docs/bundle-format.md, "Merge rules").
enum ReadingPosition {
    /// The fields that make up the position.
    static let fields: [ItemField] = [.readingState, .progress]

    /// Orders the values of either field: unread < reading < read, and progress by number.
    static func rank(_ value: FieldValue) -> Double {
        switch value {
        case .integer(let value): Double(value)
        case .real(let value): value
        case .text(let state): Double(ReadingState.allCases.firstIndex { $0.rawValue == state } ?? 0)
        case .null: 0
        }
    }
}

/// The fields of a followed feed (``FeedSubscription``), all last writer wins.
enum FeedField: String, CaseIterable, Sendable {
    case url, title, source, tags, added, deleted

    /// Whether the field may be empty (null).
    var isNullable: Bool { self == .title || self == .source || self == .tags }
}

/// The fields of a highlight that change after it is made.
enum HighlightField: String, CaseIterable, Sendable {
    case note, deleted
}

/// Who made a change and when, as stored in the log.
struct StoredStamp: Equatable {
    var hlc: HybridTimestamp
    var device: Int64
    var counter: Int
    /// The merge epoch of the write, for fields that have one (see 0002_sync.sql).
    var epoch: Int64?
}

extension StoredStamp {
    /// Reads a `field_clock` row.
    init(_ row: Row) {
        self.init(
            hlc: HybridTimestamp(rawValue: row["hlc"]), device: row["device"], counter: row["counter"],
            epoch: row["epoch"])
    }
}
