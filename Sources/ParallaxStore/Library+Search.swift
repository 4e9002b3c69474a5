import Foundation
import GRDB

/// One item found by a full-text search.
public struct SearchHit: Sendable, Hashable {
    /// The item.
    public var item: Item
    /// A passage around the best match; matched terms sit between ``SearchHit/matchStart`` and ``SearchHit/matchEnd``.
    public var snippet: String
    /// The BM25 score (lower is a better match, as SQLite reports it).
    public var score: Double

    /// The marker before a matched term in ``snippet``.
    public static let matchStart = "\u{2}"
    /// The marker after a matched term in ``snippet``.
    public static let matchEnd = "\u{3}"

    /// The snippet with the match markers replaced.
    public func snippet(open: String, close: String) -> String {
        snippet.replacingOccurrences(of: Self.matchStart, with: open).replacingOccurrences(
            of: Self.matchEnd, with: close)
    }
}

extension Library {
    /// Searches titles, bylines, sources and text with SQLite FTS5, best matches first.
    ///
    /// A query that matches more than ``rankedMatches`` articles ranks its newest matches
    /// (by saving order), so it costs the same in a library of any size.
    ///
    /// The query uses FTS5 syntax (`sanctions AND military`, `"interim president"`, `guaid*`,
    /// `title:maduro`). A query that is not valid FTS5 is retried with each word quoted, so
    /// plain text such as `coup d'état` works too.
    /// - Throws: ``LibraryError/invalidSearch(query:reason:)`` when neither form parses.
    public func search(_ query: String, limit: Int = 20) throws -> [SearchHit] {
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw LibraryError.invalidSearch(query: query, reason: "the query is empty")
        }
        do {
            return try runSearch(trimmed, limit: limit)
        } catch let error as LibraryError {
            guard case .invalidSearch = error else { throw error }
            let quoted = Self.quotedTerms(trimmed)
            guard quoted != trimmed, let hits = try? runSearch(quoted, limit: limit) else { throw error }
            return hits
        }
    }

    private func runSearch(_ query: String, limit: Int) throws -> [SearchHit] {
        do {
            return try database.read { db in
                // BM25 costs a pass over every match, a second for a word in every article of a
                // million, so only the newest matches are ranked (all of them up to that many).
                let ranked = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT rowid, rank FROM (
                            SELECT rowid, rank FROM item_search WHERE item_search MATCH ?
                            ORDER BY rowid DESC LIMIT \(Self.rankedMatches))
                        ORDER BY rank LIMIT ?
                        """, arguments: [query, max(0, limit)])
                // FTS5's snippet reads the whole text, minutes for a 10 MB article, so long
                // articles get one from the start of their text instead (see BoundedSnippet).
                let snippets = try db.cachedStatement(
                    sql: """
                        SELECT CASE WHEN (SELECT body.word_count FROM item JOIN body INDEXED BY body_summary ON body.id = item.body_id
                                          WHERE item.seq = item_search.rowid) <= \(BoundedSnippet.maximumWords)
                            THEN snippet(item_search, 3, char(2), char(3), '…', 24) END
                        FROM item_search WHERE item_search MATCH ? AND rowid = ?
                        """)
                return try ranked.map { row in
                    let seq: Int64 = row["rowid"]
                    let snippet: String =
                        try String.fetchOne(snippets, arguments: [query, seq])
                        ?? BoundedSnippet.make(
                            from: String.fetchOne(
                                db,
                                sql: """
                                    SELECT substr(body.text, 1, \(BoundedSnippet.window)) FROM item
                                    JOIN body ON body.id = item.body_id WHERE item.seq = ?
                                    """, arguments: [seq]) ?? "", query: query)
                    return SearchHit(item: try fetchItem(db, seq: seq), snippet: snippet, score: row["rank"])
                }
            }
        } catch let error as DatabaseError where error.resultCode.primaryResultCode == .SQLITE_ERROR {
            let message = (error.message ?? "syntax error").replacingOccurrences(of: "fts5: ", with: "")
            throw LibraryError.invalidSearch(query: query, reason: message)
        } catch {
            throw LibraryError.translating(error, path: path, operation: "search", busyTimeout: busyTimeout)
        }
    }

    /// How many of a query's newest matches are ranked: a query matching more finds its best
    /// among the articles saved most recently, and a narrower query reaches older ones.
    public static let rankedMatches = 2_000

    private static func quotedTerms(_ query: String) -> String {
        query.split(whereSeparator: \.isWhitespace).map { term in
            ["AND", "OR", "NOT"].contains(term)
                ? String(term) : "\"" + term.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: " ")
    }
}

extension Library {
    /// How often each word occurs in the whole library (titles, bylines, sources and texts of the
    /// items that are not removed), from the search index's vocabulary, and the words of all
    /// bodies as the total.
    ///
    /// Words are as the index splits them: lower-cased, diacritics removed, split at hyphens and
    /// apostrophes. Words the library lacks are absent from the result.
    public func wordCounts(of words: Set<String>) throws -> (counts: [String: Int], total: Int) {
        try read("count words") { db in
            // Summing the vocabulary would scan the whole index; the bodies' word counts are kept.
            let total =
                try Int.fetchOne(
                    db,
                    sql:
                        "SELECT coalesce(sum(body.word_count), 0) FROM item JOIN body INDEXED BY body_summary ON body.id = item.body_id WHERE item.deleted = 0"
                ) ?? 0
            let statement = try db.cachedStatement(
                sql: "SELECT cnt FROM item_search_vocabulary WHERE term = ?")
            var counts: [String: Int] = [:]
            for word in words {
                if let count = try Int.fetchOne(statement, arguments: [word]) { counts[word] = count }
            }
            return (counts, total)
        }
    }
}

/// The snippet of an article too long for FTS5's own: found in the first ``window`` characters.
enum BoundedSnippet {
    /// Articles of more words than this get a bounded snippet.
    static let maximumWords = 50_000
    /// How many characters from the start of the text are searched for the query's words.
    static let window = 1 << 20

    /// Up to 24 words around the first word of `query` found in `text`, the words marked as
    /// FTS5 marks them; the opening words when none is found.
    static func make(from text: String, query: String) -> String {
        let terms = Set(
            query.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
                .filter { !["and", "or", "not", "near"].contains($0) })
        let words = text.split(whereSeparator: \.isWhitespace)
        let first = words.firstIndex { terms.contains(normalized($0)) } ?? 0
        let start = max(0, first - 8)
        let end = min(words.count, start + 24)
        let marked = words[start..<end].map { word in
            terms.contains(normalized(word)) ? SearchHit.matchStart + word + SearchHit.matchEnd : String(word)
        }
        return (start > 0 ? "…" : "") + marked.joined(separator: " ") + (end < words.count ? "…" : "")
    }

    private static func normalized(_ word: Substring) -> String {
        word.lowercased().trimmingCharacters(in: .punctuationCharacters)
    }
}
