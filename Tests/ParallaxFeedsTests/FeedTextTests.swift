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
        let bytes = Data(text.utf8)
        return stride(from: 0, to: bytes.count, by: chunk).contains { start in
            scan.isCrowded(after: bytes.subdata(in: start..<min(bytes.count, start + chunk)))
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
        #expect(!Self.isCrowded("<!-- " + crowded + " -->", chunk: chunk))
        #expect(!Self.isCrowded("<![CDATA[" + crowded + "]]>", chunk: chunk))
    }
}
