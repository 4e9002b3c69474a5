import Foundation
import ParallaxTestSupport
import Testing

@testable import ParallaxIngest

@Suite struct PlainTextArticleTests {
    @Test func testSeedArticleKeepsHeadlineBylineAndStoryWithoutChrome() {
        let article = PlainTextArticle(parsing: Fixtures.seedArticle)
        #expect(article.title == "US in Touch With Venezuelan Military, Mulls New Sanctions on Maduro")
        #expect(article.byline == "Staff, News Agencies")
        #expect(article.body.hasPrefix("White House National Security Adviser John Bolton tweeted"))
        #expect(article.body.hasSuffix("was \"an option\"."))
        for chrome in [
            "Please Wait", "Summer of Victories", "folder_open", "access_time", "Add to favorites",
            "By Staff",
        ] {
            #expect(!article.body.contains(chrome), "the body kept '\(chrome)'")
        }
        #expect(article.body.components(separatedBy: "\n\n").count == 12)
    }

    @Test(arguments: [
        "visibility1,204 views",
        "schedule5 min read",
        "shareShare on Facebook",
        "thumb_up 12   comment 4",
        "Sign up for our newsletter",
        "Advertisement",
        "© 2024 Example Media. All rights reserved.",
        "Posted 3 hours ago",
        "Home | World | Americas",
        "Loading...",
        "Click here to read more",
        "bookmarkSave for later",
        "-- ♦ --",
    ])
    func testChromeLinesAreRecognised(line: String) {
        #expect(PageChromeClassifier().classify(line) == .chrome)
    }

    @Test(arguments: [
        "The minister said the talks would resume on Monday after a week of protests.",
        "Officials insisted that the sanctions were lawful, though critics disagreed and vowed to appeal the decision in court",
    ])
    func testProseIsRecognised(line: String) {
        #expect(PageChromeClassifier().classify(line) == .prose)
    }

    @Test func testHeadingAndBylineShapes() {
        let classifier = PageChromeClassifier()
        #expect(classifier.classify("Oil Exports Fall as Sanctions Bite") == .heading)
        #expect(classifier.classify("By Maria Lopez and Tom Reed") == .byline("Maria Lopez and Tom Reed"))
        #expect(classifier.classify("by the way, nothing happened") != .byline("the way, nothing happened"))
    }

    @Test func testChromeOfAnotherSiteIsDroppedAndSubheadingsKept() {
        let scraped = """
            Skip to content
            menuMenu  searchSearch
            World News Today
            Oil Exports Fall Sharply as New Sanctions Take Hold in Caracas
            visibility 3,021 views   schedule 4 min read
            By Maria Lopez

            Venezuela's oil exports fell by a third in March, according to shipping data compiled by analysts in Houston.

            The decline followed a new round of restrictions announced in January by the Treasury Department.

            What comes next

            Analysts expect exports to recover only slowly, and some warned that storage tanks were nearly full.

            shareShare   printPrint
            Tags: oil, venezuela
            Related Articles
            """
        let article = PlainTextArticle(parsing: scraped)
        #expect(article.title == "Oil Exports Fall Sharply as New Sanctions Take Hold in Caracas")
        #expect(article.byline == "Maria Lopez")
        let paragraphs = article.body.components(separatedBy: "\n\n")
        #expect(paragraphs.count == 4)
        #expect(paragraphs[2] == "What comes next")
        #expect(paragraphs.last?.hasPrefix("Analysts expect") == true)
    }

    @Test func testMarkdownHeadingIsTheTitleAndWrappedLinesJoin() {
        let markdown = """
            # Maduro Rejects Ultimatum

            The president said on Sunday that he would not call new elections, rejecting a
            deadline set by several European governments, and accused them of arrogance.

            Opposition leaders called for new protests.
            """
        let article = PlainTextArticle(parsing: markdown)
        #expect(article.title == "Maduro Rejects Ultimatum")
        #expect(article.body.components(separatedBy: "\n\n").first?.contains("rejecting a deadline") == true)
    }

    @Test func testTextWithoutHeadlineGetsItsFirstWords() {
        let article = PlainTextArticle(
            parsing:
                "the talks resumed on monday in oslo, where both delegations met for six hours behind closed doors."
        )
        #expect(article.title.hasPrefix("the talks resumed on monday"))
        #expect(article.title.hasSuffix("…"))
    }

    @Test func testLanguageGuess() {
        #expect(LanguageGuess.of(Fixtures.seedArticle) == "en")
        let spanish = String(
            repeating:
                "El gobierno de Venezuela dijo que las sanciones son ilegales y que la oposición no tiene apoyo en el país. ",
            count: 3)
        #expect(LanguageGuess.of(spanish) == "es")
        #expect(LanguageGuess.of("Too short.") == nil)
        // Decomposed accents stay inside their words ("für", "Ärzte"), and only the opening words count.
        let german = String(
            repeating:
                "Die Regierung sagt, dass die Sanktionen f\u{75}\u{308}r die A\u{308}rzte nicht gut sind und das ist auf dem Land ein Problem. ",
            count: 3)
        #expect(LanguageGuess.of(german) == "de")
        let longGerman = String(repeating: german, count: 10)
        #expect(LanguageGuess.of(longGerman + String(repeating: "the and of to in ", count: 2_000)) == "de")
    }
}
