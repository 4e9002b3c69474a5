import Foundation
import GRDB
import ParallaxStore

// MARK: - The grouping's working state

/// One grouped article's stored state: what incremental grouping needs of it without its text.
struct GroupedArticle: Sendable, Equatable {
    /// The item's row number, the key every grouping table uses.
    var seq: Int64
    /// The item's id; an event is named by its smallest.
    var id: String
    /// Its outlet.
    var source: String
    /// Days since 1970-01-01 of its publication (or else saving) date, when known.
    var day: Int32?
    /// Its kept terms, ascending: `term << 8 | min(count, 255)`.
    var terms: [UInt32]
    /// The terms the candidate index finds it by.
    var distinctive: [Int32]
    /// Its closest match of another outlet, when it has one.
    var best: Int64?
    /// The similarity to that match.
    var bestSimilarity: Double
    /// Its event: the seq of the event's article with the smallest id.
    var event: Int64

    /// Creates an article's state.
    init(
        seq: Int64, id: String, source: String, day: Int32?, terms: [UInt32], distinctive: [Int32],
        best: Int64?, bestSimilarity: Double, event: Int64
    ) {
        self.seq = seq
        self.id = id
        self.source = source
        self.day = day
        self.terms = terms
        self.distinctive = distinctive
        self.best = best
        self.bestSimilarity = bestSimilarity
        self.event = event
    }
}

/// What one grouping update changes in the stored state.
struct GroupingStateChanges: Sendable {
    /// How many articles the term counts cover after the update.
    var documents = 0
    /// Terms first seen, by id.
    var newTerms: [Int32: String] = [:]
    /// The article counts of every term that changed, new ones included.
    var frequencies: [Int32: Int32] = [:]
    /// Articles no longer grouped (removed, changed, or put in an event by the reader).
    var removed: [GroupedArticle] = []
    /// Articles added or changed, written whole.
    var saved: [GroupedArticle] = []
    /// Strong pairs made, smaller seq first.
    var strongAdded: [(Int64, Int64)] = []
    /// Strong pairs no longer strong, smaller seq first.
    var strongRemoved: [(Int64, Int64)] = []

    /// No changes yet.
    init() {}
}

/// The grouping state, read and changed inside one transaction.
///
/// Every read is by key, so an update that touches a thousand articles reads what they touch,
/// whatever the library's size.
struct GroupingStateTransaction {
    let db: Database
    /// The library's clock's time, for the state's date.
    let now: Date

    /// The grouper whose state is stored, how many articles its term counts cover, and how
    /// many they covered when the library was last grouped from scratch.
    func stored() throws -> (grouper: String?, documents: Int, fromScratch: Int) {
        let row = try Row.fetchOne(
            db, sql: "SELECT grouper, documents, grouped_documents FROM event_grouping_state WHERE id = 1")
        return (row?[0], row?[1] ?? 0, row?[2] ?? 0)
    }

    /// The items changed since the state was last brought up to date, and the last change's number.
    func pendingChanges() throws -> (through: Int64, items: [Int64]) {
        let through =
            try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM event_grouping_change") ?? 0
        let items = try Int64.fetchAll(
            db, sql: "SELECT DISTINCT item FROM event_grouping_change ORDER BY item")
        return (through, items)
    }

    /// The items among `seqs` that grouping sorts (see ``Library/articlesToGroup()``), with their texts.
    func articlesToGroup(_ seqs: [Int64]) throws -> [(article: Library.ArticleToGroup, text: String)] {
        try ArticleRows(db).articlesToGroup(seqs)
    }

    /// The ids and article counts of the known words among `words`.
    func terms(_ words: some Sequence<String>) throws -> [String: (id: Int32, documents: Int32)] {
        let statement = try db.cachedStatement(sql: "SELECT id, documents FROM grouping_term WHERE word = ?")
        var found: [String: (id: Int32, documents: Int32)] = [:]
        for word in words {
            if let row = try Row.fetchOne(statement, arguments: [word]) { found[word] = (row[0], row[1]) }
        }
        return found
    }

    /// The article counts of some terms.
    func frequencies(of terms: some Sequence<Int32>) throws -> [Int32: Int32] {
        let statement = try db.cachedStatement(sql: "SELECT documents FROM grouping_term WHERE id = ?")
        var found: [Int32: Int32] = [:]
        for term in terms {
            if let documents = try Int32.fetchOne(statement, arguments: [term]) { found[term] = documents }
        }
        return found
    }

    /// The largest term id in use, so new terms are numbered after it.
    func largestTermID() throws -> Int32 {
        try Int32.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM grouping_term") ?? 0
    }

