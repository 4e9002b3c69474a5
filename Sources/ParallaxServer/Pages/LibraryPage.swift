import Foundation
import ParallaxStore

/// The library list: a view (unread, archive...), a tag or source, an order, and a page of items.
struct LibraryQuery: Sendable, Hashable {
    /// The lists a reader switches between, as Pocket and Wallabag name them.
    enum View: String, Sendable, CaseIterable {
        case list, unread, reading, archive, favorites, all, feeds

        var label: String {
            switch self {
            case .list: "My list"
            case .unread: "Unread"
            case .reading: "Reading"
            case .archive: "Archive"
            case .favorites: "Favorites"
            case .all: "All"
            case .feeds: "From feeds"
            }
        }
    }

    var view = View.list
    var tag: String?
    var source: String?
    var order = ItemOrder.saved
    /// The last item of the previous page.
    var after: String?

    /// Items on a page.
    static let pageSize = 50

    /// Reads the query string; an unknown view or order is a 400 naming it.
    init(_ fields: FormFields) throws {
        if let view = fields["view"], !view.isEmpty {
            guard let known = View(rawValue: view) else {
                throw ServerError.badField("view", "unknown view '\(view)'")
            }
            self.view = known
        }
        if let order = fields["sort"], !order.isEmpty {
            guard let known = ItemOrder(rawValue: order) else {
                throw ServerError.badField("sort", "must be saved or published")
            }
            self.order = known
        }
        tag = fields["tag"].flatMap { $0.isEmpty ? nil : $0 }
        source = fields["source"].flatMap { $0.isEmpty ? nil : $0 }
        after = fields["after"].flatMap { $0.isEmpty ? nil : $0 }
    }

    init() {}

    /// The store's filter for this query, one item more than a page to tell whether another follows.
    var filter: ItemFilter {
        var filter = ItemFilter()
        switch view {
        case .list: filter.archived = false
        case .unread: (filter.readingState, filter.archived) = (.unread, false)
        case .reading: (filter.readingState, filter.archived) = (.reading, false)
        case .archive: filter.archived = true
        case .favorites: filter.favoriteOnly = true
        case .all: break
        case .feeds: filter.archived = false
        }
        // Feeds' articles have a view of their own, so that they never flood the reader's list.
        filter.listed = view != .feeds
        filter.tag = tag
        filter.source = source
        filter.order = order
        filter.after = after
        filter.limit = Self.pageSize + 1
        return filter
    }

    /// This query's address with some parts changed; paging starts again unless `after` is given.
    func link(
        view: View? = nil, tag: String?? = nil, source: String?? = nil, order: ItemOrder? = nil,
        after: String? = nil
    )
        -> String
    {
        var parts: [(String, String)] = []
        let view = view ?? self.view
        if view != .list { parts.append(("view", view.rawValue)) }
        if let tag = tag ?? self.tag { parts.append(("tag", tag)) }
        if let source = source ?? self.source { parts.append(("source", source)) }
        let order = order ?? self.order
        if order != .saved { parts.append(("sort", order.rawValue)) }
        if let after { parts.append(("after", after)) }
        return "/" + FormFields.encode(parts)
    }
}

/// The list page.
enum LibraryPage {
    struct Content: Sendable {
        var items: [Item]
        var shortIDs: [String: String]
        var statistics: LibraryStatistics
        var hasMore: Bool
    }

    /// Reads one page of the query from the library.
    static func load(_ query: LibraryQuery, from library: Library) throws -> Content {
        var items = try library.items(matching: query.filter)
        let hasMore = items.count > LibraryQuery.pageSize
        if hasMore { items.removeLast() }
        return Content(
            items: items, shortIDs: try library.shortIDs(for: items.map(\.id)),
            statistics: try library.statistics(), hasMore: hasMore)
    }

