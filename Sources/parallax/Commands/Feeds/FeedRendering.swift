import Foundation
import ParallaxFeeds
import ParallaxStore

/// How the feeds commands show a feed on a terminal.
enum FeedRendering {
    /// The feed's title and home, then one line per entry (or per listed feed).
    static func print(_ feed: ParsedFeed) {
        Terminal.line(Terminal.bold(feed.title ?? "Untitled feed") + "  (\(feed.kind.rawValue))")
        if let home = feed.home { Terminal.line(Terminal.dim(home)) }
        if feed.kind == .opml {
            for listed in feed.feeds { Terminal.line("\(listed.title ?? "Untitled")  \(listed.url)") }
            Terminal.line(feed.feeds.count == 1 ? "1 feed" : "\(feed.feeds.count) feeds")
            return
        }
        for entry in feed.entries {
            let date = entry.date.map { String(FeedDate.iso8601($0).prefix(10)) } ?? "no date   "
            Terminal.line("\(date)  \(Terminal.truncate(entry.title ?? "Untitled", 70))")
            if let url = entry.url { Terminal.line("            " + Terminal.dim(url)) }
        }
        let leftOut = feed.entriesLeftOut > 0 ? " (\(feed.entriesLeftOut) more past the limit)" : ""
        Terminal.line((feed.entries.count == 1 ? "1 entry" : "\(feed.entries.count) entries") + leftOut)
    }
}

extension FeedRendering {
    /// A followed feed in one line: its outlet, short id and address.
    static func line(_ feed: FeedSubscription) -> String {
        "\(Terminal.bold(feed.outlet ?? "Untitled feed"))  \(feed.id.prefix(8))  \(Terminal.dim(feed.url))"
    }

    /// A followed feed and what this device learnt fetching it, as `feeds list` shows it.
    static func status(_ feed: FeedSubscription, _ state: FeedFetchState, now: Date) -> [String] {
        var lines = [line(feed)]
        var facts = ["\(state.articles) article\(state.articles == 1 ? "" : "s") brought in"]
        facts.append(state.lastFetch.map { "fetched \(ago($0, now: now))" } ?? "never fetched")
        if state.gone {
            facts.append("gone (HTTP 410): no longer fetched")
        } else if let next = state.nextFetch, next > now {
            facts.append("next in \(duration(next.timeIntervalSince(now)))")
        } else {
            facts.append("due now")
        }
        if !feed.tags.isEmpty { facts.append(feed.tags.map { "#" + $0 }.joined(separator: " ")) }
        lines.append("    " + facts.joined(separator: " · "))
        if let error = state.lastError {
            lines.append("    ⚠ \(error)\(state.failures > 1 ? " (\(state.failures) times in a row)" : "")")
        }
        if state.pendingPages > 0 {
            lines.append(
                "    \(state.pendingPages) article page(s) not fetched yet: kept with their summary, tried again"
            )
        }
        return lines
    }

    static func ago(_ date: Date, now: Date) -> String { duration(now.timeIntervalSince(date)) + " ago" }

    /// A span as people say it: 40 s, 12 min, 3 h, 2 d.
    static func duration(_ seconds: TimeInterval) -> String {
        let seconds = max(0, Int(seconds))
        return switch seconds {
        case ..<60: "\(seconds) s"
        case ..<3_600: "\(seconds / 60) min"
        case ..<86_400: "\(seconds / 3_600) h"
        default: "\(seconds / 86_400) d"
        }
    }
}

/// A followed feed and its state on this device, as `feeds list --json` prints it.
struct ListedSubscription: Encodable {
    let feed: FeedSubscription
    let state: FeedFetchState

    enum CodingKeys: String, CodingKey {
        case id, url, title, source, tags, added, articles, failures, gone
        case lastFetch = "last_fetch"
        case nextFetch = "next_fetch"
        case lastError = "last_error"
        case pendingPages = "pending_pages"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(feed.id, forKey: .id)
        try container.encode(feed.url, forKey: .url)
        try container.encode(feed.title, forKey: .title)
        try container.encode(feed.source, forKey: .source)
        try container.encode(feed.tags, forKey: .tags)
        try container.encode(feed.added, forKey: .added)
        try container.encode(state.articles, forKey: .articles)
        try container.encode(state.failures, forKey: .failures)
        try container.encode(state.gone, forKey: .gone)
        try container.encode(state.lastFetch.map { Timestamp.string(from: $0) }, forKey: .lastFetch)
        try container.encode(state.nextFetch.map { Timestamp.string(from: $0) }, forKey: .nextFetch)
        try container.encode(state.lastError, forKey: .lastError)
        try container.encode(state.pendingPages, forKey: .pendingPages)
    }
}
