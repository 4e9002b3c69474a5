import Foundation
import GRDB

// MARK: - Bodies and images

extension ChangeWriter {
    /// Stores a body unless its hash is already known, and returns the body's row id.
    @discardableResult
    func storeBody(_ text: String, hash knownHash: String? = nil, wordCount: Int? = nil) throws -> Int64 {
        let hash = knownHash ?? ContentHash.of(text)
        // SQLite would keep the text only up to a NUL, and the body would no longer match its hash.
        guard !StoredText.containsNUL(text) else {
            throw LibraryError.invalidChange(
                entity: "body", row: hash, field: "text", reason: "it holds a NUL character")
        }
        if let existing = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM body WHERE hash = ?"), arguments: [hash])
        {
            return existing
        }
        try execute(
            "INSERT INTO body (hash, text, word_count) VALUES (?, ?, ?)",
            [hash, text, wordCount ?? ContentHash.wordCount(of: text)])
        return db.lastInsertedRowID
    }

    /// Stores an image unless its hash is already known or this device keeps no images.
    func storeAsset(_ asset: ImageAsset, hash knownHash: String? = nil) throws {
        guard keepsImages else { return }
        let hash = knownHash ?? asset.hash
        guard
            try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM asset WHERE hash = ?"), arguments: [hash])
                == nil
        else { return }
        try execute(
            "INSERT INTO asset (hash, type, data) VALUES (?, ?, ?)", [hash, asset.type.rawValue, asset.data])
    }

    /// Makes the item's image references the ones its `images` field names, by hash: an image
    /// this library does not hold (it came through a device that keeps none) is named all the same.
    /// - Throws: ``LibraryError/invalidChange(entity:row:field:reason:)`` when the value is not a
    ///   map of addresses to image hashes.
    func linkAssets(of item: Int64, to value: DatabaseValue) throws {
        try execute("DELETE FROM item_image WHERE item = ?", [item])
        guard !value.isNull else { return }
        func invalid(_ reason: String) -> LibraryError {
            .invalidChange(entity: "item", row: "\(item)", field: ItemField.images.rawValue, reason: reason)
        }
        guard let json = String.fromDatabaseValue(value), let references = ImageReferences(json: json) else {
            throw invalid("not a map of image addresses to assets")
        }
        for hash in Set(references.assets.values) {
            try execute("INSERT INTO item_image (item, hash) VALUES (?, ?)", [item, hash])
        }
    }
}
