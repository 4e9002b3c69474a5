import Foundation
import ParallaxStore

/// The articles of a library grouped into events.
public struct LibraryEvents: Sendable {
    /// The library.
    public let library: Library
    /// How articles are grouped.
    public var grouper = EventGrouper()

    /// An event: its id (its earliest item's) and its items.
    public struct Event: Sendable {
        /// The id of the event's earliest item.
        public let id: String
        /// Its articles.
        public let items: [Item]
    }

    /// Groups a library's articles.
    public init(library: Library) { self.library = library }

    /// The events among the articles published (or else saved) on or after `since`, largest first.
    public func events(since: String? = nil) throws -> [Event] {
        var items = try library.items(
            matching: {
                var filter = ItemFilter(); filter.archived = nil; return filter
            }())
        if let since {
            let floor = try Timestamp.normalizedDate(since, field: "since")
            items = items.filter { ($0.published ?? $0.saved) >= floor }
        }
        let articles = try items.map { item in
            GroupableArticle(
                id: item.id, title: item.title, text: try library.text(of: item),
                source: item.source ?? "unknown source",
                published: try? Date(
                    String((item.published ?? item.saved).prefix(10)), strategy: .iso8601.year().month().day()
                ))
        }
        let byID = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0) })
        return grouper.group(articles).map { group in
            Event(id: group[0], items: group.compactMap { byID[$0] })
        }
    }
}
