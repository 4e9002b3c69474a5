import Foundation
import ParallaxTestSupport
import Testing

@testable import ParallaxFraming

/// Sentences split where a reader would split them: not after a title, an initial or a short
/// form inside a sentence, not before a word in lower case, and at the end of a quotation that
/// closes a sentence.
@Suite struct SentenceSpansTests {
    static func sentences(_ text: String) -> [String] { SentenceSpans.of(text).map(\.text) }

    @Test(
        arguments: [
            // Titles and initials before names.
            (
                "Sen. Elizabeth Warren and Gov. Gavin Newsom spoke. Mr. Smith left.",
                ["Sen. Elizabeth Warren and Gov. Gavin Newsom spoke.", "Mr. Smith left."]
            ),
            (
                "John F. Kennedy was shot in 1963. The nation mourned.",
                ["John F. Kennedy was shot in 1963.", "The nation mourned."]
            ),
            // Short forms that sit inside a sentence, or end it before a word that opens one.
            (
                "On Jan. 5 the U.S. Navy moved. It was late.",
                ["On Jan. 5 the U.S. Navy moved.", "It was late."]
            ),
            (
                "Sanctions hit the U.S. The response came fast.",
                ["Sanctions hit the U.S.", "The response came fast."]
            ),
            ("He lives on Main St. in St. Louis.", ["He lives on Main St. in St. Louis."]),
            (
                "Shares of Acme Inc. rose. Walmart Inc. fell.",
                ["Shares of Acme Inc. rose.", "Walmart Inc. fell."]
            ),
            // A two-letter name is no abbreviation.
            (
                "He cut diplomatic ties with DC. Maduro also said more.",
                ["He cut diplomatic ties with DC.", "Maduro also said more."]
            ),
            // Decimals, ellipses and marks inside words.
            (
                "Growth was 3.5 percent... then it fell. Yahoo!Inc is a name.",
                ["Growth was 3.5 percent... then it fell.", "Yahoo!Inc is a name."]
            ),
            ("Wait… What happened? Nobody knew!", ["Wait…", "What happened?", "Nobody knew!"]),
            // Quotations that close a sentence, or are followed by their attribution.
            ("“We will win.” The crowd cheered.", ["“We will win.”", "The crowd cheered."]),
            (
                "“We will win,” he said. “They will lose.” Then he left.",
                ["“We will win,” he said.", "“They will lose.”", "Then he left."]
            ),
            (
                "\"Now is the time.\" said the senator, \"to act.\"",
                ["\"Now is the time.\" said the senator, \"to act.\""]
            ),
            (
                "It was “indicative.” of a trend. Others agreed.",
                ["It was “indicative.” of a trend.", "Others agreed."]
            ),
            // Headlines and datelines without a final stop end at their line.
            (
                "Venezuela Faces New Sanctions\nCARACAS, Venezuela (AP) — Officials said so. More came.",
                [
                    "Venezuela Faces New Sanctions", "CARACAS, Venezuela (AP) — Officials said so.",
                    "More came.",
                ]
            ),
        ] as [(String, [String])])
    func testHardCasesSplitWhereAReaderWould(text: String, expected: [String]) {
        #expect(Self.sentences(text) == expected)
    }

    /// A hostile text of nothing but marks is read in one pass, not once from each mark.
    @Test func testARunOfAHundredThousandMarksIsOneSentence() {
        let text = "It ended" + String(repeating: ".", count: 100_000) + " then it began again."
        #expect(Self.sentences(text).count == 1)
    }

    @Test func testSentenceStartsAreUTF16OffsetsIntoTheText() {
        let text = "Café 😀 opened. Then 𝄞 came."
        let spans = SentenceSpans.of(text)
        let utf16 = Array(text.utf16)
        #expect(spans.count == 2)
        for span in spans {
            let slice = String(
                utf16CodeUnits: Array(utf16[span.start..<span.start + span.text.utf16.count]),
                count: span.text.utf16.count)
            #expect(slice == span.text)
        }
    }

    /// On real coverage (the PAC stories, whose sentences are joined by spaces), a sentence that
    /// starts in lower case is nearly always a wrong split.
    @Test func testAlmostNoSentenceOfRealCoverageStartsInLowerCase() throws {
        guard let shared = Fixtures.sharedDirectory else {
            print("skipped: ../shared is absent, so the PAC stories cannot be read")
            return
        }
        let lines = try String(
            contentsOf: shared.appendingPathComponent("corpora/pac-stories.jsonl"), encoding: .utf8
        ).split(separator: "\n")
        var sentences = 0
        var lowerCase: [String] = []
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            for sentence in Self.sentences(object?["text"] as? String ?? "") {
                sentences += 1
                // Its first character, after opening quotes, brackets and dashes: a letter in
                // lower case, or punctuation that only continues a sentence.
                let first = sentence.unicodeScalars.first { !"\"“‘'([«—–- ".unicodeScalars.contains($0) }
                if let first, first.properties.isLowercase || ",;:)]}”’.".unicodeScalars.contains(first) {
                    lowerCase.append(String(sentence.prefix(60)))
                }
            }
        }
        print("PAC stories: \(sentences) sentences, \(lowerCase.count) start in lower case")
        #expect(sentences > 5_000)
        #expect(lowerCase.count <= 0, "\(lowerCase)")
    }
}
