import Foundation
import GRDB

// MARK: - Filling in an article's HTML and images

extension Library {
    /// Items that could gain HTML or images: not removed, with HTML already, or with text and a
    /// web address to fetch it from. Sorted by id, so a run that is interrupted resumes in order.
    public func itemsForImages() throws -> [String] {
        try read("list items for images") { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT item.id FROM item JOIN body INDEXED BY body_summary ON body.id = item.body_id
                    WHERE item.deleted = 0 AND (item.html_id IS NOT NULL
                        OR (item.url IS NOT NULL AND body.word_count > 0))
                    ORDER BY item.id
                    """)
        }
    }

    /// Keeps images for an item, and its HTML when it had none, in one change.
    ///
    /// Images held already stay; the new ones join them, and an address the item names without
    /// the library holding its image takes the one fetched now. The text is never touched: the
    /// HTML is a second representation of it.
    /// - Parameters:
    ///   - reference: The item's id or a unique prefix.
    ///   - html: Sanitized HTML for an item that has none; ignored when it has some.
    ///   - images: Images fetched for addresses its HTML names.
    /// - Returns: How many images the library did not hold before.
    @discardableResult
    public func keepMedia(of reference: String, html: String? = nil, images: [ArticleImageAsset]) throws
        -> Int
    {
        // The checks an add makes (formats, sizes, counts), before the first write.
        let html = try html.flatMap(PreparedDraft.checkedHTML)
        let (assets, _) = try PreparedDraft.checkedImages(images)
        return try write("keep an article's images") { writer in
            let seq = try resolveSeq(writer.db, reference)
            if let html, try writer.itemValue(seq, .html).isNull {
                let hash = ContentHash.of(html)
                try writer.storeBody(html, hash: hash)
                try writer.setItemField(seq, .html, to: hash.databaseValue)
            }
            let current =
                try String.fromDatabaseValue(writer.itemValue(seq, .images))
                .flatMap(ImageReferences.init(json:))?.assets ?? [:]
            let held = { (hash: String) in
                try Int64.fetchOne(writer.db, sql: "SELECT id FROM asset WHERE hash = ?", arguments: [hash])
                    != nil
            }
            // An address keeps its image while the library holds it; one it names but does not
            // hold (dropped, or passed on by a device that keeps none) takes the image fetched now.
            var merged = current
            var newlyHeld = 0
            for image in images {
                if let named = merged[image.url], try held(named) { continue }
                merged[image.url] = image.asset.hash
                if try !held(image.asset.hash) { newlyHeld += 1 }
            }
            guard merged.count <= ImageReferences.maximumCount else {
                throw LibraryError.invalidValue(
                    field: "images", value: "\(merged.count)",
                    reason: "an article may keep at most \(ImageReferences.maximumCount) images")
            }
            for (hash, asset) in assets { try writer.storeAsset(asset, hash: hash) }
            if merged != current {
                try writer.setItemField(seq, .images, to: ImageReferences(merged).json.databaseValue)
            }
            return newlyHeld
        }
    }
}

// MARK: - Whether this device keeps images

/// What a library holds of its articles' images, on this device.
public struct ImageStorage: Sendable, Hashable, Codable {
    /// Whether this device keeps images (a setting of the device, not synced).
    public var keepsImages: Bool
    /// Images held, and their bytes.
    public var images: Int
    /// The bytes of the images held.
    public var bytes: Int
    /// Images that items not removed name and this library does not hold: `fetch-images` can
    /// fetch them while their pages are online.
    public var missing: Int

    enum CodingKeys: String, CodingKey {
        case images, bytes, missing
        case keepsImages = "keeps_images"
    }
}

extension Library {
    /// The images this device holds and misses, and whether it keeps them.
    public func imageStorage() throws -> ImageStorage {
        try read("count images") { db in
            let keeps = try Bool.fetchOne(db, sql: "SELECT keeps_images FROM library") ?? true
            var totals: [String: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT kind, count FROM item_count WHERE kind IN ('images', 'image_bytes')")
            {
                totals[row[0]] = row[1]
            }
            let missing =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(DISTINCT item_image.hash) FROM item_image JOIN item ON item.seq = item_image.item
                        WHERE item.deleted = 0 AND NOT EXISTS (SELECT 1 FROM asset WHERE asset.hash = item_image.hash)
                        """) ?? 0
            return ImageStorage(
                keepsImages: keeps, images: totals["images"] ?? 0, bytes: totals["image_bytes"] ?? 0,
                missing: missing)
        }
    }

    /// Turns keeping images on or off for this device.
    ///
    /// Off, new images are neither fetched nor stored, whether they come from the web or in a
    /// bundle; items still name them, so `fetch-images` can fetch them once it is on again.
    /// - Parameter dropKept: When turning off, also delete the images held now, to free their space.
    /// - Returns: What was held before.
    @discardableResult
    public func setKeepsImages(_ keep: Bool, dropKept: Bool = false) throws -> ImageStorage {
        let before = try imageStorage()
        try database.write { db in
            try db.execute(sql: "UPDATE library SET keeps_images = ?", arguments: [keep])
            if !keep && dropKept { try db.execute(sql: "DELETE FROM asset") }
        }
        return before
    }
}

