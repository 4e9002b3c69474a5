import Testing

@testable import ParallaxFraming

/// One matcher finds the lexicons' entries in their inflections and as phrases, for the
/// loaded-language finder and the report's markers alike.
@Suite struct LexiconMatcherTests {
    let matcher = LexiconMatcher<String>([
        ("slam", "verb"), ("reckless", "adjective"), ("tyranny", "noun"), ("hoax", "noun"),
        ("according", "attribution"), ("claimed", "verb"), ("double down", "phrase"),
        ("witch hunt", "phrase"), ("under fire", "phrase"), ("fire", "noun"), ("gentle", "adjective"),
    ])

    func found(_ sentence: String) -> [String] {
        let words = sentence.lowercased().split(separator: " ").map(String.init)
        return matcher.matches(in: words).map { words[$0.words].joined(separator: " ") }
    }

    @Test(
        arguments: [
            ("slams", "slam"), ("slammed", "slam"), ("slamming", "slam"), ("recklessly", "reckless"),
            ("tyrannies", "tyranny"), ("hoaxes", "hoax"), ("gently", "gentle"), ("strongman's", nil),
            ("tyranny's", "tyranny"),
        ] as [(String, String?)])
    func testAnEntryIsFoundInItsInflections(form: String, entry: String?) {
        #expect(matcher.value(of: form) == entry.flatMap(matcher.value(of:)), "\(form)")
        #expect(entry == nil || matcher.value(of: form) != nil, "\(form)")
    }

    @Test func testAnInflectedEntryMakesNoFurtherForms() {
        // "according" is an attribution; "accordingly" is not.
        #expect(matcher.value(of: "according") == "attribution")
        #expect(matcher.value(of: "accordingly") == nil)
        #expect(matcher.value(of: "claimeds") == nil && matcher.value(of: "claimedly") == nil)
    }

    @Test func testALaterListWinsForAPhraseAsForAWord() {
        let later = LexiconMatcher<String>([
            ("witch hunt", "loaded"), ("witch hunt", "label"), ("hoax", "loaded"),
        ])
        #expect(later.match(at: 0, in: ["witch", "hunts"])?.value == "label")
    }

    @Test func testPhrasesAreFoundWholeAndBeforeTheirWords() {
        #expect(found("the senator doubled down on a witch hunts claim") == ["doubled down", "witch hunts"])
        #expect(found("the plan came under fire after the fire") == ["under fire", "fire"])
        #expect(found("a double of the witch") == [])
    }
}
