import Foundation
import ParallaxMarkup

#if canImport(Glibc)
    import Glibc
#endif

/// Words in class and id names that mark content or clutter.
enum ClassHints {
    static let unlikely = [
        "-ad-", "ai2html", "banner", "breadcrumb", "combx", "comment", "community", "cover-wrap", "disqus",
        "extra", "gdpr", "header", "legends", "menu", "related", "remark", "replies", "rss", "shoutbox",
        "sidebar", "skyscraper", "social", "sponsor", "supplemental", "ad-break", "agegate", "pagination",
        "pager", "popup", "yom-remote", "share", "newsletter", "cookie", "subscribe", "promo", "recommend",
        "trending", "most-popular", "outbrain", "taboola", "signup", "paywall", "footer", "byline",
    ]
    static let maybe = ["and", "article", "body", "column", "content", "main", "shadow"]
    static let positive = [
        "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text", "blog",
        "story",
    ]
    static let negative = [
        "-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "foot", "footnote", "gdpr",
        "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar",
        "skyscraper", "sponsor", "shopping", "tags", "tool", "widget", "caption", "byline", "author",
        "newsletter", "recirc", "taboola",
    ]

    static func names(of node: HTMLNode) -> String {
        switch (node["class"], node["id"]) {
        case (nil, nil): return ""
        case (let names?, nil), (nil, let names?): return names.lowercased()
        case (let names?, let id?): return (names + " " + id).lowercased()
        }
    }

    static func isUnlikely(_ names: String) -> Bool { containsAny(unlikely, in: names) }
    static func isMaybeContent(_ names: String) -> Bool { containsAny(maybe, in: names) }
    static func isPositive(_ name: String) -> Bool { containsAny(positive, in: name) }
    static func isNegative(_ name: String) -> Bool { name == "hid" || containsAny(negative, in: name) }

    /// A byte search: Foundation's `contains` costs a locale-aware search per word, and the
    /// hints are checked on every element of every page.
    static func containsAny(_ words: [String], in names: String) -> Bool {
        names.withCString { haystack in words.contains { strstr(haystack, $0) != nil } }
    }
}
