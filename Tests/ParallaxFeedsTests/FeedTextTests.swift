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
