import ParallaxSimulation
import Testing

@testable import ParallaxMarkup

/// `Markup.html` escapes every field of every page and export Parallax writes.
struct HTMLEscapingTests {
    /// The rule, one scalar at a time, as the escaper was first written: the byte-level
    /// escaper must agree with it on any text.
    private static func escapedByScalars(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    @Test func testEscapesMarkupCharactersAndDropsWhatXMLForbids() {
        #expect(Markup.html("Q&A <b> \"x\" 'y'") == "Q&amp;A &lt;b&gt; &quot;x&quot; &#39;y&#39;")
        #expect(Markup.html("a\u{0}b\u{1F}c\u{FFFE}d\u{FFFF}e\t\r\n") == "abcde\t\r\n")
        #expect(Markup.html("caf\u{E9} \u{1F600} \u{FFFD}") == "caf\u{E9} \u{1F600} \u{FFFD}")
        #expect(Markup.html("") == "")
    }

    @Test func testDropsThatMakeUpForGrowthStillEscape() {
        // "&" grows by four bytes and four controls shrink by four: the length alone is equal.
        #expect(Markup.html("&\u{1}\u{2}\u{3}\u{4}") == "&amp;")
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func testAgreesWithTheScalarRuleOnRandomText(seed: UInt64) {
        let alphabet: [Unicode.Scalar] = [
            "a", "Z", " ", "&", "<", ">", "\"", "'", "\t", "\n", "\r", "\u{0}", "\u{1B}", "\u{7F}",
            "\u{E9}", "\u{2019}", "\u{FFFE}", "\u{FFFF}", "\u{FFFD}", "\u{EFFF}", "\u{F8FF}", "\u{1F600}",
        ]
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<500 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...40, using: &generator) {
                text.append(alphabet.randomElement(using: &generator)!)
            }
            let string = String(text)
            #expect(Markup.html(string) == Self.escapedByScalars(string), "for \(string.debugDescription)")
        }
    }
}
