import Foundation
import ParallaxFeeds

/// How the feeds commands show a feed on a terminal.
enum FeedRendering {
    /// The feed's title and home, then one line per entry (or per listed feed).
    static func print(_ feed: ParsedFeed) {
        Terminal.line(Terminal.bold(feed.title ?? "Untitled feed") + "  (\(feed.kind.rawValue))")
        if let home = feed.home { Terminal.line(Terminal.dim(home)) }
        if feed.kind == .opml {
            for listed in feed.feeds { Terminal.line("\(listed.title ?? "Untitled")  \(listed.url)") }
            Terminal.line("\(feed.feeds.count) feeds")
            return
        }
        for entry in feed.entries {
            let date = entry.date.map { String(FeedDate.iso8601($0).prefix(10)) } ?? "no date   "
            Terminal.line("\(date)  \(Terminal.truncate(entry.title ?? "Untitled", 70))")
            if let url = entry.url { Terminal.line("            " + Terminal.dim(url)) }
        }
        let leftOut = feed.entriesLeftOut > 0 ? " (\(feed.entriesLeftOut) more past the limit)" : ""
        Terminal.line("\(feed.entries.count) entries" + leftOut)
    }
}
