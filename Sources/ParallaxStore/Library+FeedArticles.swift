import Foundation
import GRDB

// MARK: - Articles feeds bring in

extension Library {
    /// Whether the library holds a feed entry's article already, removed or not: by the entry's
    /// key, by the id its address gives (``ItemID/forAddress(_:)``), or by that address.
    ///
    /// A refresh asks before it fetches an entry's page, so a known entry costs no request; the
    /// save itself (``add(_:force:)`` with ``ItemDraft/feedEntry``) asks again in its transaction.
    public func holdsFeedArticle(url: String?, entry: String?) throws -> Bool {
        try read("look up a feed's article") { db in
            try ChangeWriter.knownFeedArticle(
                db, canonicalURL: url.flatMap(CanonicalURL.normalize), entry: entry)
                != nil
        }
    }

    /// Puts a feed's article on the reader's list, as saving it by hand would.
    /// - Returns: The item, and whether it was off the list before.
    /// - Throws: ``LibraryError/unknownItem(reference:)``.
    @discardableResult
    public func saveToList(_ reference: String) throws -> (item: Item, moved: Bool) {
        try write("save an article to the list") { writer in
            let seq = try resolveSeq(writer.db, reference)
            guard try writer.itemValue(seq, .deleted) == false.databaseValue else {
                throw LibraryError.invalidValue(
                    field: "item", value: reference,
                    reason: "it was removed; 'parallax restore' brings it back first")
            }
            let moved = try writer.putOnList(seq)
            return (try fetchItem(writer.db, seq: seq), moved)
        }
    }
}

extension ChangeWriter {
    /// The item a feed's draft is already in the library as, removed ones included, and why.
    func knownFeedArticle(_ prepared: PreparedDraft, entry: String?) throws -> (Int64, DuplicateReason)? {
        if let found = try Self.knownFeedArticle(db, canonicalURL: prepared.canonicalURL, entry: entry) {
            return found
        }
        // The same text under another address (a feed that moved its articles): not saved twice.
        guard !prepared.draft.text.isEmpty else { return nil }
        return try Int64.fetchOne(
            db.cachedStatement(
                sql:
                    "SELECT item.seq FROM item JOIN body ON body.id = item.body_id WHERE body.hash = ? LIMIT 1"
            ),
            arguments: [prepared.hash]
        ).map { ($0, .content) }
    }

    /// The item of an entry key or a canonical address, removed ones included.
    static func knownFeedArticle(_ db: Database, canonicalURL: String?, entry: String?) throws -> (
        Int64, DuplicateReason
    )? {
        if let entry,
            let seq = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT seq FROM item WHERE entry = ? LIMIT 1"), arguments: [entry])
        {
            return (seq, .entry)
        }
        guard let canonicalURL else { return nil }
        let seq = try Int64.fetchOne(
            db.cachedStatement(
                sql:
                    "SELECT seq FROM item WHERE id = ? UNION ALL SELECT seq FROM item WHERE canonical_url = ? LIMIT 1"
            ),
            arguments: [ItemID.forAddress(canonicalURL), canonicalURL])
        return seq.map { ($0, .url) }
    }
}
