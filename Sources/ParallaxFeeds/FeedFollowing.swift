import Foundation
import ParallaxFiles
import ParallaxIngest
import ParallaxStore

/// What following an address or an outline did.
public struct FollowReport: Sendable, Encodable {
    /// Feeds followed from now on.
    public var followed: [FeedSubscription] = []
    /// Feeds that were followed already.
    public var alreadyFollowed: [FeedSubscription] = []
    /// Feeds of an outline that could not be followed, one line each.
    public var refused: [String] = []

    /// An empty report.
    public init() {}

    mutating func record(_ outcome: SubscribeOutcome) {
        switch outcome {
        case .followed(let feed): followed.append(feed)
        case .alreadyFollowed(let feed): alreadyFollowed.append(feed)
        }
    }
}

/// Following what a reader names: a feed's address, a site's page that declares its feeds, or
/// an OPML outline exported from another reader (NetNewsWire, Feedly, Inoreader, Miniflux).
public enum FeedFollowing {
    /// Follows the feed or feeds `argument` names.
    ///
    /// A feed's address is read first, so that what is followed is a feed and has its title. A
    /// page is followed by the feed it declares, or, when it declares several, by the `pick`-th
    /// (from 1). An outline, from a file or an address, follows every feed it lists; they are
    /// read at the next refresh.
    /// - Parameters:
    ///   - source: The outlet the feed's articles are credited to (a single feed only).
    ///   - tags: Tags its articles get.
    /// - Throws: ``FeedError/webPage(path:declared:)`` for a page that declares no feed or
    ///   several and none picked; ``FeedError`` for a document that is no feed; `FetchError`.
    public static func follow(
        _ argument: String, in library: Library, source: String? = nil, tags: [String] = [], pick: Int? = nil,
        fetcher: PageFetcher
    ) async throws -> FollowReport {
        var report = FollowReport()
        var address = argument
        var parsed: ParsedFeed
        do {
            parsed = try await FeedParser.read(argument, fetcher: fetcher)
        } catch FeedError.webPage(let path, let declared) where !declared.isEmpty {
            guard declared.count == 1 || pick != nil else {
                throw FeedError.webPage(path: path, declared: declared)
            }
            let choice = pick ?? 1
            guard declared.indices.contains(choice - 1) else {
                throw FeedError.noSuchChoice(path: path, pick: choice, count: declared.count)
            }
            address = declared[choice - 1].url
            parsed = try await FeedParser.read(address, fetcher: fetcher)
        }
        if parsed.kind == .opml {
            for listed in parsed.feeds {
                do {
                    report.record(try library.follow(url: listed.url, title: listed.title, tags: tags))
                } catch {
                    report.refused.append("\(listed.url): \(FeedRefresh.describe(error))")
                }
            }
            return report
        }
        guard PageFetcher.isWebAddress(address) else {
            throw FeedError.notAFeed(
                path: argument,
                reason: "a feed is followed by its web address; a file may only be an OPML outline")
        }
        report.record(try library.follow(url: address, title: parsed.title, source: source, tags: tags))
        return report
    }
}

/// The followed feeds as an OPML 2.0 outline, which other readers import.
public enum SubscriptionOutline {
    /// Writes the outline of `feeds` to `path`, replacing only an outline Parallax wrote there.
    /// - Throws: `OutputFileError` for a path that holds another file or cannot be written.
    public static func write(_ feeds: [FeedSubscription], to path: String, created: Date) throws {
        let file = OutputFile(path: path, kind: "an OPML outline") { head in
            String(decoding: head, as: UTF8.self).contains("<title>Parallax subscriptions</title>")
        }
        try file.write(Data(opml(feeds, created: created).utf8))
    }

    /// The outline of `feeds`.
    public static func opml(_ feeds: [FeedSubscription], created: Date) -> String {
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#, #"<opml version="2.0">"#,
            "  <head><title>Parallax subscriptions</title><dateCreated>\(rfc822(created))</dateCreated></head>",
            "  <body>",
        ]
        for feed in feeds {
            let name = escaped(feed.outlet ?? feed.url)
            var attributes = #"type="rss" text="\#(name)" title="\#(name)" xmlUrl="\#(escaped(feed.url))""#
            if !feed.tags.isEmpty {
                attributes += #" category="\#(escaped(feed.tags.joined(separator: ",")))""#
            }
            lines.append("    <outline \(attributes)/>")
        }
        lines += ["  </body>", "</opml>", ""]
        return lines.joined(separator: "\n")
    }

    private static func escaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "\n", "\r", "\t": escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }

    private static func rfc822(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
