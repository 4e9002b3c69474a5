import Foundation
import Hummingbird
import ParallaxStore

/// Full-text search, as a page and as the fragment the live search puts in it.
enum SearchPage {
    /// The longest query the search box takes, in characters.
    static let longestQuery = 500

    static func render(results: HTML, query: String, session: AccessControl.Session?) -> HTML {
        PageLayout.render(
            title: query.isEmpty ? "Search" : "Search: \(query)", section: .search, session: session,
            query: query,
            body: """
                <h1>Search</h1>
                <p class="muted">Titles, authors, sources and text. Words, <code>"a phrase"</code>, \
                <code>sanction*</code>, <code>title:maduro</code>, <code>a AND b</code>.</p>
                <div id="results" data-search-results>\(results)</div>
                """)
    }

    static func results(_ hits: [SearchHit], shortIDs: [String: String], query: String, failure: String?)
        -> HTML
    {
        if let failure { return "<p class=\"failure\">The query cannot be read: \(failure)</p>" }
        if query.isEmpty { return "" }
        if hits.isEmpty { return "<p class=\"empty\">Nothing matches \(query).</p>" }
        let rows = HTML.joined(
            hits.map { hit in
                let snippet = marked(hit.snippet)
                let id = shortIDs[hit.item.id] ?? hit.item.id
                let facts = [hit.item.source, PageLayout.day(hit.item.published ?? hit.item.saved)].compactMap
                { $0 }
                return """
                    <li class="hit"><a class="title" href="/items/\(id)">\(hit.item.title)</a>\
                    <div class="meta">\(facts.joined(separator: " · "))</div><p class="snippet">\(snippet)</p></li>
                    """
            })
        return "<p class=\"muted\">\(hits.count) best matches</p><ol class=\"hits\">\(rows)</ol>"
    }

    /// A snippet with its matched terms in `<mark>`, every other character escaped.
    static func marked(_ snippet: String) -> HTML {
        var html: HTML = ""
        for (index, part) in snippet.components(separatedBy: SearchHit.matchStart).enumerated() {
            guard index > 0 else {
                html += "\(part)"
                continue
            }
            let pieces = part.components(separatedBy: SearchHit.matchEnd)
            html += "<mark>\(pieces[0])</mark>\(pieces.dropFirst().joined())"
        }
        return html
    }
}
