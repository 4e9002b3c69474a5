import Foundation
import GRDB

// MARK: - Following feeds

extension Library {
    /// Follows the feed at `url`, or follows it again when it had been unfollowed.
    ///
    /// The subscription's id comes from the address (``ItemID/forAddress(_:)``), so two devices
    /// that follow one feed before they sync end with one subscription.
    /// - Parameters:
    ///   - title: The feed's own title, when known.
    ///   - source: The outlet its articles are credited to; nil means the feed's title.
    ///   - tags: Tags its articles get.
    /// - Throws: ``LibraryError/invalidValue(field:value:reason:)`` for an address that is not
    ///   http(s), or text past its field's cap.
    @discardableResult
    public func follow(url: String, title: String? = nil, source: String? = nil, tags: [String] = [])
        throws -> SubscribeOutcome
    {
        guard let stored = try TextField.url.stored(url), let canonical = CanonicalURL.normalize(stored)
        else {
            throw LibraryError.invalidValue(
                field: "url", value: url, reason: "only http and https feeds are followed")
        }
        let title = try title.flatMap(TextField.title.stored)
        let source = try source.flatMap(TextField.source.stored)
        let tags = try Array(Set(tags.map(Tag.normalize))).sorted()
        return try write("follow a feed") { writer in
            let db = writer.db
            if let seq = try Int64.fetchOne(
                db, sql: "SELECT seq FROM feed WHERE id = ? OR url = ? ORDER BY deleted LIMIT 1",
                arguments: [ItemID.forAddress(canonical), stored])
            {
                guard try writer.feedValue(seq, .deleted) == true.databaseValue else {
                    return .alreadyFollowed(try Self.subscription(db, seq: seq))
                }
                try writer.setFeedField(seq, .deleted, to: false.databaseValue)
                if let source { try writer.setFeedField(seq, .source, to: source.databaseValue) }
                if !tags.isEmpty { try writer.setFeedField(seq, .tags, to: Self.tagList(tags)) }
                return .followed(try Self.subscription(db, seq: seq))
            }
            let seq = try writer.insertFeed(
                id: ItemID.forAddress(canonical),
                values: [
                    .url: stored.databaseValue, .title: title.databaseValue, .source: source.databaseValue,
                    .tags: tags.isEmpty ? .null : Self.tagList(tags),
                    .added: environment.timestamp().databaseValue, .deleted: false.databaseValue,
                ])
            return .followed(try Self.subscription(db, seq: seq))
        }
    }

    /// The feeds the reader follows, by outlet; with `includeUnfollowed`, the ones they stopped
    /// following too.
    public func subscriptions(includeUnfollowed: Bool = false) throws -> [FeedSubscription] {
        try read("list followed feeds") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM feed \(includeUnfollowed ? "" : "WHERE deleted = 0")
                    ORDER BY coalesce(source, title, url) COLLATE NOCASE, id
                    """
            ).map(Self.subscription(from:))
        }
    }

    /// The followed feed a reference names: its id or the start of it (eight characters or
    /// more), its address, or its outlet's name (case-insensitive).
    /// - Throws: ``LibraryError/unknownFeed(reference:)`` when none matches,
    ///   ``LibraryError/ambiguousItem(reference:candidates:)`` when several do.
    public func subscription(_ reference: String) throws -> FeedSubscription {
        try read("find a followed feed") { db in try Self.subscription(db, seq: Self.feedSeq(db, reference)) }
    }

    /// Stops following a feed; the articles it brought in stay.
    @discardableResult
    public func unfollow(_ reference: String) throws -> FeedSubscription {
        try write("unfollow a feed") { writer in
            let seq = try Self.feedSeq(writer.db, reference)
            try writer.setFeedField(seq, .deleted, to: true.databaseValue)
            return try Self.subscription(writer.db, seq: seq)
        }
    }

    /// Records what a fetch learned about a followed feed: a new address after a permanent
    /// redirect, and its title. A value that is already there changes nothing.
    public func updateSubscription(_ id: String, url: String? = nil, title: String? = nil) throws {
        let url = try url.flatMap(TextField.url.stored)
        if let url, CanonicalURL.normalize(url) == nil {
            throw LibraryError.invalidValue(
                field: "url", value: url, reason: "only http and https feeds are followed")
        }
        let title = try title.flatMap(TextField.title.stored)
        try write("update a followed feed") { writer in
            let seq = try Self.feedSeq(writer.db, id)
            if let url { try writer.setFeedField(seq, .url, to: url.databaseValue) }
            if let title { try writer.setFeedField(seq, .title, to: title.databaseValue) }
        }
    }
}

// MARK: - Reading rows

extension Library {
    private static func tagList(_ tags: [String]) -> DatabaseValue {
        String(decoding: (try? JSONEncoder().encode(tags)) ?? Data("[]".utf8), as: UTF8.self).databaseValue
    }

    static func subscription(_ db: Database, seq: Int64) throws -> FeedSubscription {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM feed WHERE seq = ?", arguments: [seq]) else {
            throw LibraryError.unknownFeed(reference: "#\(seq)")
        }
        return subscription(from: row)
    }

    private static func subscription(from row: Row) -> FeedSubscription {
        let tags = (row["tags"] as String?).flatMap {
            try? JSONDecoder().decode([String].self, from: Data($0.utf8))
        }
        return FeedSubscription(
            id: row["id"], url: row["url"], title: row["title"], source: row["source"], tags: tags ?? [],
            added: row["added"], deleted: row["deleted"])
    }

    private static func feedSeq(_ db: Database, _ reference: String) throws -> Int64 {
        var matches = try Int64.fetchAll(
            db, sql: "SELECT seq FROM feed WHERE id = ? OR url = ? OR source = ? COLLATE NOCASE",
            arguments: [reference, reference, reference])
        if matches.isEmpty, let canonical = CanonicalURL.normalize(reference) {
            matches = try Int64.fetchAll(
                db, sql: "SELECT seq FROM feed WHERE id = ?", arguments: [ItemID.forAddress(canonical)])
        }
        if matches.isEmpty, let prefix = ItemID.normalizedPrefix(reference), prefix.count >= 8 {
            matches = try Int64.fetchAll(
                db, sql: "SELECT seq FROM feed WHERE id >= ? AND id < ? LIMIT 2",
                arguments: [prefix, prefix + "\u{10FFFF}"])
        }
        if matches.isEmpty {
            matches = try Int64.fetchAll(
                db, sql: "SELECT seq FROM feed WHERE source IS NULL AND title = ? COLLATE NOCASE",
                arguments: [reference])
        }
        if matches.count > 1 {
            let ids = try String.fetchAll(
                db,
                sql: "SELECT id FROM feed WHERE seq IN (\(matches.map(String.init).joined(separator: ",")))")
            throw LibraryError.ambiguousItem(
                reference: reference, candidates: ids.map { String($0.prefix(8)) })
        }
        guard let seq = matches.first else { throw LibraryError.unknownFeed(reference: reference) }
        return seq
    }
}
