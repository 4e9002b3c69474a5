import Foundation

extension ChangeRecord {
    /// How far ahead of this machine's clock a change may be stamped: a device whose wall clock
    /// runs further ahead would win every later conflict, so its changes are refused instead.
    public static let maximumClockDrift: TimeInterval = 24 * 60 * 60

    /// Checks that the record names a known entity and field and that its value has that field's type.
    /// - Parameter now: The receiving machine's time, to bound the clock drift.
    /// - Throws: ``LibraryError/invalidChange(entity:row:field:reason:)`` naming what is wrong.
    public func validate(now: Date = Date()) throws {
        func invalid(_ reason: String) -> LibraryError {
            .invalidChange(entity: entity.rawValue, row: key ?? item, field: field, reason: reason)
        }
        guard ItemID.normalizedPrefix(item)?.count == ItemID.length else {
            throw invalid(entity == .feed ? "the feed id is malformed" : "the item id is malformed")
        }
        guard ItemID.isValidDeviceID(device), counter > 0, hlc.rawValue > 0 else {
            throw invalid("the clock is malformed")
        }
        let ahead = hlc.date.timeIntervalSince(now)
        if ahead > Self.maximumClockDrift {
            throw invalid(
                "device \(device.prefix(8)) stamped it \(Int(ahead / 3600)) hours ahead of this machine's clock"
            )
        }
        // SQLite keeps text only up to a NUL: such a value would be stored other than it travels.
        let texts = [value] + (row.map { Array($0.values) } ?? []) + [.text(key ?? "")]
        if texts.contains(where: { $0.textValue?.utf8.contains(0) ?? false }) {
            throw invalid("a value holds a NUL character")
        }
        switch (entity, field) {
        case (.item, "*"):
            guard let row else { throw invalid("the creation carries no row") }
            for (name, value) in row where name != "saved" {
                guard let field = ItemField(rawValue: name) else { throw invalid("unknown field '\(name)'") }
                try Self.check(value, for: field, invalid)
            }
            guard case .text(let saved) = row["saved"],
                (try? Timestamp.normalizedDate(saved, field: "saved")) != nil
            else { throw invalid("the creation has no valid saved date") }
            guard row["title"] != nil, row["body"] != nil else {
                throw invalid("the creation has no title or body")
            }
        case (.item, let name):
            guard let field = ItemField(rawValue: name) else { throw invalid("unknown field") }
            guard !field.isOrigin || (field == .listed && value == .integer(1)) else {
                throw invalid("it is set only when the item is created, or put on the list")
            }
            try Self.check(value, for: field, invalid)
        case (.tag, "present"):
            guard let key, !key.isEmpty else { throw invalid("the tag has no name") }
            guard value == .integer(0) || value == .integer(1) else {
                throw invalid("presence must be 0 or 1")
            }
        case (.highlight, "*"):
            guard let key, ItemID.normalizedPrefix(key)?.count == ItemID.length else {
                throw invalid("the highlight id is malformed")
            }
            guard case .text(let quote)? = row?["quote"], !quote.isEmpty,
                case .text(let created)? = row?["created"],
                (try? Timestamp.normalizedDate(created, field: "created")) != nil
            else {
                throw invalid("the creation has no quote or no valid date")
            }
        case (.highlight, "note"):
            guard value == .null || value.textValue != nil else { throw invalid("a note must be text") }
        case (.highlight, "deleted"):
            guard value == .integer(0) || value == .integer(1) else {
                throw invalid("deleted must be 0 or 1")
            }
        case (.feed, "*"):
            guard let row else { throw invalid("the creation carries no row") }
            for (name, value) in row {
                guard let field = FeedField(rawValue: name) else { throw invalid("unknown field '\(name)'") }
                try Self.check(value, forFeed: field, invalid)
            }
            guard row["url"] != nil, row["added"] != nil else {
                throw invalid("the creation has no address or date")
            }
        case (.feed, let name):
            guard let field = FeedField(rawValue: name), field != .added else {
                throw invalid("unknown field")
            }
            try Self.check(value, forFeed: field, invalid)
        default:
            throw invalid("unknown field")
        }
    }

