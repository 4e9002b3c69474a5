import Foundation
import ParallaxStore

/// The frame of every page: its head, the navigation bar and the footer.
enum PageLayout {
    /// The part of the app a page belongs to, marked in the navigation.
    enum Section: String, Sendable, CaseIterable {
        case library, search, events, feeds, save, sync
    }

    /// A whole page.
    /// - Parameters:
    ///   - title: The page's title, before "· Parallax".
    ///   - section: The navigation entry to mark.
    ///   - session: The signed-in session, whose CSRF token the page's scripts send.
    ///   - query: The search box's text.
    static func render(
        title: String, section: Section?, session: AccessControl.Session?, query: String = "",
        body: HTML
    ) -> HTML {
        let links: [(Section, String, String)] = [
            (.library, "/", "Library"), (.events, "/events", "Events"), (.feeds, "/feeds", "Feeds"),
            (.save, "/save", "Save"),
            (.sync, "/sync", "Sync"),
        ]
        let navigation = HTML.joined(
            links.map { entry in
                let current: HTML = entry.0 == section ? #" aria-current="page""# : ""
                return "<a href=\"\(entry.1)\"\(current)>\(entry.2)</a>"
            }, separator: "")
        let token: HTML = session.map { "<meta name=\"csrf-token\" content=\"\($0.csrfToken)\">" } ?? ""
        let search: HTML =
            session == nil
            ? ""
            : """
            <form class="search" method="get" action="/search" role="search">\
            <input type="search" name="q" value="\(query)" placeholder="Search your library" aria-label="Search" \
            data-live-search autocomplete="off"></form>
            """
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            \(token)
            <title>\(title) · Parallax</title>
            <link rel="stylesheet" href="/assets/parallax.css">
            <script src="/assets/parallax.js" defer></script>
            </head><body>
            <header class="bar"><a class="brand" href="/">Parallax</a><nav>\(navigation)</nav>\(search)</header>
            <main>
            \(body)
            </main>
            </body></html>

            """
    }

    /// A hidden field with the session's CSRF token, for every form that changes something.
    static func csrfField(_ session: AccessControl.Session?) -> HTML {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(session?.csrfToken ?? "")\">"
    }

    /// A one-button form that posts to `action`, with its hidden fields.
    static func button(
        _ label: String, action: String, fields: [(String, String)] = [], session: AccessControl.Session?,
        style: String = "button"
    ) -> HTML {
        let hidden = HTML.joined(
            fields.map { "<input type=\"hidden\" name=\"\($0.0)\" value=\"\($0.1)\">" }, separator: "")
        return """
            <form method="post" action="\(action)" class="inline">\(csrfField(session))\(hidden)\
            <button type="submit" class="\(style)">\(label)</button></form>
            """
    }

    /// The date part of a stored timestamp.
    static func day(_ timestamp: String?) -> String { String((timestamp ?? "").prefix(10)) }
}

/// The page a failure shows.
enum ErrorPage {
    private static let backLink: HTML = "<p><a href=\"/\">Back to the library</a></p>"

    static func render(_ failure: FailurePage, signedIn: Bool) -> HTML {
        let retry: HTML =
            failure.retryAfter.map {
                "<p class=\"muted\" data-retry-after=\"\($0)\">Try again in a few seconds.</p>"
            }
            ?? ""
        return PageLayout.render(
            title: failure.title, section: nil, session: nil,
            body: """
                <h1>\(failure.title)</h1>
                <p class="failure">\(failure.message)</p>
                \(retry)
                \(signedIn ? backLink : "")
                """)
    }
}
