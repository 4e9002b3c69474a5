import Foundation

/// A text field whose values come from outside (pages, feeds, imports, readers, peers), with
/// the rule its values are stored by (see ``StoredText``).
public enum TextField: String, Sendable, CaseIterable {
    /// An item's headline.
    case title
    /// An item's author line.
    case byline
    /// An item's outlet.
    case source
    /// An item's language code.
    case language
    /// An item's note.
    case note
    /// A reader's event for an item.
    case event
    /// An item's address.
    case url
    /// A tag's name.
    case tag
    /// A highlight's passage.
    case quote
    /// A highlight's note.
    case highlightNote = "highlight note"
    /// The key of the feed entry an item came from.
    case entry

    /// The item fields that hold such text, by their change-log name.
    public static let itemFields: [TextField] = [
        .title, .byline, .source, .language, .note, .event, .url, .entry,
    ]

    /// The value a local write stores: controls removed, then trimmed; nil when nothing is left.
    /// - Throws: ``LibraryError/invalidValue(field:value:reason:)`` past ``maximumLength``,
    ///   showing the value's start only.
    public func stored(_ value: String) throws -> String? {
        guard let text = cleanedAndTrimmed(value) else { return nil }
        if let maximumLength, Self.exceeds(text, maximumLength) {
            throw LibraryError.invalidValue(
                field: rawValue, value: StoredText.excerpt(text),
                reason: "\(noun) may hold at most \(Self.grouped(maximumLength)) characters")
        }
        return text
    }

    /// What a value kept by an earlier version, or received from a peer, becomes: the same value
    /// when this version would store it as it is; otherwise it is cleaned and trimmed, cut after
    /// ``keptLength`` characters, and one left empty becomes nil, or the field's
    /// ``placeholder`` where the field needs a value.
    ///
    /// The rule is a function of the value alone, and counts Unicode scalars, whose boundaries no
    /// Unicode version moves, so every replica that cleans the same value stores the same, and
    /// cleaning a cleaned value changes nothing.
    public func repaired(_ value: String) -> String? {
        guard needsRepair(value) else { return value }
        guard var text = cleanedAndTrimmed(value) else { return placeholder }
        if let keptLength, Self.exceeds(text, keptLength) {
            text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(keptLength)))
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text.isEmpty ? placeholder : text
    }

    /// Whether ``repaired(_:)`` changes the value.
    public func needsRepair(_ value: String) -> Bool {
        StoredText.holdsControls(value, keepingLines: keepsLines)
            || keptLength.map { Self.exceeds(value, $0) } ?? false
    }

    /// Where ``repaired(_:)`` cuts: the cap, except for notes, which keep ten times it. A sync
    /// that finds two notes edited at once keeps both in one (docs/bundle-format.md, "Merge
    /// rules"), and so does a fold of duplicates: cut at the cap, that would lose one of them.
    public var keptLength: Int? {
        switch self {
        case .note, .highlightNote: maximumLength.map { $0 * 10 }
        default: maximumLength
        }
    }

    /// The most characters (Unicode scalars) a value may hold, at sizes a person writes: a local
    /// write past it fails, and a value from a peer (an earlier version allowed any size) is cut.
    /// Addresses have no cap of their own here.
    public var maximumLength: Int? {
        switch self {
        case .title: 2_000
        case .byline: 1_000
        case .source: 500
        case .language: 35
        case .note, .quote, .highlightNote: 100_000
        case .event: 200
        case .tag: 100
        // A feed may use a long address as an entry's id (ParallaxFeeds keeps 8 KiB of it).
        case .entry: 8_192
        case .url: nil
        }
    }

    /// What stands for a value made of nothing but controls, where the field cannot be empty:
    /// `Untitled` for a title, `untitled` for a tag, `…` for a quote.
    public var placeholder: String? {
        switch self {
        case .title: "Untitled"
        case .tag: "untitled"
        case .quote: "…"
        default: nil
        }
    }

    /// Whether the field has lines (newline and tab kept) rather than one.
    var keepsLines: Bool { self == .note || self == .quote || self == .highlightNote }

    /// The field for a change-log name of an item field, when it holds such text.
    init?(itemField name: String) {
        guard let field = Self(rawValue: name), Self.itemFields.contains(field) else { return nil }
        self = field
    }

    /// How the field is named in a sentence.
    private var noun: String {
        switch self {
        case .title: "a title"
        case .byline: "an author line"
        case .source: "a source"
        case .language: "a language code"
        case .note: "a note"
        case .event: "an event"
        case .url: "an address"
        case .tag: "a tag"
        case .quote: "a highlight"
        case .highlightNote: "a highlight's note"
        case .entry: "a feed entry's key"
        }
    }

    private func cleanedAndTrimmed(_ value: String) -> String? {
        let trimmed = cleaned(value).trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Whether a text holds more than `maximum` Unicode scalars, counted only when its UTF-8
    /// could hold that many.
    private static func exceeds(_ text: String, _ maximum: Int) -> Bool {
        text.utf8.count > maximum && text.unicodeScalars.count > maximum
    }

    /// A count with thousands separated by commas, as the messages write numbers.
    private static func grouped(_ number: Int) -> String {
        var digits = String(number)
        var index = digits.endIndex
        while digits.distance(from: digits.startIndex, to: index) > 3 {
            index = digits.index(index, offsetBy: -3)
            digits.insert(",", at: index)
        }
        return digits
    }

    private func cleaned(_ value: String) -> String {
        switch self {
        case .note, .quote, .highlightNote: StoredText.multiLine(value)
        case .url: StoredText.address(value)
        default: StoredText.singleLine(value)
        }
    }
}
