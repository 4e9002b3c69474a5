import Foundation
import ParallaxMarkup

/// A feed a web page declares (`<link rel="alternate" type="application/rss+xml" href=…>`).
public struct DeclaredFeed: Sendable, Hashable, Codable {
    /// The feed's absolute address.
    public var url: String
    /// The title the page gives it.
    public var title: String?
    /// Its declared type: `application/rss+xml`, `application/atom+xml`, `application/feed+json`…
    public var type: String

    /// A declared feed.
    public init(url: String, title: String?, type: String) {
        self.url = url
        self.title = title
        self.type = type
    }
}

/// Finds the feeds a web page declares in its head, as browsers and feed readers do.
public enum FeedDiscovery {
    /// The types that name a feed.
    static let feedTypes: Set<String> = [
        "application/rss+xml", "application/atom+xml", "application/feed+json", "application/json+feed",
        "application/rdf+xml", "text/xml", "application/xml",
    ]

    /// The feeds the page declares, in its order, each once, made absolute against the page's
    /// address (and its `<base>`); http and https only.
    public static func feeds(inPage html: String, address: String?) -> [DeclaredFeed] {
        let document = HTMLDocument(html: html, baseURL: address.flatMap(URL.init(string:)))
        var found: [DeclaredFeed] = []
        for link in document.root.descendants(named: ["link"]) {
            let relations = (link["rel"] ?? "").lowercased().split(whereSeparator: \.isWhitespace)
            let type = (link["type"] ?? "").lowercased().split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            // Some sites declare RSS as `text/xml`: an alternate of an XML type is taken as a feed.
            guard relations.contains("alternate"), let type, feedTypes.contains(type),
                let href = link["href"], let absolute = document.absoluteURL(href),
                let url = FeedText.webAddress(absolute, base: nil), !found.contains(where: { $0.url == url })
            else { continue }
            found.append(DeclaredFeed(url: url, title: link["title"].flatMap(FeedText.line), type: type))
        }
        return found
    }
}
