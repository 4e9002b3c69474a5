import Foundation
import ParallaxFeeds
import ParallaxStore

/// The feeds the reader follows, what each brought in on this device, and forms to follow,
/// refresh and unfollow.
enum FeedsPage {
    /// What the page shows.
    struct Content: Sendable {
        var feeds: [FeedSubscription]
        var states: [String: FeedFetchState]
        var now: Date
        /// What an action on the page just did, one line each.
        var outcome: [String] = []
    }

    static func load(from library: Library, outcome: [String] = []) throws -> Content {
        Content(
            feeds: try library.subscriptions(), states: try FeedRefresh(library: library).states(),
            now: library.environment.now(), outcome: outcome)
    }

    static func render(_ content: Content, session: AccessControl.Session?) -> HTML {
        let outcome: HTML =
            content.outcome.isEmpty
            ? "" : "<div class=\"outcome\">\(HTML.joined(content.outcome.map { "<p>\($0)</p>" }))</div>"
        let rows = HTML.joined(
            content.feeds.map { feed in
                let state = content.states[feed.id] ?? FeedFetchState(feed: feed.id)
                let fetched = state.lastFetch.map { PageLayout.day(Timestamp.string(from: $0)) } ?? "never"
                let next: String =
                    state.gone
                    ? "gone (410)"
                    : state.nextFetch.map { $0 <= content.now ? "due" : Timestamp.string(from: $0) } ?? "due"
                let error: HTML = state.lastError.map { "<div class=\"failure\">\($0)</div>" } ?? ""
                return """
                    <tr><td><a href="\(LibraryQuery().link(view: .feeds, source: .some(feed.outlet)))">\(feed.outlet ?? "Untitled feed")</a>\
                    <div class="muted"><code>\(feed.url)</code></div>\(error)</td>\
                    <td class="n">\(state.articles)</td><td>\(fetched)</td><td>\(next)</td>\
                    <td>\(PageLayout.button("Unfollow", action: "/feeds/\(feed.id)/remove", session: session, style: "link"))</td></tr>
                    """
            })
        let table: HTML =
            content.feeds.isEmpty
            ? "<p class=\"empty\">You follow no feeds yet. Give an outlet's site or feed address above, or an OPML file with <code>parallax feeds add</code>.</p>"
            : """
            <table><thead><tr><th>Outlet</th><th>Articles</th><th>Fetched</th><th>Next</th><th></th></tr></thead>\
            <tbody>\(rows)</tbody></table>
            """
        return PageLayout.render(
            title: "Feeds", section: .feeds, session: session,
            body: """
                <h1>Feeds</h1>
                \(outcome)
                <form method="post" action="/feeds/add" class="save-form">\(PageLayout.csrfField(session))\
                <label for="feed-url">Follow a site or feed</label>\
                <input id="feed-url" type="url" name="url" required placeholder="https://www.example-news.com/">\
                <button type="submit" class="button">Follow</button></form>
                \(content.feeds.isEmpty ? "" : PageLayout.button("Refresh now", action: "/feeds/refresh", session: session))
                \(table)
                <p class="muted">Articles from feeds stay off your list: <a href="/?view=feeds">From feeds</a>. \
                They group into <a href="/events">events</a> with every outlet's coverage.</p>
                """)
    }
}
