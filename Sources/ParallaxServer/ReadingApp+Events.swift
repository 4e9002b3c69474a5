import Crypto
import Foundation
import Hummingbird
import ParallaxFraming
import ParallaxReports
import ParallaxStore

// MARK: - Events and framing reports

extension ReadingApp {
    func addEvents(to router: Router<ServerContext>) {
        router.get("/events") { request, context in
            let showAll = try FormFields(query: request)["all"] == "1"
            let (events, shortIDs, sources) = try await access.run { library in
                let events = LibraryEvents.Event.byCoverage(
                    try LibraryEvents(library: library).events().filter { showAll || $0.items.count > 1 })
                let shortIDs = try library.shortIDs(for: events.flatMap { $0.items.map(\.id) })
                return (events, shortIDs, try library.statistics().sources.map(\.name))
            }
            return Response.page(
                EventsPage.render(
                    events, shortIDs: shortIDs, sources: sources, showAll: showAll, session: context.session))
        }
        router.get("/events/{id}") { _, context in
            let id = try Self.parameter("id", of: context)
            let html = try await access.run { library in
                let events = LibraryEvents(library: library)
                return HTMLReport.render(try events.report(items: try events.event(id).items))
            }
            return Self.reportPage(html)
        }
        router.get("/compare") { request, context in
            var seen = Set<String>()
            let outlets = try FormFields(query: request).all("outlet").filter {
                !$0.isEmpty && seen.insert($0).inserted
            }
            guard outlets.count >= 2 else {
                throw ServerError.badField("outlet", "choose at least two outlets")
            }
            let html = try await access.run { library in
                ComparisonReport.html(try LibraryEvents(library: library).compare(outlets: outlets))
            }
            return Self.reportPage(html)
        }
    }

    /// A report page exactly as `parallax report --format html` writes it, with a way back.
    ///
    /// The report is one self-contained file, its style inline; the policy allows that style by
    /// its hash, and still no script at all.
    static func reportPage(_ html: String) -> Response {
        let page = html.replacingOccurrences(
            of: "<body>", with: "<body><p><a href=\"/events\">← Events</a></p>", options: [], range: nil)
        var response = Response.page(HTML(unescaped: page))
        response.headers[.contentSecurityPolicy] =
            PageHeadersMiddleware.contentSecurityPolicy + "; style-src 'self' " + styleHashes(in: page)
        return response
    }

    /// The CSP hash of each `<style>` element of a page.
    static func styleHashes(in page: String) -> String {
        var hashes: [String] = []
        var rest = page[...]
        while let open = rest.range(of: "<style>"),
            let close = rest.range(of: "</style>", range: open.upperBound..<rest.endIndex)
        {
            let digest = SHA256.hash(data: Data(rest[open.upperBound..<close.lowerBound].utf8))
            hashes.append("'sha256-\(Data(digest).base64EncodedString())'")
            rest = rest[close.upperBound...]
        }
        return hashes.joined(separator: " ")
    }
}
