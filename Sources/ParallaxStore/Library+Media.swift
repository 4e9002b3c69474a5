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
    /// Images already kept stay; the new ones join them. The text is never touched: the HTML is
    /// a second representation of it.
    /// - Parameters:
    ///   - reference: The item's id or a unique prefix.
    ///   - html: Sanitized HTML for an item that has none; ignored when it has some.
    ///   - images: Images fetched for addresses its HTML names.
    /// - Returns: How many images were new to the item.
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
            var merged = current
            for image in images where merged[image.url] == nil {
                merged[image.url] = image.asset.hash
            }
            guard merged.count > current.count else { return 0 }
            guard merged.count <= ImageReferences.maximumCount else {
                throw LibraryError.invalidValue(
                    field: "images", value: "\(merged.count)",
                    reason: "an article may keep at most \(ImageReferences.maximumCount) images")
            }
            for (hash, asset) in assets { try writer.storeAsset(asset, hash: hash) }
            try writer.setItemField(seq, .images, to: ImageReferences(merged).json.databaseValue)
            return merged.count - current.count
        }
    }
}
