import Foundation
import ParallaxFiles
import ParallaxFraming
import ParallaxMarkup
import ParallaxStore

/// Renders a framing report as one self-contained HTML page that works offline: a column per
/// source, framing words highlighted in their sentences, and small SVG charts of marker rates.
/// Every piece of article text is escaped, so a title holding `<script>` shows as text.
public enum HTMLReport {
    /// What the page's generator tag names it, so `report -o` replaces only a framing report.
    static let generatorKind = "framing report"

    /// The report as an HTML document.
    public static func render(_ report: FramingReport) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            \(OutputFile.generatorTag(generatorKind))
            <title>Framing report</title>
            <style>
            body{font:15px/1.5 system-ui,sans-serif;margin:1.5rem;color:#222;background:#fdfdfb}
            h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}h3{font-size:1rem;margin:.2rem 0}
            .columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem}
            .column{border:1px solid #ddd;border-radius:6px;padding:.8rem;background:#fff}
            mark{background:#ffe08a;padding:0 .1em}table{border-collapse:collapse}td,th{padding:.15rem .5rem;text-align:left}
            td.n{text-align:right}table.summary td,table.summary th{border-top:1px solid #ddd;vertical-align:top}.muted{color:#777;font-size:.85rem}blockquote{margin:.3rem 0;padding-left:.6rem;border-left:3px solid #eee}
            figcaption{font-weight:600;margin-bottom:.3rem}table.bars{width:100%}table.bars th{font-weight:normal;font-size:.85rem;width:45%}
            figure.column{margin:0}table.bars td{white-space:nowrap}table.bars meter{width:60%;height:.9rem;vertical-align:middle}
            </style></head><body>
            <h1>Framing report</h1>

            """
        html += "<p>\(report.articles.count) articles from \(report.sources.count) sources. "
        html += "Distinctive words: weighted log-odds with an informative Dirichlet prior from the library "
        html +=
            "(\(report.prior.articles) articles, α₀ = \(Int(report.prior.total))); a finding is a term with "
            + "z ≥ 1.96 (5% level) used at least three times.</p>\n"
        html += summary(report)
        if !report.distinguishable {
            html += "<p><b>\(escape(FramingReport.tooSmallToTell))</b></p>\n"
        }
        html += "<h2>Marker rates per 1,000 words</h2>\n<div class=\"columns\">\n"
        for lexicon in report.sources.first?.markers.map(\.lexicon) ?? [] {
            html += chart(lexicon: lexicon, report: report)
        }
        html += "</div>\n<h2>By source</h2>\n<div class=\"columns\">\n"
        for source in report.sources { html += column(source, report: report) }
        html += "</div>\n</body></html>\n"
        return html
    }

    private static func column(_ source: FramingReport.SourceFraming, report: FramingReport) -> String {
        var html = "<section class=\"column\"><h3>\(escape(source.source))</h3>\n"
        for article in report.articles where article.source == source.source {
            html +=
                "<p class=\"muted\">\(escape(article.title))\(article.published.map { " · " + escape($0) } ?? "")</p>\n"
        }
        html += "<h4>Uses significantly more than the others</h4><table>\n"
        for term in source.distinctive.prefix(10) {
            html += "<tr><td>\(escape(term.term))</td><td class=\"n\">\(term.count) vs \(term.restCount)</td>"
            html += "<td class=\"n\">z \(String(format: "%.2f", term.z))</td></tr>\n"
        }
        if source.distinctive.isEmpty {
            html += "<tr><td class=\"muted\">none: "
            html += source.moreOften.prefix(6).map { "\(escape($0.term)) \($0.count) vs \($0.restCount)" }
                .joined(separator: ", ")
            html += source.moreOften.isEmpty ? "no term used twice stands out" : " (counts, not findings)"
            html += "</td></tr>\n"
        }
        html += "</table>\n<p class=\"muted\">Loaded language: "
        html += "\(String(format: "%.1f", source.loaded.perThousandWords)) per 1,000 words outside quotations"
        html += source.loaded.quoted > 0 ? ", \(source.loaded.quoted) more inside them" : ""
        html += "</p>\n<h4>Names the actors</h4><ul>\n"
        for actor in report.actors {
            let descriptors = actor.sources.first { $0.source == source.source }?.descriptors ?? []
            guard !descriptors.isEmpty else { continue }
            html += "<li><b>\(escape(actor.actor))</b>: "
            html +=
                descriptors.prefix(3).map { "“\(escape($0.descriptor))”" }.joined(separator: ", ") + "</li>\n"
        }
        html += "</ul>\n<h4>Only here</h4>\n"
        let statements = report.onlyHere.filter { $0.source == source.source }
        if statements.isEmpty { html += "<p class=\"muted\">Nothing the other sources lack.</p>\n" }
        for statement in statements {
            html += "<blockquote>\(escape(statement.sentence))</blockquote>\n"
        }
        html += "<h4>Markers in context</h4>\n"
        // Loaded terms and hedges first: they are what a reader of framing looks for.
        let ordered = source.markers.sorted {
            (rank($0.lexicon), $0.lexicon) < (rank($1.lexicon), $1.lexicon)
        }
        for marker in ordered where !marker.occurrences.isEmpty || marker.neutral > 0 {
            let neutral =
                marker.neutral > 0
                ? " (\(marker.neutral) neutral — said, told, according to, added — counted, not shown; "
                    + "\(marker.takingSides) take sides)" : ""
            html += "<p class=\"muted\">\(escape(marker.lexicon)): \(marker.count)\(neutral)</p>\n"
            for occurrence in marker.occurrences.prefix(4) {
                html += "<blockquote>\(highlight(occurrence))</blockquote>\n"
            }
        }
        return html + "</section>\n"
    }

    /// The table a reader takes in at a glance: per source, its loaded-language rate, how it
    /// names the actors where the sources differ, its findings, and what only it reports.
    private static func summary(_ report: FramingReport) -> String {
        var html = "<h2>At a glance</h2>\n<table class=\"summary\"><tr><th>source</th>"
        html += "<th>loaded language per 1,000 words (quotations left out)</th><th>names the actors</th>"
        html += "<th>uses significantly more</th><th>only it reports</th></tr>\n"
        for source in report.sources {
            html += "<tr><td><b>\(escape(source.source))</b></td>"
            html += "<td class=\"n\">\(String(format: "%.1f", source.loaded.perThousandWords))</td><td>"
            html += differingNames(of: source.source, in: report).map(escape).joined(separator: "; ")
            html += "</td><td>"
            html +=
                source.distinctive.isEmpty
                ? "<span class=\"muted\">no significant term</span>"
                : source.distinctive.prefix(5).map { escape($0.term) }.joined(separator: ", ")
            html += "</td><td>"
            let statements = report.onlyHere.filter { $0.source == source.source }
            html +=
                statements.isEmpty
                ? "<span class=\"muted\">nothing the others lack</span>"
                : "\(statements.count) statement\(statements.count == 1 ? "" : "s")"
                    + (mostNovel(statements).isEmpty
                        ? "" : ": " + mostNovel(statements).map(escape).joined(separator: ", "))
            html += "</td></tr>\n"
        }
        return html + "</table>\n"
    }

    /// The new names and numbers of the one or two statements that bring the most of them.
    static func mostNovel(_ statements: [UniqueStatement]) -> [String] {
        let ranked = statements.enumerated().sorted {
            ($1.element.novel.count, $0.offset) < ($0.element.novel.count, $1.offset)
        }
        // Two statements of one story often name the same date or place: once is enough.
        var seen = Set<String>()
        return ranked.prefix(2).flatMap(\.element.novel).filter { seen.insert($0).inserted }
    }

    /// The source's descriptors of each actor that no other source uses, at most two, the most
    /// telling first: those with a label or a loaded word ("self-proclaimed", "dictator"), then
    /// the most used. A source's most used descriptor alone was often one the others shared.
    static func differingNames(of source: String, in report: FramingReport) -> [String] {
        report.actors.flatMap { actor -> [String] in
            let mine = actor.sources.first { $0.source == source }?.descriptors ?? []
            let others = Set(
                actor.sources.filter { $0.source != source }.flatMap(\.descriptors).map {
                    $0.descriptor.lowercased()
                })
            let differing = mine.filter { !others.contains($0.descriptor.lowercased()) }
            return differing.enumerated()
                .sorted {
                    (-telling($0.element.descriptor), $0.offset) < (
                        -telling($1.element.descriptor), $1.offset
                    )
                }
                .prefix(2).map { "“\($0.element.descriptor)” \(actor.actor)" }
        }
    }

    /// Words of the shipped labels and loaded-terms lexicons, which make a descriptor telling.
    private static let tellingWords = Set(
        MarkerLexicon.shipped.filter { ["labels", "loaded"].contains($0.name) }.flatMap(\.words))

    /// How many of a descriptor's words are labels or loaded terms.
    private static func telling(_ descriptor: String) -> Int {
        descriptor.lowercased().split { !$0.isLetter && $0 != "-" }.filter {
            tellingWords.contains(String($0))
        }.count
    }

    private static func rank(_ lexicon: String) -> Int { ["loaded": 0, "hedges": 1][lexicon] ?? 2 }

    /// A horizontal bar chart of one lexicon's rate per source, answering one question (which
    /// outlet uses these words most). It is drawn with HTML, not a scaled SVG, so its labels
    /// keep the page's text size (an SVG scaled into a column printed them at about 6 px) and
    /// each outlet is named in full.
    private static func chart(lexicon: String, report: FramingReport) -> String {
        let rates = report.sources.map {
            ($0.source, $0.markers.first { $0.lexicon == lexicon }?.perThousandWords ?? 0)
        }
        let maximum = max(rates.map(\.1).max() ?? 0, 1)
        var html = "<figure class=\"column\"><figcaption>\(escape(lexicon)) per 1,000 words</figcaption>"
        html += "<table class=\"bars\">"
        for (source, rate) in rates {
            // A meter draws the bar without a style attribute, which the server's content
            // security policy would block.
            let value = String(format: "%.1f", rate)
            html += "<tr><th scope=\"row\">\(escape(source))</th><td>"
            html +=
                "<meter min=\"0\" max=\"\(maximum)\" value=\"\(rate)\">\(value)</meter> \(value)</td></tr>"
        }
        return html + "</table></figure>\n"
    }

    /// The occurrence's sentence, escaped, with each of its terms in a `<mark>` by its offsets.
    static func highlight(_ occurrence: FramingReport.Occurrence) -> String {
        let units = Array(occurrence.sentence.utf16)
        var html = ""
        var position = 0
        for range in occurrence.offsets.filter({ $0.count == 2 }).sorted(by: { $0[0] < $1[0] }) {
            let start = range[0] - occurrence.start
            let end = min(units.count, range[1] - occurrence.start)
            guard start >= position, start < end else { continue }
            html += escape(String(decoding: units[position..<start], as: UTF16.self))
            html += "<mark>\(escape(String(decoding: units[start..<end], as: UTF16.self)))</mark>"
            position = end
        }
        return html + escape(String(decoding: units[position...], as: UTF16.self))
    }

    /// Escapes text for HTML content and attribute values (see ``Markup/html(_:)``).
    public static func escape(_ text: String) -> String { Markup.html(text) }
}