// MARK: - Collecting images no article uses

extension Library {
    /// Deletes the images that nothing can need any more, and returns how many and their bytes.
    ///
    /// An image is collected when no item that is not removed names it, no kept history of such
    /// an item names it (a restore to that version would show it), and every device this
    /// library trusts has seen the removal of each item that named it (a bundle it still has to
    /// receive could not carry the image otherwise). A removed item restored later names images
    /// that are gone: its page links them, and `fetch-images` fetches them again.
    /// - Parameter peers: What each trusted device has seen, by device (sync's record of peers);
    ///   nil for one that has never sent a bundle, whose knowledge is unknown.
    @discardableResult
    public func collectImages(peers: [String: VersionVector?]) throws -> (images: Int, bytes: Int) {
        try database.write { db in
            let inHistory = try Self.imagesInHistory(db)
            var collected = (images: 0, bytes: 0)
            for row in try Row.fetchAll(db, sql: "SELECT id, hash, length(data) AS bytes FROM asset") {
                let hash: String = row["hash"]
                guard !inHistory.contains(hash), try Self.isCollectable(hash, db, peers: peers) else {
                    continue
                }
                try db.execute(sql: "DELETE FROM asset WHERE id = ?", arguments: [row["id"] as Int64])
                collected.images += 1
                collected.bytes += row["bytes"] as Int
            }
            return collected
        }
    }
}

private extension Library {
    /// Every image a kept history entry of a live item names, read in one pass: a restore to
    /// that version would show it.
    static func imagesInHistory(_ db: Database) throws -> Set<String> {
        var hashes = Set<String>()
        let values = try String?.fetchAll(
            db,
            sql: """
                SELECT change.old_value FROM change JOIN item ON item.seq = change.item
                WHERE item.deleted = 0 AND change.field = 'images'
                UNION ALL SELECT change.new_value FROM change JOIN item ON item.seq = change.item
                WHERE item.deleted = 0 AND change.field = 'images'
                """)
        for case let json? in values {
            hashes.formUnion(ImageReferences(json: json)?.assets.values.map { $0 } ?? [])
        }
        return hashes
    }

    /// Whether an image no live item's history names can go: every item naming it is removed,
    /// and every trusted device has seen each removal.
    static func isCollectable(_ hash: String, _ db: Database, peers: [String: VersionVector?]) throws -> Bool
    {
        let users = try Row.fetchAll(
            db,
            sql: """
                SELECT item.seq, item.deleted FROM item_image JOIN item ON item.seq = item_image.item
                WHERE item_image.hash = ?
                """, arguments: [hash])
        guard users.allSatisfy({ ($0["deleted"] as Bool) }) else { return false }
        for user in users {
            guard
                let removal = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT device.id, field_clock.counter FROM field_clock JOIN device ON device.seq = field_clock.device
                        WHERE field_clock.entity = 'item' AND field_clock.row = ? AND field_clock.field = 'deleted'
                        """, arguments: [user["seq"] as Int64])
            else { return false }
            let (device, counter): (String, Int) = (removal[0], removal[1])
            for (_, vector) in peers {
                guard let vector, (vector.counters[device] ?? 0) >= counter else { return false }
            }
        }
        return true
    }
}
