import Foundation
import ParallaxFiles
import ParallaxFraming
import ParallaxMarkup
import ParallaxStore

/// Renders an outlet comparison (`parallax compare`) as Markdown or as one self-contained HTML
/// page. Both are written from the same blocks of plain text, each escaped once for its format.
public enum ComparisonReport {
    /// The Markdown's first line, which also tells `compare -o` a file is its own.
    static let heading = "# Outlet comparison: "
    /// What the HTML page's generator tag names it, so `compare -o` replaces only a comparison.
    static let generatorKind = "outlet comparison"

    /// The comparison as Markdown.
    public static func markdown(_ comparison: OutletComparison) -> String {
        var lines: [String] = []
        var afterItem = false
        for block in blocks(comparison) {
            let line: String
            var isItem = false
            switch block {
            case .title(let text): line = heading + Markup.markdownLine(text)
            case .heading(let text): line = "## " + Markup.markdownLine(text)
            case .subheading(let text): line = "### " + Markup.markdownLine(text)
            case .paragraph(let parts): line = inline(parts, markdown: true)
            case .item(let parts):
                line = "- " + inline(parts, markdown: true)
                isItem = true
            }
            // A blank line ends a list: a line right after an item would continue it.
            if !lines.isEmpty && !(isItem && afterItem) { lines.append("") }
            lines.append(line)
            afterItem = isItem
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The comparison as one self-contained HTML page, with nothing loaded from the network.
    public static func html(_ comparison: OutletComparison) -> String {
        var body = ""
        var inList = false
        for block in blocks(comparison) {
            if case .item = block {
                if !inList { body += "<ul>\n" }
                inList = true
            } else if inList {
                body += "</ul>\n"
                inList = false
            }
            switch block {
            case .title(let text): body += "<h1>Outlet comparison: \(Markup.html(text))</h1>\n"
            case .heading(let text): body += "<h2>\(Markup.html(text))</h2>\n"
            case .subheading(let text): body += "<h3>\(Markup.html(text))</h3>\n"
            case .paragraph(let parts): body += "<p>\(inline(parts, markdown: false))</p>\n"
            case .item(let parts): body += "<li>\(inline(parts, markdown: false))</li>\n"
            }
        }
        if inList { body += "</ul>\n" }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            \(OutputFile.generatorTag(generatorKind))
            <title>Outlet comparison</title>
            <style>body{font:15px/1.5 system-ui,sans-serif;margin:1.5rem;max-width:60rem;color:#222}</style>
            </head><body>
            \(body)</body></html>

            """
    }
}

// MARK: - Blocks

private extension ComparisonReport {
    enum Block {
        case title(String), heading(String), subheading(String)
        case paragraph([Part]), item([Part])
    }

    /// A run of text, plain or in bold.
    enum Part {
        case text(String), strong(String)
    }

    static func inline(_ parts: [Part], markdown: Bool) -> String {
        parts.map { part in
            switch part {
            case .text(let text): markdown ? Markup.markdownLine(text) : Markup.html(text)
            case .strong(let text):
                markdown ? "**\(Markup.markdownLine(text))**" : "<b>\(Markup.html(text))</b>"
            }
        }.joined()
    }

    static func blocks(_ comparison: OutletComparison) -> [Block] {
        var blocks: [Block] = [.title(comparison.outlets.joined(separator: " vs "))]
        let count = comparison.events.count
        blocks.append(
            .paragraph([
                .text(
                    "\(count) event\(count == 1 ? "" : "s") covered by every outlet, so differences below are of "
                        + "framing, not of topic:")
            ]))
        for event in comparison.events {
            blocks.append(
                .item([.text(event.articles.map { "\($0.source): \($0.title)" }.joined(separator: " · "))]))
        }
        blocks.append(.heading("Words each outlet uses more"))
        blocks.append(
            .paragraph([
                .text(
                    "Weighted log-odds with an informative Dirichlet prior from the library (α₀ = "
                        + "\(Int(comparison.prior.total))). A finding is a term with z ≥ 1.96 used at least three times."
                )
            ]))
        if !comparison.distinguishable {
            blocks.append(
                .paragraph([
                    .strong(
                        "No term reaches significance: these events hold too little text to tell the outlets apart "
                            + "by word choice. The terms below are counts, not findings.")
                ]))
        }
        for outlet in comparison.distinctive {
            blocks.append(.subheading(outlet.outlet))
            let shown =
                outlet.terms.isEmpty ? Array(outlet.moreOften.prefix(6)) : Array(outlet.terms.prefix(15))
            if shown.isEmpty { blocks.append(.paragraph([.text("No term used twice stands out.")])) }
            for evidence in shown {
                let score = evidence.score
                let events = evidence.events.count
                blocks.append(
                    .item([
                        .strong(score.term),
                        .text(
                            ": \(score.count) here, \(score.restCount) in the others"
                                + (outlet.terms.isEmpty ? "" : String(format: ", z %.2f", score.z))
                                + ", in \(events) event\(events == 1 ? "" : "s")"
                                + (evidence.sentences.first.map { ": “\($0)”" } ?? "")),
                    ]))
            }
        }
        blocks.append(.heading("How each outlet names the recurring actors"))
        let described = comparison.naming.filter { $0.sources.contains { !$0.descriptors.isEmpty } }
        let bare = comparison.naming.filter { $0.sources.allSatisfy(\.descriptors.isEmpty) }
        if described.isEmpty {
            blocks.append(.paragraph([.text("No outlet attaches a descriptor to them.")]))
        }
        for actor in described {
            blocks.append(.paragraph([.strong(actor.actor)]))
            for naming in actor.sources {
                let words = naming.descriptors.prefix(4).map { "“\($0.descriptor)” ×\($0.count)" }
                blocks.append(
                    .item([
                        .text(
                            "\(naming.source): "
                                + (words.isEmpty ? "no descriptor" : words.joined(separator: ", ")))
                    ]))
            }
        }
        if !bare.isEmpty {
            blocks.append(
                .paragraph([
                    .text(
                        "Also named, with no descriptor from any outlet: \(bare.map(\.actor).joined(separator: ", "))."
                    )
                ]))
        }
        blocks.append(.heading("Loaded language per 1,000 words, quotations left out"))
        for rate in comparison.loaded {
            let categories = rate.categories.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { "\($0.key) \(String(format: "%.1f", $0.value))" }.joined(separator: ", ")
            blocks.append(
                .item([
                    .strong(rate.outlet),
                    .text(
                        String(
                            format: ": %.1f (95%% interval from resampling events %.1f–%.1f)",
                            rate.perThousandWords,
                            rate.low, rate.high) + (categories.isEmpty ? "" : "; \(categories)")),
                ]))
        }
        blocks.append(.heading("Attribution verbs per 1,000 words"))
        for profile in comparison.attribution {
            let verbs = profile.verbs.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(8)
                .map { "\($0.key) \(String(format: "%.1f", $0.value))" }.joined(separator: ", ")
            blocks.append(
                .item([
                    .strong(profile.outlet),
                    .text(
                        ": \(verbs.isEmpty ? "none" : verbs); "
                            + "\(Int((profile.doubtShare * 100).rounded()))% of attributions cast doubt"),
                ]))
        }
        return blocks
    }
}
