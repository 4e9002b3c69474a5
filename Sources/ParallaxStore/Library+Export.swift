import Foundation
import GRDB

/// An item with everything the library holds about it: the unit of `export --format jsonl`.
public struct ItemRecord: Codable, Hashable, Sendable {
    /// The item's fields.
    public var item: Item
    /// Its body text.
    public var text: String
    /// Its highlights, by id.
    public var highlights: [Highlight]
    /// Its body as sanitized HTML, when the library keeps it.
    public var html: String?
    /// The images the library keeps for its HTML, by address, when they were asked for
    /// (`forEachRecord(withImages: true)`). Not part of the JSON Lines record: an export of
    /// text stays text.
    public var images: [String: ImageAsset]

    /// Creates a record.
    public init(
        item: Item, text: String, highlights: [Highlight], html: String? = nil,
        images: [String: ImageAsset] = [:]
    ) {
        self.item = item
        self.text = text
        self.highlights = highlights
        self.html = html
        self.images = images
    }

    private enum CodingKeys: String, CodingKey {
        case text, highlights, html
    }

    /// Decodes the item's keys and `text` and `highlights` from one flat object.
    public init(from decoder: any Decoder) throws {
        item = try Item(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        text = try container.decode(String.self, forKey: .text)
        html = try container.decodeIfPresent(String.self, forKey: .html)
        images = [:]
        let itemID = item.id
        highlights = (try container.decodeIfPresent([RecordHighlight].self, forKey: .highlights) ?? []).map {
            Highlight(
                id: $0.id, itemID: itemID, quote: $0.quote, note: $0.note, created: $0.created,
                deleted: $0.deleted)
        }
    }

    /// Encodes as one flat object: the item's keys plus `text` and `highlights`.
    public func encode(to encoder: any Encoder) throws {
        try item.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encodeIfPresent(html, forKey: .html)
        try container.encode(
            highlights.map {
                RecordHighlight(
                    id: $0.id, quote: $0.quote, note: $0.note, created: $0.created, deleted: $0.deleted)
            }, forKey: .highlights)
    }
}

/// A highlight inside its item's record, without the redundant item id.
private struct RecordHighlight: Codable {
    let id: String
    let quote: String
    let note: String?
    let created: String
    let deleted: Bool
}

extension Library {
    /// The encoder every JSON output of Parallax uses: sorted keys, unescaped slashes.
    public static func jsonEncoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty
            ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Writes every item as one JSON object a line, sorted by id, keys sorted.
    ///
    /// The output depends only on the library's state, never on when or where it runs, so
    /// two libraries that hold the same items export the same bytes.
    /// - Parameters:
    ///   - includeDeleted: Also write tombstoned items and highlights (marked `"deleted": true`).
    ///   - filter: Only items that pass it.
    ///   - line: Receives each line, with its newline.
    /// - Returns: How many items were written.
    @discardableResult
    public func exportJSONLines(
        includeDeleted: Bool = false, filter: ((Item) -> Bool)? = nil, line: (Data) throws -> Void
    ) throws -> Int {
        let encoder = Self.jsonEncoder()
        return try forEachRecord(includeDeleted: includeDeleted, filter: filter) { record in
            var data = try encoder.encode(record)
            data.append(0x0A)
            try line(data)
        }
    }

    /// Hands every item with its text and highlights to `body`, one at a time, in the order they
    /// were saved, then by id (an article's id comes from its address and says nothing of time).
    /// - Parameters:
    ///   - includeDeleted: Also hand over tombstoned items and highlights.
    ///   - withImages: Also read the kept images of items with HTML (``ItemRecord/images``).
    ///   - filter: Only items that pass it.
    ///   - body: Receives each record; what it throws stops the walk.
    /// - Returns: How many records were handed over.
    @discardableResult
    public func forEachRecord(
        includeDeleted: Bool = false, withImages: Bool = false, filter: ((Item) -> Bool)? = nil,
        _ body: (ItemRecord) throws -> Void
    ) throws -> Int {
        var count = 0
        try read("export the library") { db in
            let condition = includeDeleted ? "" : "WHERE item.deleted = 0"
            let rows = try Row.fetchCursor(
                db, sql: "\(Self.itemSelection) \(condition) ORDER BY item.saved, item.id")
            while let row = try rows.next() {
                let item = Self.item(from: row)
                if let filter, !filter(item) { continue }
                let text =
                    try String.fetchOne(
                        db, sql: "SELECT text FROM body WHERE id = ?", arguments: [row["body_id"] as Int64])
                    ?? ""
                let highlights = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT highlight.*, ? AS item_id FROM highlight WHERE item = ? \(includeDeleted ? "" : "AND deleted = 0")
                        ORDER BY id
                        """, arguments: [item.id, row["seq"] as Int64]
                ).map(Self.highlight(from:))
                let html = try String.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT text FROM body WHERE id = (SELECT html_id FROM item WHERE seq = ?)"),
                    arguments: [row["seq"] as Int64])
                let images = withImages && html != nil ? try Self.images(db, ofItem: item.id) : [:]
                try body(
                    ItemRecord(item: item, text: text, highlights: highlights, html: html, images: images))
                count += 1
            }
        }
        return count
    }
}

// MARK: - The article's HTML

extension Library {
    /// The item's body as sanitized HTML, nil when the library keeps only its text.
    /// - Throws: ``LibraryError/unknownItem(reference:)`` when no item has the id.
    public func articleHTML(ofItem id: String) throws -> String? {
        try read("read an article's HTML") { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT html_id FROM item WHERE id = ?", arguments: [id])
            else { throw LibraryError.unknownItem(reference: id) }
            guard let htmlID: Int64 = row["html_id"] else { return nil }
            return try String.fetchOne(db, sql: "SELECT text FROM body WHERE id = ?", arguments: [htmlID])
        }
    }

    /// The images the library keeps for the item, by the address its HTML names them with.
    /// - Throws: ``LibraryError/unknownItem(reference:)`` when no item has the id.
    public func articleImages(ofItem id: String) throws -> [String: ImageAsset] {
        try read("read an article's images") { db in try Self.images(db, ofItem: id) }
    }

    fileprivate static func images(_ db: Database, ofItem id: String) throws -> [String: ImageAsset] {
        guard let row = try Row.fetchOne(db, sql: "SELECT images FROM item WHERE id = ?", arguments: [id])
        else { throw LibraryError.unknownItem(reference: id) }
        guard let json: String = row["images"], let references = ImageReferences(json: json) else {
            return [:]
        }
        var images: [String: ImageAsset] = [:]
        for (address, hash) in references.assets {
            guard
                let asset = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT type, data FROM asset WHERE hash = ?"), arguments: [hash]),
                let type = ImageType(rawValue: asset["type"])
            else { continue }
            images[address] = ImageAsset(type: type, data: asset["data"])
        }
        return images
    }
}
