import Foundation
import ParallaxMarkup

/// Lays out the text of an extracted block: one paragraph per block element, separated by a
/// blank line, list items marked `- `, preformatted text kept as it is, and a table of short
/// cells (``isGrid(_:)``) one row a line, its cells separated by ` | `.
enum ArticleText {
    static let blockTags: Set<String> = [
        "address", "article", "blockquote", "dd", "div", "dl", "dt", "fieldset", "figcaption", "figure",
        "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p",
        "pre", "section", "table", "tr", "ul", "caption", "center", "details", "summary",
    ]

    /// The block's text with paragraph breaks.
    static func render(_ node: HTMLNode) -> String {
        var layout = Layout()
        layout.walk(node)
        layout.flush()
        return layout.paragraphs.joined(separator: "\n\n")
    }

    /// Cells longer than this hold prose, as a table that lays out a page does.
    static let maximumCellLength = 300

    /// Whether a table is a grid of data: no table inside it, not declared layout, and no cell
    /// longer than ``maximumCellLength``.
    static func isGrid(_ table: HTMLNode) -> Bool {
        guard table.name == "table", table["role"]?.lowercased() != "presentation" else { return false }
        var cells = 0
        for element in table.descendants() {
            switch element.name {
            case "table": return false
            case "td", "th":
                cells += 1
                if TextScan.collapsingWhitespace(element.textContent).count > maximumCellLength {
                    return false
                }
            default: continue
            }
        }
        return cells > 0
    }

    /// The lines of a grid: each row's cells, each on one line, separated by ` | `; rows
    /// without text are left out.
    static func rows(of table: HTMLNode) -> [String] {
        table.descendants(named: ["tr"]).compactMap { row in
            let cells = row.elements.filter { $0.name == "td" || $0.name == "th" }.map {
                render($0).split(whereSeparator: \.isNewline).joined(separator: " ")
            }
            return cells.allSatisfy(\.isEmpty) ? nil : cells.joined(separator: " | ")
        }
    }

    /// Links in the block, resolved against the page's address, in order and without repeats.
    static func links(in node: HTMLNode, document: HTMLDocument) -> [ArticleLink] {
        var seen: Set<String> = []
        var result: [ArticleLink] = []
        for anchor in node.descendants(named: ["a"]) {
            guard let href = anchor["href"], !href.hasPrefix("#"), let url = document.absoluteURL(href),
                url.hasPrefix("http"), seen.insert(url).inserted
            else { continue }
            let text = TextScan.collapsingWhitespace(anchor.textContent)
            result.append(ArticleLink(text: text, url: url))
        }
        return result
    }

    private struct Layout {
        var paragraphs: [String] = []
        var current = ""
        var prefix = ""

        mutating func flush() {
            let paragraph = TextScan.collapsingWhitespace(current)
            if !paragraph.isEmpty { paragraphs.append(prefix + paragraph) }
            current = ""
            prefix = ""
        }

        mutating func walk(_ node: HTMLNode) {
            if node.isText {
                current += node.text
                return
            }
            switch node.name {
            case "br":
                flush()
                return
            case "img", "script", "style":
                return
            case "pre":
                flush()
                let text = node.textContent.trimmingCharacters(in: .newlines)
                if !TextScan.isBlank(text) { paragraphs.append(text) }
                return
            case "td", "th":
                current += " "
            case "table" where ArticleText.isGrid(node):
                flush()
                for caption in node.elements where caption.name == "caption" { walk(caption) }
                let rows = ArticleText.rows(of: node)
                if !rows.isEmpty { paragraphs.append(rows.joined(separator: "\n")) }
                return
            default: break
            }
            let isBlock = ArticleText.blockTags.contains(node.name)
            if isBlock { flush() }
            if node.name == "li" { prefix = "- " }
            for child in node.children { walk(child) }
            if isBlock { flush() }
        }
    }
}

/// A link kept from an article's text.
public struct ArticleLink: Codable, Hashable, Sendable {
    /// The words of the link.
    public var text: String
    /// The absolute address.
    public var url: String
}
