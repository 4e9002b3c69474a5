import Foundation
import ParallaxFraming
import ParallaxStore

/// Renders an outlet comparison (`parallax compare`) as Markdown or as one self-contained HTML
/// page; every piece of article text is escaped.
public enum ComparisonReport {
    /// The comparison as Markdown.
    public static func markdown(_ comparison: OutletComparison) -> String {
        func escape(_ text: String) -> String { Markup.markdownLine(text) }
        var lines = ["# \(comparison.outlets.map(escape).joined(separator: " vs "))", ""]
        lines.append(
            "\(comparison.events.count) event\(comparison.events.count == 1 ? "" : "s") covered by every outlet, "
                + "so differences below are of framing, not of topic:")
        lines.append("")
        for event in comparison.events {
            lines.append(
                "- "
                    + event.articles.map { "\(escape($0.source)): \(escape($0.title))" }.joined(
                        separator: " · "))
        }
        lines.append("")
        lines.append("## Words each outlet uses more")
        lines.append("")
        lines.append(
            "Weighted log-odds with an informative Dirichlet prior from the library (α₀ = "
                + "\(Int(comparison.prior.total))). A finding is a term with z ≥ 1.96 used at least three times."
        )
        if !comparison.distinguishable {
            lines.append("")
            lines.append(
                "**No term reaches significance: these events hold too little text to tell the outlets apart by word choice. The terms below are counts, not findings.**"
            )
        }
        for outlet in comparison.distinctive {
            lines.append("")
            lines.append("### \(escape(outlet.outlet))")
            lines.append("")
            let shown = outlet.terms.isEmpty ? outlet.moreOften.prefix(6) : outlet.terms.prefix(15)
            if shown.isEmpty { lines.append("No term used twice stands out.") }
            for evidence in shown {
                let score = evidence.score
                lines.append(
                    "- **\(escape(score.term))**: \(score.count) here, \(score.restCount) in the others"
                        + (outlet.terms.isEmpty ? "" : String(format: ", z %.2f", score.z))
                        + ", in \(evidence.events.count) event\(evidence.events.count == 1 ? "" : "s")"
                        + (evidence.sentences.first.map { ": “\(escape($0))”" } ?? ""))
            }
        }
        lines.append("")
        lines.append("## How each outlet names the recurring actors")
        for actor in comparison.naming {
            lines.append("")
            lines.append("**\(escape(actor.actor))**")
            lines.append("")
            for naming in actor.sources {
                let words = naming.descriptors.prefix(4).map { "“\(escape($0.descriptor))” ×\($0.count)" }
                lines.append(
                    "- \(escape(naming.source)): "
                        + (words.isEmpty ? "no descriptor" : words.joined(separator: ", ")))
            }
        }
        lines.append("")
        lines.append("## Loaded language per 1,000 words, quotations left out")
        lines.append("")
        lines.append("| outlet | rate | 95% interval (events resampled) | by category |")
        lines.append("|---|---:|---|---|")
        for rate in comparison.loaded {
            let categories = rate.categories.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { "\($0.key) \(String(format: "%.1f", $0.value))" }.joined(separator: ", ")
            lines.append(
                "| \(escape(rate.outlet)) | \(String(format: "%.1f", rate.perThousandWords)) | "
                    + "\(String(format: "%.1f–%.1f", rate.low, rate.high)) | \(categories) |")
        }
        lines.append("")
        lines.append("## Attribution verbs per 1,000 words")
        lines.append("")
        for profile in comparison.attribution {
            let verbs = profile.verbs.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(8)
                .map { "\($0.key) \(String(format: "%.1f", $0.value))" }.joined(separator: ", ")
            lines.append(
                "- \(escape(profile.outlet)): \(verbs.isEmpty ? "none" : verbs); "
                    + "\(Int((profile.doubtShare * 100).rounded()))% of attributions cast doubt")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The comparison as one self-contained HTML page: the Markdown's content, escaped, with
    /// nothing loaded from the network.
    public static func html(_ comparison: OutletComparison) -> String {
        let body = markdown(comparison).split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let text = String(line)
            if text.hasPrefix("### ") { return "<h3>\(Markup.html(String(text.dropFirst(4))))</h3>" }
            if text.hasPrefix("## ") { return "<h2>\(Markup.html(String(text.dropFirst(3))))</h2>" }
            if text.hasPrefix("# ") { return "<h1>\(Markup.html(String(text.dropFirst(2))))</h1>" }
            return text.isEmpty ? "" : "<p>\(Markup.html(text))</p>"
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            \(HTMLReport.generatorTag)
            <title>Outlet comparison</title>
            <style>body{font:15px/1.5 system-ui,sans-serif;margin:1.5rem;max-width:60rem;color:#222}</style>
            </head><body>
            \(body.joined(separator: "\n"))
            </body></html>

            """
    }
}
