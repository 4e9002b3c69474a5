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

    /// Seen on real coverage: an agency cut at "for" and "and", a date cut from its day, a
    /// sentence's first word taken for a name, "New York" without "New", and a preposition
    /// counted as what a number counts.
    @Test func testAgenciesDatesAndStatesAreWholeAndFunctionWordsStayOut() {
        let sentence =
            "On July 3, the Centers for Disease Control and Prevention said 8.1 percent in New York had it."
        #expect(
            FactPhrases.covering(
                ["july", "3", "centers", "disease", "prevention", "8.1", "york"], in: sentence)
                == ["July 3", "Centers for Disease Control and Prevention", "8.1 percent", "New York"])
        // "and" joins only inside a name that "of" or "for" began: two people stay two.
        #expect(
            FactPhrases.covering(["biden", "harris"], in: "Biden and Harris spoke.") == ["Biden", "Harris"])
        #expect(FactPhrases.covering(["us"], in: "In the US it rained.") == ["US"])
        #expect(
            FactPhrases.covering(
                ["kinzinger", "illinois", "upton", "michigan", "november", "6th", "smith"],
                in:
                    "Adam Kinzinger of Illinois and Fred Upton of Michigan voted on November 6th, Mrs. Smith said."
            )
                == ["Adam Kinzinger of Illinois", "Fred Upton of Michigan", "November 6th", "Smith"])
    }
}
