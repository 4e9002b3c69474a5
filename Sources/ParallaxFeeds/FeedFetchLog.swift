import Foundation
import GRDB
import ParallaxMigrations
import ParallaxStore

/// What this device learned fetching a followed feed (feeds migration 0001). It never syncs.
public struct FeedFetchState: Sendable, Hashable, Codable {
    /// The subscription's id.
    public var feed: String
    /// The validators of the copy last read, sent back so an unchanged feed costs no body.
    public var etag: String?
    /// The `Last-Modified` of the copy last read.
    public var lastModified: String?
    /// The last attempt.
    public var lastFetch: Date?
    /// The last attempt that read the feed or learnt it had not changed.
    public var lastSuccess: Date?
    /// When it is due again.
    public var nextFetch: Date?
    /// Failures in a row, which the backoff grows with.
    public var failures = 0
    /// What went wrong last, in one line; nil after a success.
    public var lastError: String?
    /// Whether the server said the feed is gone (410): it is not fetched again unless named.
    public var gone = false
    /// The articles it brought in on this device.
    public var articles = 0
    /// Requests made for the feed's document.
    public var requests = 0
    /// Answers that it had not changed (304), each a body not sent again.
    public var notModified = 0
    /// Entries kept with their summary, whose page is to be fetched again.
    public var pendingPages = 0

    /// A feed never fetched here.
    public init(feed: String) { self.feed = feed }

    /// Whether it is due at `now`.
    public func isDue(at now: Date) -> Bool { !gone && (nextFetch.map { $0 <= now } ?? true) }
}

/// An entry kept with its summary because its page could not be fetched.
struct PageRetry: Sendable, Hashable {
    var item: String
    var feed: String
    var url: String
    var attempts: Int
}

/// The feeds module's tables in one library.
struct FeedFetchLog: Sendable {
    /// How many times an entry's page is tried before its summary is left as the article.
    static let maximumPageAttempts = 4

    let tables: OwnedTables

    init(library: Library) { tables = library.tables(of: .feeds) }

    /// The state of every feed fetched here, by id.
    func states() throws -> [String: FeedFetchState] {
        try tables.read("read what feeds' fetches learnt") { db in
            var states: [String: FeedFetchState] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM feed_fetch") {
                var state = FeedFetchState(feed: row["feed"])
                state.etag = row["etag"]
                state.lastModified = row["last_modified"]
                state.lastFetch = Self.date(row["last_fetch"])
                state.lastSuccess = Self.date(row["last_success"])
                state.nextFetch = Self.date(row["next_fetch"])
                state.failures = row["failures"]
                state.lastError = row["last_error"]
                state.gone = row["gone"]
                state.articles = row["articles"]
                state.requests = row["requests"]
                state.notModified = row["not_modified"]
                states[state.feed] = state
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT feed, count(*) AS pending FROM feed_page_retry GROUP BY feed")
            {
                states[row["feed"], default: FeedFetchState(feed: row["feed"])].pendingPages = row["pending"]
            }
            return states
        }
    }

    /// Records a feed's state.
    func save(_ state: FeedFetchState) throws {
        try tables.write("record what a feed's fetch learnt") { db in
            try db.execute(
                sql: """
                    INSERT INTO feed_fetch (feed, etag, last_modified, last_fetch, last_success, next_fetch,
                        failures, last_error, gone, articles, requests, not_modified)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (feed) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
                        last_fetch = excluded.last_fetch, last_success = excluded.last_success,
                        next_fetch = excluded.next_fetch, failures = excluded.failures,
                        last_error = excluded.last_error, gone = excluded.gone, articles = excluded.articles,
                        requests = excluded.requests, not_modified = excluded.not_modified
                    """,
                arguments: [
                    state.feed, state.etag, state.lastModified, state.lastFetch.map(Self.text),
                    state.lastSuccess.map(Self.text), state.nextFetch.map(Self.text), state.failures,
                    state.lastError, state.gone, state.articles, state.requests, state.notModified,
                ])
        }
    }

    /// Entries whose page is to be tried again, those tried least first.
    func pagesToRetry(limit: Int) throws -> [PageRetry] {
        try tables.read("read the pages to fetch again") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM feed_page_retry WHERE attempts < ? ORDER BY attempts, item LIMIT ?",
                arguments: [Self.maximumPageAttempts, limit]
            ).map { PageRetry(item: $0["item"], feed: $0["feed"], url: $0["url"], attempts: $0["attempts"]) }
        }
    }

    /// Records that an entry's page could not be fetched, or failed once more.
    func recordPageFailure(item: String, feed: String, url: String, error: String) throws {
        try tables.write("record a page to fetch again") { db in
            try db.execute(
                sql: """
                    INSERT INTO feed_page_retry (item, feed, url, error) VALUES (?, ?, ?, ?)
                    ON CONFLICT (item) DO UPDATE SET attempts = attempts + 1, error = excluded.error
                    """, arguments: [item, feed, url, error])
        }
    }

    /// Forgets an entry's page: fetched at last, or its article removed.
    func forgetPage(item: String) throws {
        try tables.write("forget a page to fetch again") { db in
            try db.execute(sql: "DELETE FROM feed_page_retry WHERE item = ?", arguments: [item])
        }
    }

    private static func text(_ date: Date) -> String { Timestamp.string(from: date) }

    private static func date(_ text: String?) -> Date? {
        text.flatMap { try? Date($0, strategy: .iso8601) }
    }
}
