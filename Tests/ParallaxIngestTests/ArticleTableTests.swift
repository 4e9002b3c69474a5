import Foundation
import Testing

@testable import ParallaxIngest

/// A table inside the article is content: its short cells must not be judged page chrome, and
/// the text shows it one row a line; tables of links stay out, as before.
@Suite struct ArticleTableTests {
    @Test func aSmallDataTableInsideTheArticleIsKeptInTheTextAndTheHTML() throws {
        let table =
            "<table><tr><th>Year</th><th>Measures</th></tr><tr><td>2019</td><td>12</td></tr></table>"
        let article = try extract(article: paragraphs(1...3) + table + paragraphs(4...6))
        #expect(article.text.contains("\n\nYear | Measures\n2019 | 12\n\n"))
        #expect(paragraphOrder(in: article.text) == [1, 2, 3, 4, 5, 6])
        let html = try #require(article.html)
        #expect(html.contains("<th>Year</th>") && html.contains("<td>12</td>"))
        let kept = try #require(
            html.range(of: "<table>").flatMap {
                html.range(of: "</table>", range: $0.lowerBound..<html.endIndex)
            })
        #expect(html[..<kept.lowerBound].contains("Paragraph number 3"))
        #expect(html[kept.upperBound...].hasPrefix("<p>Paragraph number 4"))
    }

    @Test func aTableOfShortCellsIsKeptWithItsCaptionAndHeadings() throws {
        let table = """
            <table class="results"><caption>Votes by ward</caption>\
            <thead><tr><th class="header">Ward</th><th class="header">Votes</th></tr></thead><tbody>\
            <tr><td>North</td><td><div>41</div></td></tr><tr><td>South<br>and port</td><td>38</td></tr>\
            </tbody></table>
            """
        let article = try extract(article: paragraphs(1...3) + table + paragraphs(4...6))
        #expect(
            article.text.contains("\n\nVotes by ward\n\nWard | Votes\nNorth | 41\nSouth and port | 38\n\n"))
        #expect(article.html?.contains("<caption>Votes by ward</caption>") == true)
        #expect(article.html?.contains("41") == true)
    }

    @Test func aTableOfLinksInsideTheArticleStaysOut() throws {
        let links = (1...6).map { "<td><a href=\"/section/\($0)\">Section \($0)</a></td>" }.joined()
        let article = try extract(
            article: paragraphs(1...3) + "<table><tr>\(links)</tr></table>" + paragraphs(4...6))
        #expect(!article.text.contains("Section"))
        #expect(article.html?.contains("Section") == false)
        #expect(paragraphOrder(in: article.text) == [1, 2, 3, 4, 5, 6])
    }

    @Test func aLayoutTableHoldingTheArticleKeepsItsParagraphsApart() throws {
        let page = """
            <html><body><table><tr><td><a href="/">Home</a> <a href="/world">World</a></td>\
            <td>\(paragraphs(1...4))</td></tr></table></body></html>
            """
        let article = try WebArticleExtractor.extract(from: Data(page.utf8), name: "layout.html")
        #expect(paragraphOrder(in: article.text) == [1, 2, 3, 4])
        #expect(!article.text.contains(" | "))
        let paragraphs = article.text.components(separatedBy: "\n\n")
        #expect(
            paragraphs.filter { $0.hasPrefix("Paragraph number ") && $0.hasSuffix("why it matters.") }.count
                == 4)
    }
}

private extension ArticleTableTests {
    func paragraphs(_ numbers: ClosedRange<Int>) -> String {
        numbers.map {
            "<p>Paragraph number \($0) of the report explains, at some length and with commas, what the council decided and why it matters.</p>"
        }.joined()
    }

    func extract(article: String) throws -> WebArticle {
        let page = """
            <html><head><title>Council measures</title></head><body><nav><a href="/">Home</a></nav>\
            <article>\(article)</article><footer>Copyright the Ledger</footer></body></html>
            """
        return try WebArticleExtractor.extract(
            from: Data(page.utf8), url: URL(string: "https://ledger.example.com/measures"),
            name: "measures.html")
    }

    /// The numbers of the paragraphs the text holds, in the order it holds them.
    func paragraphOrder(in text: String) -> [Int] {
        text.components(separatedBy: "\n\n").compactMap { paragraph in
            guard paragraph.hasPrefix("Paragraph number ") else { return nil }
            return Int(paragraph.dropFirst(17).prefix { $0.isNumber })
        }
    }
}
