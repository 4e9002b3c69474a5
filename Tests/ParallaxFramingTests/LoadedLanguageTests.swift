import Foundation
import Testing

@testable import ParallaxFraming

@Suite struct LoadedLanguageTests {
    let finder = LoadedLanguage()

    func flagged(_ text: String) -> [String: LoadedLanguage.Category] {
        Dictionary(
            finder.terms(in: text).map { ($0.text, $0.category) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func testLabelsAndDoubtVerbsAreTheWritersWords() {
        let terms = flagged(
            "The self-proclaimed president of the regime claimed the vote was a sham, the paper said.")
        #expect(terms["self-proclaimed"] == .label && terms["regime"] == .label)
        #expect(terms["claimed"] == .doubtVerb && terms["sham"] == .loaded)
        #expect(terms["president"] == nil && terms["vote"] == nil && terms["said"] == nil)
    }

    @Test func testAReportedDeathIsNotLoadedButAJudgmentOfItIs() {
        #expect(flagged("Three people were killed and twelve injured in the attack on Tuesday.").isEmpty)
        let judged = flagged("Three people were killed in a horrific and cowardly attack.")
        #expect(judged["horrific"] != nil && judged["cowardly"] != nil && judged["killed"] == nil)
    }

    @Test func testWordsInsideAQuotationAreTheSpeakersAndLeftOutOfTheRate() throws {
        let text = #"Minister Jorge Arreaza said: "This is a brutal and illegal blockade by a rogue regime.""#
        let terms = finder.terms(in: text)
        #expect(!terms.isEmpty && terms.allSatisfy(\.inQuote), "\(terms)")
        #expect(terms.allSatisfy { $0.speaker == "Minister Jorge Arreaza" }, "\(terms)")
        #expect(finder.rate(of: terms, words: 15) == 0)
        let described = finder.terms(in: #""The regime is finished," the official said."#)
        #expect(described.first?.inQuote == true && described.first?.speaker == "the official")
        // A quotation that began in an earlier sentence still ends in this one.
        let continued = finder.terms(in: #"It was a disaster", the official said, "and everyone knew.""#)
        #expect(continued.first { $0.text == "disaster" }?.inQuote == true)
    }

    @Test func testAShortUnattributedQuotationIsAScareQuote() {
        let scare = finder.terms(in: #"The government's "reforms" left thousands without pay."#)
        #expect(scare.contains { $0.category == .scareQuote && $0.text == "\"reforms\"" && !$0.inQuote })
        let attributed = finder.terms(in: #"Trump said a military intervention was "an option"."#)
        #expect(!attributed.contains { $0.category == .scareQuote })
    }

    @Test func testASentenceInTheMiddleOfAQuotationIsTheSpeakers() {
        let text =
            "Maduro said: “We will win. The regime in Washington is corrupt. The empire is brutal,” he added. "
            + "Critics call the regime corrupt."
        let corrupt = finder.terms(in: text).filter { $0.text == "corrupt" }
        #expect(corrupt.map(\.inQuote) == [true, false], "\(corrupt)")
        // A quotation left open does not run into the next paragraph.
        let open = finder.terms(in: "He said “we will.\nThe regime is corrupt.").filter {
            $0.text == "corrupt"
        }
        #expect(open.map(\.inQuote) == [false], "\(open)")
    }

    @Test func testAPhraseOfUpToFourUnattributedWordsIsAScareQuote() {
        let four = finder.terms(in: "The “new era of cooperation” ended within a week.")
        #expect(four.contains { $0.category == .scareQuote && $0.text == "“new era of cooperation”" })
    }

    @Test(arguments: [
        // The end of a quotation that spans sentences.
        "“We act today. Now,” Ms. Warren wrote in the letter.",
        // A quoted sentence.
        "She ended the rally with a promise: “See you Sunday.”",
        // A word of a reported statement.
        "The group demanded he be released “immediately,” and asked allies to help.",
        // A quotation attributed in the next sentence.
        "The plan is “a lifeline” for farmers. The minister said so on Monday.",
    ])
    func testQuotationsThatAreSomeonesWordsAreNoScareQuotes(text: String) {
        let terms = finder.terms(in: text)
        #expect(!terms.contains { $0.category == .scareQuote }, "\(terms)")
    }

    @Test func testOffsetsPointAtTheFlaggedWordsInUTF16() {
        let text = "Café owners 🇻🇪 said the move was draconian.\nCritics slammed the “so-called” plan."
        let units = Array(text.utf16)
        let terms = finder.terms(in: text)
        #expect(terms.count >= 3, "\(terms)")
        for term in terms {
            #expect(String(decoding: units[term.start..<term.end], as: UTF16.self) == term.text, "\(term)")
        }
        #expect(terms.map(\.sentence) == terms.map(\.sentence).sorted())
        #expect(terms.first { $0.text == "slammed" }?.sentence == 1)
    }

    @Test func testAReadingCountsOnlyTheOutletsOwnWords() {
        let reading = finder.read(
            #"Critics slammed the draconian plan. "It is a disaster," the minister said. Rain fell."#)
        #expect(reading.counts == ["doubt-verb": 1, "loaded": 1], "\(reading.counts)")
        #expect(reading.sentences.map(\.index) == [0, 1])
        #expect(abs(reading.ratePerThousandWords - 2000.0 / Double(reading.words)) < 1e-9)
    }

    @Test func testAQuotationOfSeveralSentencesStaysTheSpeakers() {
        let terms = finder.terms(
            in: #"Maduro said: "We will win. The empire is brutal." Critics call the regime corrupt."#)
        let byWord = Dictionary(terms.map { ($0.text, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byWord["brutal"]?.inQuote == true, "\(terms)")
        #expect(byWord["regime"]?.inQuote == false && byWord["corrupt"]?.inQuote == false, "\(terms)")
        let curly = finder.terms(in: "The minister was blunt. “Leave now or face a brutal end.” He left.")
        #expect(!curly.contains { $0.category == .scareQuote }, "\(curly)")
    }

    @Test func testSentencesEndAtMarksBeforeSpacesNotInsideNumbersOrAfterInitials() {
        let sentences = SentenceSpans.of(
            "Prices rose 3.5 percent in the U.S. on Monday. Dr. Smith said \"no.\" Headline\r\nBody here."
        )
        .map(\.text)
        #expect(
            sentences == [
                "Prices rose 3.5 percent in the U.S. on Monday.", "Dr. Smith said \"no.\"", "Headline",
                "Body here.",
            ], "\(sentences)")
    }

    @Test func testAScareQuoteAroundAFlaggedWordCountsOnce() {
        let terms = finder.terms(in: #"The government passed the "draconian" law."#)
        #expect(terms.count == 1 && terms.first?.text == "draconian", "\(terms)")
    }
}

/// A quotation over several sentences belongs to the speaker its attribution names, in every
/// one of its sentences.
@Suite struct QuotationSpeakerTests {
    let finder = LoadedLanguage()

    @Test func testAMiddleSentenceOfAQuotationTakesItsSpeaker() throws {
        let text =
            "“We will win. The regime in Washington is corrupt. The empire is brutal,” Maduro added. "
            + "Critics called the plan reckless."
        let terms = finder.terms(in: text)
        let corrupt = try #require(terms.first { $0.text == "corrupt" })
        #expect(corrupt.inQuote && corrupt.speaker == "Maduro")
        #expect(terms.first { $0.text == "brutal" }?.speaker == "Maduro")
        // The sentence after the quotation is the outlet's again.
        #expect(terms.first { $0.text == "reckless" }.map { !$0.inQuote && $0.speaker == nil } == true)
        let opened = finder.terms(in: "Maduro said: “We will win. The regime in Washington is corrupt.”")
        #expect(opened.first { $0.text == "corrupt" }?.speaker == "Maduro")
        #expect(finder.read(text).terms == terms)
    }
}

/// Phrases, inflections and reported speech, as the finder reads them.
@Suite struct LoadedPhrasesTests {
    let finder = LoadedLanguage()

    @Test func testAPhraseIsOneTermWithTheOffsetsOfItsWords() throws {
        let text = "The senator doubled down on what critics call a witch hunt."
        let terms = finder.terms(in: text)
        let phrase = try #require(terms.first { $0.text == "doubled down" })
        #expect(phrase.category == .loaded && phrase.polarity == 0)
        let units = Array(text.utf16)
        #expect(String(decoding: units[phrase.start..<phrase.end], as: UTF16.self) == "doubled down")
        #expect(terms.contains { $0.text == "witch hunt" })
    }

    @Test func testAnInflectedEntryIsFlaggedInItsList() {
        let categories = Dictionary(
            finder.terms(in: "He lambastes the plan and recklessly touts a boondoggle.").map {
                ($0.text, $0.category)
            }, uniquingKeysWith: { first, _ in first })
        #expect(categories["lambastes"] == .doubtVerb && categories["touts"] == .doubtVerb)
        #expect(categories["recklessly"] == .loaded && categories["boondoggle"] == .loaded)
    }

    /// A word strong only in valence is the speaker's view when the sentence reports speech;
    /// a listed word stays the writer's choice of words.
    @Test func testValenceInReportedSpeechIsTheSpeakersButAListedWordIsNot() {
        let alone = finder.terms(in: "The season was miserable for the town.")
        #expect(alone.contains { $0.category == .valence })
        let reported = finder.terms(in: "The mayor said the season was miserable for the town.")
        #expect(!reported.contains { $0.category == .valence }, "\(reported)")
        let listed = finder.terms(in: "The mayor said the draconian plan was miserable.")
        #expect(listed.contains { $0.text == "draconian" && $0.category == .loaded })
    }
}
