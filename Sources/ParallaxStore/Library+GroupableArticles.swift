import Foundation
import GRDB

// MARK: - The articles that event grouping reads

extension Library {
    /// What grouping reads of an article, without the rest of its item.
    public struct ArticleToGroup: Sendable, Hashable {
        /// The item's row number.
        public let seq: Int64
        /// The item's id.
        public let id: String
        /// Its headline.
        public let title: String
        /// Its outlet.
        public let source: String?
        /// When it was published, or else saved.
        public let date: String
    }

    /// The articles that grouping sorts into events: not removed, with text, and not put in an
    /// event by the reader. Newest saved first, and by id where saved together (a bulk import),
    /// so every device reads them in one order: the order numbers new terms, and a term's number
    /// breaks ties between equal weights.
    public func articlesToGroup() throws -> [ArticleToGroup] {
        try read("read the articles to group") { db in
            var articles: [ArticleToGroup] = []
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT item.seq, item.id, item.title, item.source, coalesce(item.published, item.saved)
                    FROM item JOIN body INDEXED BY body_summary ON body.id = item.body_id
                    WHERE item.deleted = 0 AND body.word_count > 0 AND item.event IS NULL
                    ORDER BY item.saved DESC, item.id DESC
                    """)
            while let row = try rows.next() {
                articles.append(
                    ArticleToGroup(seq: row[0], id: row[1], title: row[2], source: row[3], date: row[4]))
            }
            return articles
        }
    }
}
