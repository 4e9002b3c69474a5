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

    /// The item fields that hold such text, by their change-log name.
    public static let itemFields: [TextField] = [.title, .byline, .source, .language, .note, .event, .url]

    /// The value a local write stores: controls removed, then trimmed; nil when nothing is left.
    public func stored(_ value: String) -> String? {
        let trimmed = cleaned(value).trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// What a value kept by an earlier version, or received from a peer, becomes: the same value
    /// when this version would store it as it is; otherwise it is cleaned and trimmed, and one left
    /// empty becomes nil, or the field's ``placeholder`` where the field needs a value.
    ///
    /// The rule is a function of the value alone, so every replica that cleans the same value
    /// stores the same, and cleaning a cleaned value changes nothing.
    public func repaired(_ value: String) -> String? {
        guard needsRepair(value) else { return value }
        return stored(value) ?? placeholder
    }

    /// Whether ``repaired(_:)`` changes the value.
    public func needsRepair(_ value: String) -> Bool {
        StoredText.holdsControls(value, keepingLines: keepsLines)
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

    private func cleaned(_ value: String) -> String {
        switch self {
        case .note, .quote, .highlightNote: StoredText.multiLine(value)
        case .url: StoredText.address(value)
        default: StoredText.singleLine(value)
        }
    }
}
