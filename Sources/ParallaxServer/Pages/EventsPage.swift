import Crypto
import Foundation
import Hummingbird
import ParallaxFraming
import ParallaxReports
import ParallaxStore

/// The events: articles from several outlets about one story, each a link to its report.
enum EventsPage {
    static func render(
        _ events: [LibraryEvents.Event], shortIDs: [String: String], sources: [String], showAll: Bool,
        session: AccessControl.Session?
    ) -> HTML {
        let list = HTML.joined(
            events.map { event in
                let outlets = Set(event.items.compactMap(\.source)).sorted().joined(separator: ", ")
                let items = HTML.joined(
                    event.items.map { item in
                        let facts = [item.source, item.published.map { PageLayout.day($0) }].compactMap { $0 }
                        return
                            "<li><a href=\"/items/\(shortIDs[item.id] ?? item.id)\">\(item.title)</a> <span class=\"muted\">\(facts.joined(separator: " · "))</span></li>"
                    })
                let report: HTML =
                    event.items.count > 1
                    ? "<a class=\"button\" href=\"/events/\(shortIDs[event.id] ?? event.id)\">Framing report</a>"
                    : ""
                return """
                    <li class="event"><h2>\(event.items.first?.title ?? event.id)</h2>\
                    <p class="muted">\(event.items.count) articles from \(outlets) \(report)</p><ul>\(items)</ul></li>
                    """
            })
        let outletChoices = HTML.joined(
            sources.prefix(60).map {
                "<label><input type=\"checkbox\" name=\"outlet\" value=\"\($0)\"> \($0)</label>"
            },
            separator: " ")
        let empty: HTML =
            events.isEmpty
            ? "<p class=\"empty\">No event has articles from more than one outlet yet: save coverage of the same story from another source.</p>"
            : ""
        return PageLayout.render(
            title: "Events", section: .events, session: session,
            body: """
                <h1>Events</h1>
                <p class="muted">Articles grouped by the story they cover, across outlets. \
                \(showAll ? "<a href=\"/events\">Only events with several outlets</a>" as HTML : "<a href=\"/events?all=1\">Also single articles</a>")</p>
                <ol class="events">\(list)</ol>\(empty)
                <h2>Compare outlets</h2>
                <form method="get" action="/compare" class="compare"><p>\(outletChoices)</p>\
                <button type="submit">Compare over their shared events</button></form>
                """)
    }
}
