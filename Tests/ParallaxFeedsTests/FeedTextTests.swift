import Foundation
import Testing

@testable import ParallaxFeeds

/// Titles and texts are kept as a reader sees them, without parsing what needs no parser.
@Suite struct FeedTextTests {
    @Test(arguments: [
        ("AT&T and Q&A", false), ("Café", false), ("Caf&eacute;", true), ("&#233;t&#xE9;", true),
        ("a <b>bold</b> word", true), ("& then;", false), ("fish & chips; peas", false),
    ])
    func testOnlyTagsAndCharacterReferencesNeedTheHTMLParser(text: String, isMarkup: Bool) {
        #expect(FeedText.holdsMarkup(text) == isMarkup)
    }

    @Test func testATitleWithABareAmpersandIsKeptAsWritten() {
        #expect(FeedText.line(FeedText.plain(fromHTML: "AT&T  and\nQ&A")) == "AT&T and Q&A")
        #expect(FeedText.line(FeedText.plain(fromHTML: "Caf&eacute; <i>owners</i>")) == "Café owners")
        #expect(FeedText.line(FeedText.plain(fromHTML: "<p>para1</p><p>para2</p>")) == "para1 para2")
        #expect(FeedText.line(FeedText.plain(fromHTML: "line1<br>line2")) == "line1 line2")
        #expect(FeedText.line(FeedText.plain(fromHTML: "in<b>line</b> words")) == "inline words")
    }

    @Test func testTrimmingLeavesInnerWhiteSpaceAlone() {
        #expect(FeedText.trimmedWhitespace(" \n\t a  b \n") == "a  b")
        #expect(FeedText.trimmedWhitespace("a") == "a")
        #expect(FeedText.trimmedWhitespace(" \n ").isEmpty)
    }
}

/// The scan for crowded elements reads tags as libxml2 will, across chunk boundaries.
@Suite struct CrowdedTagScanTests {
    static func isCrowded(_ text: String, chunk: Int) -> Bool {
        var scan = CrowdedTagScan()
        let bytes = Array(text.utf8)
        return stride(from: 0, to: bytes.count, by: chunk).contains { start in
            scan.isCrowded(after: Array(bytes[start..<min(bytes.count, start + chunk)]))
        }
    }

    @Test(arguments: [1, 2, 3, 7, 4_096])
    func testACrowdedElementAfterCommentsCDATAAndValuesIsFound(chunk: Int) {
        let crowded = "<x " + (0...256).map { "a\($0)='\($0)'" }.joined(separator: " ") + ">"
        let before = "<?xml version='1.0'?><!-- a=b --->--><![CDATA[ c=d ]]]><y v=\"e=f>\">"
        #expect(Self.isCrowded(before + crowded, chunk: chunk))
        #expect(
            !Self.isCrowded(
                before + "<x " + (0..<256).map { "a\($0)='\($0)'" }.joined(separator: " ") + ">", chunk: chunk
            ))
        // Nothing is skipped, so a crowded tag-like run in a comment or CDATA counts too.
        #expect(Self.isCrowded("<!-- " + crowded + " -->", chunk: chunk))
        #expect(Self.isCrowded("<![CDATA[" + crowded + "]]>", chunk: chunk))
    }

    @Test(arguments: [1, 3, 4_096])
    func testScriptAssignmentsInCDATAAreNoAttributes(chunk: Int) {
        let script =
            "<![CDATA[<script>if (a<b) {" + String(repeating: " x = 1; if (x == y) z = x;", count: 300)
            + "}</script>]]>"
        #expect(!Self.isCrowded(script, chunk: chunk))
        let spaced = "<x " + (0...256).map { "a\($0) =\n '\($0)'" }.joined(separator: " ") + ">"
        #expect(Self.isCrowded(spaced, chunk: chunk))
    }

    /// Declarations, comments and stray quotes that libxml2 reads one way and a skipping scan
    /// another once hid a crowded element, and libxml2 then spent minutes on it.
    @Test(arguments: [
        #"<!DOCTYPE rss SYSTEM "><!--">"#, #"<!DOCTYPE rss [<!ENTITY x "><!--">]>"#,
        "<!DOCTYPE x [ <!-- ' --> ]>", #"<r><![CDATA[<a title="oops>]]>"#, "<r><!-- <a b='", "<![CDATA[",
        "<!--", #"<y v="a<b">"#,
    ])
    func testNoDeclarationCommentOrQuoteHidesACrowdedElement(before: String) {
        let crowded = "<item " + (0...256).map { "a\($0)=\"\"" }.joined(separator: " ") + "/>"
        for chunk in [1, 5, 4_096] {
            #expect(Self.isCrowded(before + crowded, chunk: chunk), "after \(before)")
        }
    }
}