    /// The stored state of those of `seqs` that are grouped.
    func articles(_ seqs: some Sequence<Int64>) throws -> [GroupedArticle] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT item, source, day, terms, distinctive, best, best_similarity, event
                FROM grouping_article WHERE item = ?
                """)
        let rows = try seqs.compactMap { seq in try Row.fetchOne(statement, arguments: [seq]) }
        let ids = try ArticleRows(db).itemIDs(rows.map { $0[0] as Int64 })
        return rows.compactMap { row in
            ids[row[0]].map { id in
                GroupedArticle(
                    seq: row[0], id: id, source: row[1], day: row[2], terms: Self.words(row[3]),
                    distinctive: Self.words(row[4]).map { Int32(bitPattern: $0) }, best: row[5],
                    bestSimilarity: row[6], event: row[7])
            }
        }
    }

    /// The articles whose closest match is `seq`.
    func articles(matchingBest seq: Int64) throws -> [Int64] {
        try Int64.fetchAll(
            db.cachedStatement(sql: "SELECT item FROM grouping_article WHERE best = ?"), arguments: [seq])
    }

    /// The articles of an event.
    func members(ofEvent event: Int64) throws -> [Int64] {
        try Int64.fetchAll(
            db.cachedStatement(sql: "SELECT item FROM grouping_article WHERE event = ?"), arguments: [event])
    }

    /// The articles a distinctive term finds.
    func postings(of term: Int32) throws -> [Int64] {
        try Int64.fetchAll(
            db.cachedStatement(sql: "SELECT item FROM grouping_posting WHERE term = ?"), arguments: [term])
    }

    /// The articles strongly similar to `seq`.
    func strongPartners(of seq: Int64) throws -> [Int64] {
        try Int64.fetchAll(
            db.cachedStatement(
                sql:
                    "SELECT second FROM grouping_strong WHERE first = ?1 UNION SELECT first FROM grouping_strong WHERE second = ?1"
            ), arguments: [seq])
    }

    /// The item ids of some articles, by seq.
    func itemIDs(_ seqs: some Sequence<Int64>) throws -> [Int64: String] {
        try ArticleRows(db).itemIDs(Array(seqs))
    }

    /// Records that the state is current for `grouper` through change `changesThrough`, its
    /// term counts covering `documents` articles. Changes noted later stay noted.
    /// - Parameter fromScratch: Whether the whole library was grouped anew.
    func finish(grouper: String, documents: Int, changesThrough: Int64, fromScratch: Bool = false)
        throws
    {
        try db.execute(sql: "DELETE FROM event_grouping_change WHERE id <= ?", arguments: [changesThrough])
        try db.execute(
            sql: """
                INSERT INTO event_grouping_state (id, grouper, grouped_at, documents, grouped_documents)
                VALUES (?1, ?2, ?3, ?4, ?4)
                ON CONFLICT (id) DO UPDATE SET
                    grouper = excluded.grouper, grouped_at = excluded.grouped_at, documents = excluded.documents,
                    grouped_documents = CASE WHEN ?5 THEN excluded.documents ELSE grouped_documents END
                """,
            arguments: [1, grouper, Timestamp.string(from: now), documents, fromScratch])
    }

    /// Writes an update's changes.
    func apply(_ changes: GroupingStateChanges) throws {
        let insertTerm = try db.cachedStatement(
            sql: "INSERT INTO grouping_term (id, word, documents) VALUES (?, ?, 0)")
        for (id, word) in changes.newTerms.sorted(by: { $0.key < $1.key }) {
            try insertTerm.execute(arguments: [id, word])
        }
        let count = try db.cachedStatement(sql: "UPDATE grouping_term SET documents = ? WHERE id = ?")
        for (term, documents) in changes.frequencies { try count.execute(arguments: [documents, term]) }
        let unpost = try db.cachedStatement(sql: "DELETE FROM grouping_posting WHERE term = ? AND item = ?")
        for article in changes.removed {
            for term in article.distinctive { try unpost.execute(arguments: [term, article.seq]) }
            try db.execute(sql: "DELETE FROM grouping_article WHERE item = ?", arguments: [article.seq])
            try db.execute(
                sql: "DELETE FROM grouping_strong WHERE first = ?1 OR second = ?1", arguments: [article.seq])
        }
        try save(changes.saved)
        let unlink = try db.cachedStatement(sql: "DELETE FROM grouping_strong WHERE first = ? AND second = ?")
        for (first, second) in changes.strongRemoved { try unlink.execute(arguments: [first, second]) }
        let link = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO grouping_strong (first, second) VALUES (?, ?)")
        for (first, second) in changes.strongAdded { try link.execute(arguments: [first, second]) }
    }

    /// Writes articles whole, posting the distinctive terms of those not stored before.
    func save(_ articles: [GroupedArticle]) throws {
        let existing = try db.cachedStatement(sql: "SELECT distinctive FROM grouping_article WHERE item = ?")
        let unpost = try db.cachedStatement(sql: "DELETE FROM grouping_posting WHERE term = ? AND item = ?")
        let post = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO grouping_posting (term, item) VALUES (?, ?)")
        let upsert = try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO grouping_article
                    (item, source, day, terms, distinctive, best, best_similarity, event)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for article in articles {
            let distinctive = article.distinctive.map { UInt32(bitPattern: $0) }
            if let before = try Data.fetchOne(existing, arguments: [article.seq]).map(Self.words) {
                if before != distinctive {
                    for term in before {
                        try unpost.execute(arguments: [Int32(bitPattern: term), article.seq])
                    }
                    for term in article.distinctive { try post.execute(arguments: [term, article.seq]) }
                }
            } else {
                for term in article.distinctive { try post.execute(arguments: [term, article.seq]) }
            }
            try upsert.execute(arguments: [
                article.seq, article.source, article.day, Self.data(article.terms), Self.data(distinctive),
                article.best, article.bestSimilarity, article.event,
            ])
        }
    }

    static func words(_ data: Data) -> [UInt32] {
        var words = [UInt32](repeating: 0, count: data.count / 4)
        _ = words.withUnsafeMutableBytes { data.copyBytes(to: $0) }
        return words.map { UInt32(littleEndian: $0) }
    }

    static func data(_ words: [UInt32]) -> Data {
        words.map(\.littleEndian).withUnsafeBytes { Data($0) }
    }
}
