import Foundation
import ParallaxIngest
import ParallaxStore

/// How a feed's entry becomes an article: from the text the feed carries when that is the
/// whole article, else from its page, else from its summary.
enum EntryArticle {
    /// The words a feed's text must have to count as the whole article rather than a teaser.
    static let fullTextWords = 150

    /// The key an entry is known by across feeds and devices: its id when that is unique beyond
    /// the feed (an address, a `tag:` or `urn:` name), else the feed's id and the entry's.
    static func key(of entry: FeedEntry, feed: String) -> String? {
        guard let id = entry.id, !id.isEmpty else { return nil }
        if let colon = id.firstIndex(of: ":"), colon != id.startIndex,
            id[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }),
            id[id.index(after: colon)...].count >= 4
        {
            return id
        }
        return "\(feed) \(id)"
    }

    /// The article from the text the entry carries, through the same extractor and sanitizer
    /// as a saved page; nil when the text is short (a teaser) or holds no article.
    static func fromFeedText(_ entry: FeedEntry) -> ItemDraft? {
        guard var html = entry.content ?? entry.summary,
            FeedText.plain(fromHTML: html).split(whereSeparator: \.isWhitespace).count > fullTextWords
        else { return nil }
        // A summary written as plain text has no paragraphs for the extractor to find.
        if !FeedText.holdsMarkup(html) { html = FeedText.html(fromPlain: html) }
        let page =
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title></title></head><body><article>"
            + html + "</article></body></html>"
        return try? WebArticleExtractor.extract(
            from: Data(page.utf8), url: entry.url.flatMap(URL.init(string:)),
            contentType: "text/html; charset=utf-8",
            name: entry.url ?? "feed entry"
        ).draft
    }

    /// The article from the entry's summary, kept when its page cannot be fetched; a link
    /// without text when there is no summary either.
    static func fromSummary(_ entry: FeedEntry) -> ItemDraft {
        let text = (entry.content ?? entry.summary).map(FeedText.plain(fromHTML:)) ?? ""
        return ItemDraft(title: entry.title ?? entry.url ?? "Untitled", text: text)
    }

    /// Gives a draft what the feed knows better than the page: its title, address, date,
    /// author, the outlet's name, the feed's tags, and the entry it came from.
    static func credit(
        _ draft: inout ItemDraft, to entry: FeedEntry, of feed: FeedSubscription, fallbackTitle: String?
    ) {
        if let title = entry.title, !title.isEmpty { draft.title = title }
        if draft.title.isEmpty { draft.title = fallbackTitle ?? entry.url ?? "Untitled" }
        draft.url = entry.url ?? draft.url
        if let date = entry.date { draft.published = FeedDate.iso8601(date) }
        // A feed may write more than the store keeps of an author or outlet: cut, not refused.
        draft.byline = (entry.author ?? draft.byline).flatMap(TextField.byline.repaired)
        draft.source = (feed.outlet ?? draft.source).flatMap(TextField.source.repaired)
        draft.tags = feed.tags
        draft.feedEntry = FeedEntryOrigin(feed: feed.id, entry: key(of: entry, feed: feed.id))
    }
}
