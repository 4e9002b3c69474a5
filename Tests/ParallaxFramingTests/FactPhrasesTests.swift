import Testing

@testable import ParallaxFraming

/// Names and numbers are listed as the phrases a reader says, not cut into words.
@Suite struct FactPhrasesTests {
    @Test func testMultiwordAndHyphenatedNamesAndCountedNumbersStayWhole() {
        let sentence =
            "A 1993 federal law let Wal-Mart open stores in Little Rock, and 19 other states spent $1.5 billion."
        let facts: Set<String> = ["wal-mart", "little", "rock", "1993", "19", "1.5"]
        #expect(
            FactPhrases.covering(facts, in: sentence) == [
                "1993 federal law", "Wal-Mart", "Little Rock", "19 other states", "$1.5 billion",
            ])
    }

    @Test func testNamesJoinedByOfStayOneAndAFactNoPhraseHoldsIsGivenAlone() {
        let sentence = "The Bank of America and the Federal Reserve said so."
        #expect(
            FactPhrases.covering(["america", "reserve", "zurich"], in: sentence) == [
                "Bank of America", "Federal Reserve", "zurich",
            ])
    }
}