    /// The record with its text as this version stores it: each title, byline, source,
    /// language, note, event, address, tag name, quote and highlight note as
    /// ``TextField/repaired(_:)`` makes it, so that a value an earlier or another version kept
    /// with controls, or longer than its field now takes, is stored the same, cleaned and cut, on
    /// every replica that receives it. Bodies
    /// travel by hash and are cleaned where they are stored. An address that would name another
    /// scheme than http(s) once cleaned (`java\tscript:`) becomes null.
    public func cleaned() -> ChangeRecord {
        var record = self
        switch (entity, field) {
        case (.item, "*"):
            guard var row else { return self }
            for (name, value) in row {
                if let field = TextField(itemField: name) { row[name] = Self.repaired(value, as: field) }
            }
            record.row = row
        case (.item, let name):
            if let field = TextField(itemField: name) { record.value = Self.repaired(value, as: field) }
        case (.tag, _):
            record.key = key.map { TextField.tag.repaired($0) ?? $0 }
        case (.highlight, "*"):
            record.row?["quote"] = row?["quote"].map { Self.repaired($0, as: .quote) }
            record.row?["note"] = row?["note"].map { Self.repaired($0, as: .highlightNote) }
        case (.highlight, "note"):
            record.value = Self.repaired(value, as: .highlightNote)
        case (.feed, "*"):
            for (name, field) in [("url", TextField.url), ("title", .title), ("source", .source)] {
                record.row?[name] = row?[name].map { Self.repaired($0, as: field) }
            }
        case (.feed, "url"):
            record.value = Self.repaired(value, as: .url)
        case (.feed, "title"):
            record.value = Self.repaired(value, as: .title)
        case (.feed, "source"):
            record.value = Self.repaired(value, as: .source)
        default:
            break
        }
        return record
    }

    private static func repaired(_ value: FieldValue, as field: TextField) -> FieldValue {
        guard case .text(let text) = value, field.needsRepair(text) else { return value }
        guard let repaired = field.repaired(text) else { return .null }
        if field == .url && CanonicalURL.hasForeignScheme(repaired) { return .null }
        return .text(repaired)
    }

    private static func check(
        _ value: FieldValue, forFeed field: FeedField, _ invalid: (String) -> LibraryError
    ) throws {
        switch field {
        case .url:
            guard let url = value.textValue, CanonicalURL.normalize(url) != nil else {
                throw invalid("a feed's address must be http or https")
            }
        case .added:
            guard value.textValue.flatMap({ try? Timestamp.normalizedDate($0, field: "added") }) != nil else {
                throw invalid("the date it was followed must be an ISO 8601 date")
            }
        case .deleted:
            guard value == .integer(0) || value == .integer(1) else { throw invalid("must be 0 or 1") }
        case .tags:
            guard
                value == .null
                    || value.textValue.flatMap({
                        try? JSONDecoder().decode([String].self, from: Data($0.utf8))
                    })
                    .map({ $0.count <= 100 && $0.allSatisfy { (try? Tag.normalize($0)) == $0 } }) == true
            else { throw invalid("a feed's tags must be a list of up to 100 tags") }
        case .title, .source:
            guard value == .null || value.textValue != nil else { throw invalid("must be text or null") }
        }
    }

    private static func check(_ value: FieldValue, for field: ItemField, _ invalid: (String) -> LibraryError)
        throws
    {
        switch field {
        case .title:
            guard let text = value.textValue, !text.isEmpty else {
                throw invalid("a title must be non-empty text")
            }
        case .body:
            guard let hash = value.textValue, hash.count == 64, hash.allSatisfy(\.isHexDigit) else {
                throw invalid("a body must be a SHA-256 hash")
            }
        case .images:
            guard
                value == .null
                    || value.textValue.flatMap(ImageReferences.init(json:)).map({
                        $0.assets.count <= ImageReferences.maximumCount
                    }) == true
            else {
                throw invalid("an article's images must be a map of addresses to SHA-256 hashes, or null")
            }
        case .html:
            guard
                value == .null
                    || value.textValue.map(ContentHash.isHash) == true
            else {
                throw invalid("an article's HTML must be a SHA-256 hash or null")
            }
        case .readingState:
            guard let state = value.textValue, ReadingState(rawValue: state) != nil else {
                throw invalid("unknown reading state \(value)")
            }
        case .progress:
            let number: Double? =
                switch value {
                case .integer(let value): Double(value)
                case .real(let value): value
                default: nil
                }
            guard let number, (0...1).contains(number) else {
                throw invalid("progress must be a number from 0 to 1")
            }
        case .archived, .favorite, .deleted:
            guard value == .integer(0) || value == .integer(1) else { throw invalid("must be 0 or 1") }
        case .url, .canonicalURL:
            // Earlier versions kept some addresses without a scheme; refusing them would refuse
            // every bundle of such a library. Another scheme than http(s) is refused.
            guard value == .null || value.textValue.map({ !CanonicalURL.hasForeignScheme($0) }) == true else {
                throw invalid("an address must be http or https, or null")
            }
        case .published:
            guard
                value == .null
                    || value.textValue.flatMap({ try? Timestamp.normalizedDate($0, field: "published") })
                        != nil
            else { throw invalid("a publication date must be an ISO 8601 date, or null") }
        case .byline, .source, .language, .note, .event, .entry:
            guard value == .null || value.textValue != nil else { throw invalid("must be text or null") }
        case .listed:
            guard value == .integer(0) || value == .integer(1) else { throw invalid("must be 0 or 1") }
        case .feed:
            guard value == .null || value.textValue.flatMap(ItemID.normalizedPrefix)?.count == ItemID.length
            else {
                throw invalid("a feed must be a feed id or null")
            }
        }
    }
}
