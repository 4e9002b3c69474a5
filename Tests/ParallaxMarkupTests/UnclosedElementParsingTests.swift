import Foundation
import Testing

@testable import ParallaxMarkup

/// The parsed tree is the one a browser builds where libxml2's HTML 4 rules would nest the
/// rest of a block inside an element: void elements hold nothing, and an element that holds no
/// page content is closed where its end tag is missing.
@Suite struct UnclosedElementParsingTests {
    @Test(arguments: ["embed", "source", "track", "wbr", "keygen", "bgsound", "image"])
    func aVoidElementHoldsNothingAndWhatFollowsItStaysInItsParent(_ tag: String) throws {
        let body = try body(
            of: "<div id=story><p>One.</p><\(tag) src=x><p>Two.</p>tail<p>Three.</p></div><p>Out.</p>")
        let story = try #require(body.descendants(named: ["div"]).first)
        #expect(story.children.map(\.name) == ["p", tag, "p", "#text", "p"])
        #expect(story.children[1].children.isEmpty)
        #expect(body.elements.map(\.name) == ["div", "p"])
    }

    @Test func picturesKeepTheirSourcesBesideTheirImage() throws {
        let body = try body(
            of:
                "<picture><source srcset=a.webp type=image/webp><source srcset=b.jpg><img src=c.jpg></picture>"
        )
        let picture = try #require(body.descendants(named: ["picture"]).first)
        #expect(picture.elements.map(\.name) == ["source", "source", "img"])
    }

    @Test(arguments: [
        "object", "iframe", "noembed", "noscript", "textarea", "title", "video", "svg", "template",
    ])
    func anUnclosedElementEndsWhereItsFirstChildTagBegins(_ tag: String) throws {
        let body = try body(
            of: "<article><p>One.</p><\(tag) data-x='<p>'>kept inside<p>Two.</p><p>Three.</p></article>")
        let article = try #require(body.descendants(named: ["article"]).first)
        #expect(article.elements.map(\.name) == ["p", tag, "p", "p"])
        #expect(article.elements[1].textContent == "kept inside")
    }

    @Test func closedElementsKeepWhatTheyHold() throws {
        let markup = """
            <noscript><p>Turn on scripts.</p></noscript><template><div>Row</div></template>\
            <object data=a.swf><object data=b.swf><p>Fallback.</p></object></object>\
            <svg><title>Icon</title><path d="M0 0"/></svg><iframe src=f />\
            <script>var s = '<iframe src=x>' + "<video>";</script><!-- <object> --><p>End.</p>
            """
        let body = try body(of: markup)
        #expect(
            body.elements.map(\.name) == ["noscript", "template", "object", "svg", "iframe", "script", "p"])
        #expect(body.elements[0].textContent == "Turn on scripts.")
        #expect(body.elements[1].textContent == "Row")
        #expect(body.elements[2].descendants(named: ["p"]).first?.textContent == "Fallback.")
        #expect(body.elements[5].textContent == "var s = '<iframe src=x>' + \"<video>\";")
    }

    @Test func anUnclosedTitleInTheHeadEndsAtTheNextTag() throws {
        let document = HTMLDocument(
            html: "<html><head><title>Pier closes</head><body><p>Text.</p></body></html>")
        let head = try #require(document.root.elements.first { $0.name == "head" })
        #expect(head.descendants(named: ["title"]).first?.textContent == "Pier closes")
        #expect(document.root.descendants(named: ["p"]).first?.textContent == "Text.")
    }

    @Test func aPageWithNothingToMendParsesAsItIs() throws {
        let markup = "<p title='x > y'>A <b>bold</b> claim.</p><p>Next, <textarea>a < b</textarea> then.</p>"
        let body = try body(of: markup)
        #expect(body.elements.map(\.name) == ["p", "p"])
        #expect(body.elements[1].descendants(named: ["textarea"]).first?.textContent == "a < b")
    }

    func body(of markup: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> HTMLNode {
        let document = HTMLDocument(html: "<html><body>\(markup)</body></html>")
        return try #require(
            document.root.elements.first { $0.name == "body" }, sourceLocation: sourceLocation)
    }
}
