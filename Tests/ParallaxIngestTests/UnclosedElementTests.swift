import Foundation
import ParallaxMarkup
import Testing

@testable import ParallaxIngest

/// An element left open in the middle of an article must not take the paragraphs after it with
/// it: libxml2 nests everything up to the parent's end inside such an element, and the
/// extractor and the sanitizer drop that element with all it holds.
@Suite struct UnclosedElementTests {
    /// Void elements libxml2 does not know as empty, and elements the extractor drops whole.
    static let swallowingTags = [
        "embed", "source", "track", "wbr", "keygen", "bgsound", "object", "applet", "iframe", "noembed",
        "noframes", "noscript", "textarea", "title", "xmp", "video", "audio", "canvas", "select", "button",
        "label", "template", "svg", "math", "map", "datalist",
    ]

    @Test func unclosedEmbedKeepsTheTextAfterIt() throws {
        try expectEveryParagraph(in: page(opening: "<embed src=x.swf>"))
    }

    @Test(arguments: swallowingTags)
    func anUnclosedElementKeepsTheArticleTextAfterIt(_ tag: String) throws {
        try expectEveryParagraph(in: page(opening: "<\(tag) src=\"x.swf\" title=\"a > b\">"))
    }

    @Test func anUnclosedElementAmongClosedOnesOfItsKindKeepsTheTextAfterIt() throws {
        let opening =
            "<object data=a.swf><p>Get the player.</p></object><object data=b.swf><param name=movie>"
        try expectEveryParagraph(in: page(opening: opening))
    }

    @Test func closedFallbackContentStaysOutOfTheArticle() throws {
        let opening = """
            <noscript><p>Please turn on JavaScript to see the comments below.</p></noscript>\
            <object data=x.swf><p>Install the player to watch the interview.</p></object>\
            <script>document.write('<iframe src="https://ads.example/">');</script>\
            <!-- <textarea> -->
            """
        let article = try expectEveryParagraph(in: page(opening: opening))
        for fallback in ["JavaScript", "player", "ads.example"] {
            #expect(!article.text.contains(fallback))
            #expect(article.html?.contains(fallback) == false)
        }
    }

    @Test func anUnclosedTitleInTheHeadStillNamesThePage() throws {
        let html =
            "<html><head><title>Council votes to close the pier</head><body><article>"
            + paragraphs(1...5) + "</article></body></html>"
        let article = try WebArticleExtractor.extract(from: Data(html.utf8), name: "pier.html")
        #expect(article.title == "Council votes to close the pier")
        #expect(article.text.contains("Paragraph number 5 "))
    }
}

private extension UnclosedElementTests {
    func paragraphs(_ numbers: ClosedRange<Int>) -> String {
        numbers.map {
            "<p>Paragraph number \($0) of the report explains, at some length and with commas, what the council decided and why it matters.</p>"
        }.joined()
    }

    func page(opening element: String) -> String {
        "<html><head><title>Council vote</title></head><body><nav><a href=/>Home</a></nav><article>"
            + paragraphs(1...2) + element + paragraphs(3...6)
            + "</article><footer>Copyright the Ledger</footer></body></html>"
    }

    @discardableResult
    func expectEveryParagraph(in page: String, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> WebArticle
    {
        let article = try WebArticleExtractor.extract(
            from: Data(page.utf8), url: URL(string: "https://ledger.example.com/vote"), name: "vote.html")
        for number in 1...6 {
            let words = "Paragraph number \(number) "
            #expect(article.text.contains(words), "text lacks \(words)", sourceLocation: sourceLocation)
            #expect(
                article.html?.contains(words) == true, "HTML lacks \(words)", sourceLocation: sourceLocation)
        }
        return article
    }
}
