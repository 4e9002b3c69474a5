import Foundation
import ParallaxFraming
import ParallaxMarkup
import ParallaxStore

/// Renders a framing report as Markdown, readable in a terminal as it is.
public enum MarkdownReport {
    /// The first line of every Markdown report.
    static let heading = "# Framing report"

    /// The report as Markdown.
    public static func render(_ report: FramingReport) -> String {
        var lines = [heading, ""]
        lines.append("\(report.articles.count) articles from \(report.sources.count) sources:")
        lines.append("")
        for article in report.articles {
            lines.append(
                "- **\(escape(article.source))**: \(escape(article.title))"
                    + (article.published.map { " (\(escape($0)))" } ?? ""))
        }
        lines.append("")
        lines.append("## Words each source uses more than the others")
        lines.append("")
        lines.append(
            "Weighted log-odds with an informative Dirichlet prior from the library (\(report.prior.articles) articles, "
                + "α₀ = \(Int(report.prior.total))). A finding is a term with z ≥ 1.96 (significant at 5%) used at least "
                + "three times; the JSON report carries every count, so each z can be recomputed.")
        if !report.distinguishable {
            lines.append("")
            lines.append("**\(FramingReport.tooSmallToTell)**")
        }
        for source in report.sources {
            lines.append("")
            lines.append("### \(escape(source.source))")
            lines.append("")
            if source.distinctive.isEmpty {
                let counts = source.moreOften.prefix(6).map {
                    "\(escape($0.term)) (\($0.count) here, \($0.restCount) elsewhere)"
                }
                lines.append(
                    counts.isEmpty
                        ? "No term used twice stands out."
                        : "No significant term. Used more here, as counts rather than findings: "
                            + counts.joined(separator: ", ") + ".")
            } else {
                lines.append("| term | here | elsewhere | z |")
                lines.append("|---|---:|---:|---:|")
                for term in source.distinctive {
                    lines.append(
                        "| \(escape(term.term)) | \(term.count) | \(term.restCount) | \(String(format: "%.2f", term.z)) |"
                    )
                }
            }
        }
        lines.append("")
        lines.append("## How each source names the actors")
        for actor in report.actors {
            lines.append("")
            lines.append("**\(escape(actor.actor))**")
            lines.append("")
            for naming in actor.sources {
                let words = naming.descriptors.prefix(4).map {
                    "“\(escape($0.descriptor))”" + ($0.count > 1 ? " ×\($0.count)" : "")
                }
                lines.append(
                    "- \(escape(naming.source)): "
                        + (words.isEmpty ? "no descriptor" : words.joined(separator: ", ")))
            }
        }
        lines.append("")
        lines.append("## Coverage")
        lines.append("")
        lines.append(
            "| source | quotation share | quotations | who is quoted | actors it leaves out | numbers only it gives |"
        )
        lines.append("|---|---:|---:|---|---|---|")
        for coverage in report.coverage {
            let speakers = coverage.quoted.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map {
                escape($0.key)
            }
            lines.append(
                "| \(escape(coverage.source)) | \(Int((coverage.quotationShare * 100).rounded()))% | \(coverage.quotations) | "
                    + speakers.joined(separator: ", ") + " | "
                    + "\(coverage.omittedActors.map(escape).joined(separator: ", ")) | "
                    + "\(coverage.numbersOnlyHere.prefix(8).joined(separator: ", ")) |")
        }
        lines.append("")
        lines.append("## What only one source reports")
        lines.append("")
        lines.append(
            "Statements (with a number, a quotation, a name or an attribution) that no other source's sentence "
                + "comes close to; see docs/framing.md for the method and its limits.")
        for source in report.sources {
            let statements = report.onlyHere.filter { $0.source == source.source }
            lines.append("")
            lines.append(
                "**\(escape(source.source))**" + (statements.isEmpty ? ": nothing the others lack." : ""))
            for statement in statements {
                lines.append("- “\(escape(statement.sentence))” (\(statement.kinds.joined(separator: ", ")))")
            }
        }
        lines.append("")
        lines.append("## Markers per 1,000 words")
        lines.append("")
        let lexicons = report.sources.first?.markers.map(\.lexicon) ?? []
        lines.append("| source | " + lexicons.map(escape).joined(separator: " | ") + " |")
        lines.append("|---|" + lexicons.map { _ in "---:" }.joined(separator: "|") + "|")
        for source in report.sources {
            lines.append(
                "| \(escape(source.source)) | "
                    + source.markers.map { "\(String(format: "%.1f", $0.perThousandWords)) (\($0.count))" }
                    .joined(separator: " | ")
                    + " |")
        }
        if let verbs = Self.attributionProfile(report) {
            lines.append("")
            lines.append(verbs)
        }
        lines.append("")
        lines.append(
            "Loaded language (labels, doubt verbs, loaded and strongly valenced words, intensifiers, hedges, scare quotes), "
        )
        lines.append(
            "per 1,000 words outside quotations: "
                + report.sources.map {
                    "\(escape($0.source)) \(String(format: "%.1f", $0.loaded.perThousandWords))"
                }
                .joined(separator: ", ") + ".")
        for source in report.sources {
            let loaded = source.markers.filter {
                ["labels", "loaded", "doubt-verbs", "hedges"].contains($0.lexicon)
            }
            .flatMap(\.occurrences)
            guard !loaded.isEmpty else { continue }
            lines.append("")
            lines.append(
                "**\(escape(source.source))**, labels, loaded terms, doubt verbs and hedges in context:")
            var seen = Set<String>()
            for occurrence in loaded where seen.insert(occurrence.sentence).inserted {
                guard seen.count <= 8 else { break }
                let terms = loaded.filter { $0.sentence == occurrence.sentence }.flatMap(\.terms)
                lines.append(
                    "- *\(terms.map(escape).joined(separator: ", "))*: “\(escape(occurrence.sentence))”")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// How many of each source's attribution verbs take sides, beside the neutral ones; nil
    /// when no source has a `report-verbs` lexicon.
    static func attributionProfile(_ report: FramingReport) -> String? {
        let profiles = report.sources.compactMap { source in
            source.markers.first { $0.lexicon == AttributionVerbs.lexicon }.map { (source.source, $0) }
        }
        guard !profiles.isEmpty else { return nil }
        return "Attribution verbs that take sides (claimed, insisted, admitted…), beside the neutral ones "
            + "(said, told, according to, added), which are counted but not flagged: "
            + profiles.map { source, verbs in
                let share =
                    verbs.count == 0
                    ? 0 : Int((Double(verbs.takingSides) * 100 / Double(verbs.count)).rounded())
                return
                    "\(escape(source)) \(verbs.takingSides) of \(verbs.count) (\(share)%; \(verbs.neutral) neutral)"
            }
            .joined(separator: ", ") + "."
    }

    /// Escapes Markdown's special characters in article text, so a title cannot inject markup.
    static func escape(_ text: String) -> String { Markup.markdownLine(text) }
}