    static func render(
        _ content: Content, query: LibraryQuery, session: AccessControl.Session?, path: String
    ) -> HTML {
        let statistics = content.statistics
        let counts: [LibraryQuery.View: Int] = [
            .unread: statistics.unread, .reading: statistics.reading, .archive: statistics.archived,
            .favorites: statistics.favorite, .all: statistics.items,
        ]
        let views = HTML.joined(
            LibraryQuery.View.allCases.map { view in
                let current: HTML = view == query.view ? #" aria-current="page""# : ""
                let count: HTML = counts[view].map { " <span class=\"count\">\($0)</span>" } ?? ""
                return
                    "<li><a href=\"\(query.link(view: view, tag: .some(nil), source: .some(nil)))\"\(current)>\(view.label)\(count)</a></li>"
            })
        let tags = HTML.joined(
            statistics.tags.prefix(40).map {
                "<li><a href=\"\(query.link(tag: .some($0.name)))\">#\($0.name) <span class=\"count\">\($0.count)</span></a></li>"
            })
        let sources = HTML.joined(
            statistics.sources.prefix(40).map {
                "<li><a href=\"\(query.link(source: .some($0.name)))\">\($0.name) <span class=\"count\">\($0.count)</span></a></li>"
            })
        var heading = query.view.label
        if let tag = query.tag { heading += " · #" + tag }
        if let source = query.source { heading += " · " + source }
        let order: HTML =
            query.order == .saved
            ? "Newest saved first · <a href=\"\(query.link(order: .published))\">sort by published date</a>"
            : "Newest published first · <a href=\"\(query.link(order: .saved))\">sort by saved date</a>"
        let rows = HTML.joined(content.items.map { row($0, shortID: content.shortIDs[$0.id] ?? $0.id) })
        let empty: HTML =
            content.items.isEmpty
            ? "<p class=\"empty\">Nothing here. <a href=\"/save\">Save an article</a> or run <code>parallax add URL</code>.</p>"
            : ""
        let more: HTML =
            content.hasMore
            ? "<p class=\"pager\"><a href=\"\(query.link(after: content.items.last?.id))\" rel=\"next\">Older items →</a></p>"
            : ""
        let body: HTML = """
            <div class="columns">
            <aside class="filters">
            <ul class="views">\(views)</ul>
            \(tags.markup.isEmpty ? "" : "<h2>Tags</h2><ul class=\"tags\">\(tags)</ul>" as HTML)
            \(sources.markup.isEmpty ? "" : "<h2>Sources</h2><ul class=\"sources\">\(sources)</ul>" as HTML)
            </aside>
            <section class="list">
            <h1>\(heading)</h1>
            <p class="muted">\(order)</p>
            <form method="post" action="/items/bulk" id="bulk" class="bulk">
            \(PageLayout.csrfField(session))<input type="hidden" name="return" value="\(path)">
            <label>With the selected: <select name="action">
            <option value="archive">Archive</option><option value="unarchive">Move to my list</option>
            <option value="read">Mark read</option><option value="unread">Mark unread</option>
            <option value="favorite">Favorite</option><option value="tag">Add the tag</option>
            <option value="untag">Remove the tag</option><option value="remove">Remove</option>
            </select></label> <input name="tag" placeholder="tag" aria-label="Tag" size="10">
            <button type="submit">Apply</button>
            </form>
            <ol class="items">
            \(rows)
            </ol>
            \(empty)\(more)
            </section>
            </div>
            """
        return PageLayout.render(title: heading, section: .library, session: session, body: body)
    }

    /// One item in a list: a checkbox for the bulk form, its title, and a line about it.
    static func row(_ item: Item, shortID: String) -> HTML {
        var facts = [item.source, PageLayout.day(item.published ?? item.saved)].compactMap { $0 }
        if item.wordCount > 0 { facts.append("\(max(1, item.wordCount / 230)) min") }
        switch item.readingState {
        case .reading: facts.append("\(Int(item.progress * 100))% read")
        case .read: facts.append("read")
        case .unread: break
        }
        let marks: HTML =
            (item.favorite ? "<span class=\"star\" title=\"Favorite\">★</span> " : "")
            + (item.archived ? "<span class=\"badge\">archived</span> " : "")
        let tags = HTML.joined(item.tags.map { "<span class=\"tag\">#\($0)</span>" }, separator: " ")
        return """
            <li class="item state-\(item.readingState.rawValue)">\
            <input type="checkbox" name="id" value="\(item.id)" form="bulk" aria-label="Select \(item.title)">\
            <div><a class="title" href="/items/\(shortID)">\(item.title)</a>\
            <div class="meta">\(marks)\(facts.joined(separator: " · ")) \(tags)</div></div></li>
            """
    }
}
