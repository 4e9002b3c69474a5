import Foundation
import GRDB

/// Items that hold the same article: not removed, with one canonical address.
///
/// A save makes the item of its address's id (``ItemID/forAddress(_:)``), so saves of one
/// address on several devices meet in one item. Duplicates remain from versions that gave every
/// item a random id, and from an item whose address was changed to another's; `doctor` reports
/// them and folds them on request.
public struct DuplicateArticles: Sendable, Hashable {
    /// The canonical address the items share.
    public var address: String
    /// The item that stays: the one whose id is the address's, else the oldest id.
    public var kept: String
    /// The items folded into it, by id.
    public var folded: [String]

    /// A group of duplicates.
    public init(address: String, kept: String, folded: [String]) {
        self.address = address
        self.kept = kept
        self.folded = folded
    }
}

extension Library {
    /// Every group of items that hold the same article.
    public func duplicateArticles() throws -> [DuplicateArticles] {
        try read("find duplicates") { db in try Self.duplicateArticles(db) }
    }

    /// Folds each group of duplicates into one item, as one change that syncs.
    ///
    /// The kept item gains the others' tags, their highlights (copies under ids made from the
    /// original's and the kept item's, so two devices that repair at once make the same
    /// copies), the furthest reading position, the archive and favorite marks any of them had,
    /// an event when it had none, and their notes below its own. The others are then removed,
    /// so `restore` brings one back whole.
    /// - Returns: How many items were folded into others.
    @discardableResult
    public func foldDuplicateArticles() throws -> Int {
        try write("fold duplicate articles") { writer in
            var folded = 0
            for group in try Self.duplicateArticles(writer.db) {
                let kept = try resolveSeq(writer.db, group.kept)
                for id in group.folded {
                    try Self.fold(try resolveSeq(writer.db, id), into: kept, keptID: group.kept, writer)
                    folded += 1
                }
            }
            return folded
        }
    }
}

// MARK: - Finding and folding

extension Library {
    /// One problem for each group of duplicates, for ``checkIntegrity(rebuildSearchIndex:progress:)``.
    static func duplicateProblems(_ db: Database) throws -> [IntegrityProblem] {
        try duplicateArticles(db).map { group in
            IntegrityProblem(
                check: "duplicates",
                detail: "\(group.folded.count + 1) items hold \(group.address): \(group.kept) and "
                    + "\(group.folded.joined(separator: ", ")) (doctor --repair folds them into \(group.kept))"
            )
        }
    }

    fileprivate static func duplicateArticles(_ db: Database) throws -> [DuplicateArticles] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT canonical_url, id FROM item WHERE deleted = 0 AND canonical_url IN (
                    SELECT canonical_url FROM item WHERE deleted = 0 AND canonical_url IS NOT NULL
                    GROUP BY canonical_url HAVING count(*) > 1)
                ORDER BY canonical_url, id
                """)
        var groups: [String: [String]] = [:]
        for row in rows { groups[row["canonical_url"], default: []].append(row["id"]) }
        return groups.keys.sorted().map { address in
            let ids = groups[address] ?? []
            let kept = ids.contains(ItemID.forAddress(address)) ? ItemID.forAddress(address) : ids[0]
            return DuplicateArticles(address: address, kept: kept, folded: ids.filter { $0 != kept })
        }
    }

    fileprivate static func fold(_ item: Int64, into kept: Int64, keptID: String, _ writer: ChangeWriter)
        throws
    {
        let db = writer.db
        for tag in try String.fetchAll(
            db, sql: "SELECT tag FROM item_tag WHERE item = ? AND present = 1 ORDER BY tag", arguments: [item]
        ) {
            try writer.setTag(tag, on: kept, present: true)
        }
        for field in ReadingPosition.fields {
            let value = try writer.itemValue(item, field)
            if ReadingPosition.rank(FieldValue(value))
                > ReadingPosition.rank(FieldValue(try writer.itemValue(kept, field)))
            {
                try writer.setItemField(kept, field, to: value)
            }
        }
        for field in [ItemField.archived, .favorite]
        where try writer.itemValue(item, field) == true.databaseValue {
            try writer.setItemField(kept, field, to: true.databaseValue)
        }
        let event = try writer.itemValue(item, .event)
        if !event.isNull, try writer.itemValue(kept, .event).isNull {
            try writer.setItemField(kept, .event, to: event)
        }
        if let note = String.fromDatabaseValue(try writer.itemValue(item, .note)), !note.isEmpty {
            let own = String.fromDatabaseValue(try writer.itemValue(kept, .note)) ?? ""
            if !own.contains(note) {
                try writer.setItemField(
                    kept, .note, to: (own.isEmpty ? note : own + "\n\n" + note).databaseValue)
            }
        }
        let highlights = try Row.fetchAll(
            db,
            sql: "SELECT id, quote, note, created FROM highlight WHERE item = ? AND deleted = 0 ORDER BY id",
            arguments: [item])
        for highlight in highlights {
            let id = ItemID.derived(from: "highlight\u{0}\(highlight["id"] as String)\u{0}\(keptID)")
            guard
                try Int64.fetchOne(db, sql: "SELECT seq FROM highlight WHERE id = ?", arguments: [id]) == nil
            else { continue }
            try writer.insertHighlight(
                id: id, item: kept, quote: highlight["quote"], note: highlight["note"],
                created: highlight["created"])
        }
        try writer.setItemField(item, .deleted, to: true.databaseValue)
    }
}
