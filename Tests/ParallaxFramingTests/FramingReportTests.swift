import Foundation
import ParallaxIngest
import ParallaxTestSupport
import Testing

@testable import ParallaxFraming
@testable import ParallaxReports
@testable import ParallaxStore

@Suite struct FramingReportTests {
    static func item(_ id: String, _ source: String, title: String = "A title") -> Item {
        Item(
            id: id, url: nil, canonicalURL: nil, title: title, byline: nil, source: source,
            published: "2019-02-14",
            saved: "2026-11-29T00:00:00Z", language: "en", contentHash: "", wordCount: 0,
            readingState: .unread,
            progress: 0, archived: false, favorite: false, note: nil, deleted: false, tags: [])
    }

    static let seedBody = PlainTextBody.seed

    @Test func testMarkersOfTheSeedArticleAreCountedWithTheirSentences() throws {
        let other =
            "Officials said the talks on sanctions continued. Opposition leader Juan Guaido said the military was split."
        let report = try FramingReport.compare(
            [(Self.item("a", "Al-Ahed News"), Self.seedBody), (Self.item("b", "Wire"), other)],
            background: [Self.seedBody, other])
        let seed = try #require(report.sources.first { $0.source == "Al-Ahed News" })
        let markers = Dictionary(uniqueKeysWithValues: seed.markers.map { ($0.lexicon, $0) })
        // "regime" is the official's, inside a quotation: not the outlet's marker.
        let loaded = try #require(markers["loaded"]).occurrences.flatMap(\.terms)
        #expect(Set(loaded).isSuperset(of: ["sham", "coup"]))
        #expect(!loaded.contains("regime"))
        let labels = try #require(markers["labels"]).occurrences.flatMap(\.terms)
        #expect(labels.contains("self-proclaimed"))
        #expect(
            try #require(markers["hedges"]).occurrences.contains {
                $0.terms.contains("allegedly") && $0.sentence.contains("Cuban military")
            })
        let attribution = try #require(markers["report-verbs"])
        let verbs = attribution.occurrences.flatMap(\.terms)
        #expect(verbs.filter { $0 == "claimed" }.count == 2)
        #expect(verbs.contains("accused"))
        // Neutral attribution is counted, never listed as a marker.
        #expect(!verbs.contains("said") && !verbs.contains("told"))
        #expect(attribution.neutral > 0 && attribution.takingSides == verbs.count)
        let rate = try #require(markers["loaded"]).perThousandWords
        #expect(abs(rate - (Double(loaded.count) * 1000 / Double(seed.tokens) * 10).rounded() / 10) < 1e-9)
        #expect(seed.loaded.quoted > 0 && seed.loaded.perThousandWords > 0)
    }

    @Test func testDistinctiveTermsCarryEverythingToRecomputeZ() throws {
        let left = "The regime said the regime would act. The regime is strong."
        let right = "The government said the government would act. The government is strong."
        let report = try FramingReport.compare(
            [(Self.item("a", "Left"), left), (Self.item("b", "Right"), right)], background: [left, right])
        // Three uses in two sentences are too few for a finding; the counts are kept all the same.
        let regime = try #require(
            (report.sources[0].distinctive + report.sources[0].moreOften).first { $0.term == "regime" })
        #expect(regime.count == 3 && regime.restCount == 0)
        let alpha = regime.prior
        let expected =
            (log((3 + alpha) / (Double(regime.total) + regime.priorTotal - 3 - alpha))
                - log(alpha / (Double(regime.restTotal) + regime.priorTotal - alpha)))
            / (1 / (3 + alpha) + 1 / alpha).squareRoot()
        #expect(abs(regime.z - expected) < 1e-9)
        #expect(!report.sources[0].distinctive.contains { $0.term == "the" })
    }

    @Test func testOneSourceOrNoTextIsRefusedClearly() {
        #expect(throws: ReportError.singleSource("Wire")) {
            try FramingReport.compare(
                [(Self.item("a", "Wire"), "Text one."), (Self.item("b", "Wire"), "Text two.")], background: []
            )
        }
        #expect(throws: ReportError.noArticles) {
            try FramingReport.compare([(Self.item("a", "Wire"), "  ")], background: [])
        }
    }

    @Test func testMarkdownEscapesArticleText() throws {
        let report = try FramingReport.compare(
            [
                (
                    Self.item("a", "Evil | Source", title: "<script>alert(1)</script> *bold*"),
                    "Words and words again."
                ),
                (Self.item("b", "Wire"), "Other words entirely."),
            ], background: [])
        let markdown = MarkdownReport.render(report)
        #expect(!markdown.contains("<script>"))
        #expect(markdown.contains("\\<script\\>"))
        #expect(markdown.contains("Evil \\| Source"))
        let html = HTMLReport.render(report)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; *bold*"))
        #expect(!html.contains("http"), "the page must not load anything")
    }

    @Test func testHTMLHighlightsTheTermsAtTheirOffsets() {
        let occurrence = FramingReport.Occurrence(
            terms: ["coup"], sentence: "A coup & a coupon <b>", article: "a", start: 100,
            offsets: [[102, 106]])
        #expect(HTMLReport.highlight(occurrence) == "A <mark>coup</mark> &amp; a coupon &lt;b&gt;")
    }

    @Test func testOccurrencesListEachSentenceOnceWithOffsetsIntoTheStoredText() throws {
        let text = "Intro line here. The very, very harsh sanctions bit. Another sentence."
        let report = try FramingReport.compare(
            [(Self.item("a", "Left"), text), (Self.item("b", "Right"), "Nothing of note here.")],
            background: [text])
        let intensifiers = try #require(report.sources[0].markers.first { $0.lexicon == "intensifiers" })
        #expect(intensifiers.count == 2 && intensifiers.occurrences.count == 1)
        let occurrence = try #require(intensifiers.occurrences.first)
        let units = Array(text.utf16)
        #expect(occurrence.article == "a" && occurrence.terms == ["very", "very"])
        for range in occurrence.offsets {
            #expect(String(decoding: units[range[0]..<range[1]], as: UTF16.self) == "very")
        }
        #expect(String(decoding: units[occurrence.start...].prefix(8), as: UTF16.self) == "The very")
    }

    @Test func testASmallEventYieldsNoFindingOnlyCounts() throws {
        let left = "Officials met on Monday. The regime said talks went well. Markets rose."
        let right = "Officials met on Monday. The government said talks went well. Markets rose."
        let report = try FramingReport.compare(
            [(Self.item("a", "Left"), left), (Self.item("b", "Right"), right)], background: [left, right])
        #expect(!report.distinguishable)
        #expect(report.sources.allSatisfy { $0.distinctive.isEmpty })
        #expect(MarkdownReport.render(report).contains("too small to tell its sources apart"))
    }

    @Test func testOnlyHereListsStatementsWithANewNameNumberOrQuotationAndNotParaphrases() throws {
        let wire = """
            The government announced new sanctions on the state oil company on Thursday. \
            Officials said the measures would take effect next week. \
            More than 40 countries have now recognised the opposition leader, the ministry said.
            """
        let post = """
            On Thursday the government unveiled fresh sanctions against the national oil firm. \
            The measures start next week, officials said. \
            Defence minister Vladimir Padrino insisted that the armed forces remained loyal to the president.
            """
        let report = try FramingReport.compare(
            [(Self.item("a", "Wire"), wire), (Self.item("b", "Post"), post)], background: [wire, post])
        let bySource = Dictionary(grouping: report.onlyHere, by: \.source)
        let wireOnly = try #require(bySource["Wire"])
        #expect(wireOnly.map(\.novel) == [["40 countries"]], "\(wireOnly)")
        #expect(try #require(bySource["Post"]).flatMap(\.novel).contains("Vladimir Padrino"))
        // The paraphrased sanctions sentences have counterparts: neither is listed.
        #expect(!report.onlyHere.contains { $0.sentence.contains("sanctions") })
        let units = Array(wire.utf16)
        let statement = wireOnly[0]
        #expect(
            String(decoding: units[statement.start..<statement.end], as: UTF16.self) == statement.sentence)
        #expect(MarkdownReport.render(report).contains("## What only one source reports"))
    }

    @Test func testOutletSelfReferencesAreNoFinding() throws {
        let fox = Array(
            repeating: "Fox News reported the vote. Fox News said the border plan passed.", count: 6
        )
        .joined(separator: " ")
        let wire = Array(repeating: "Officials said the border plan passed after a vote.", count: 6)
            .joined(separator: " ")
        let report = try FramingReport.compare(
            [(Self.item("a", "Fox News"), fox), (Self.item("b", "Wire"), wire)], background: [fox, wire])
        let terms = report.sources.flatMap { $0.distinctive + $0.moreOften }.map(\.term)
        #expect(!terms.contains { $0.contains("fox") || $0.contains("news") }, "\(terms)")
    }
}

/// The seed article's body as `parallax add` stores it.
enum PlainTextBody {
    static var seed: String {
        let text = Fixtures.seedArticle
        let start = text.range(of: "White House National Security Adviser")!.lowerBound
        return String(text[start...])
    }
}

@Suite struct ActorDescriptorTests {
    @Test func testSeedArticleNamesGuaidoAndMaduro() {
        let texts = [PlainTextBody.seed]
        let actors = ActorAnalysis.mainActors(in: texts)
        #expect(actors.contains("Guaido") && actors.contains("Maduro"))
        let descriptors = ActorAnalysis.descriptors(of: actors, in: texts)
        func named(_ actor: String) -> [String] { descriptors.filter { $0.actor == actor }.map(\.descriptor) }
        #expect(named("Guaido").contains("self-proclaimed interim president"))
        #expect(named("Guaido").contains("opposition leader"))
        #expect(named("Guaido").contains("the head of the opposition-led National Assembly"))
        #expect(named("Maduro").contains("legitimately elected"))
        #expect(named("Maduro").contains("incumbent President"))
        #expect(
            !named("Maduro").contains { $0.lowercased().hasPrefix("the ") && $0.contains("legitimately") })
    }

    /// The glance shows each outlet's own choices: the descriptors no other outlet uses, the
    /// telling ones first, and none from inside a quotation.
    @Test func testTheSampleEventsGlanceShowsEachOutletsOwnNamesForTheActors() throws {
        let drafts = try SampleLibrary.drafts()
        let articles = drafts.enumerated().map { index, draft in
            (item: FramingReportTests.item("\(index)", draft.source ?? "unknown"), text: draft.text)
        }
        let report = try FramingReport.compare(articles, background: articles.map { $0.text })
        let alAhed = HTMLReport.differingNames(of: "Al-Ahed News", in: report)
        #expect(alAhed.contains("“self-proclaimed interim president” Guaido"), "\(alAhed)")
        // "the former Maduro regime" is an official's, inside a quotation.
        #expect(!alAhed.contains { $0.contains("former") }, "\(alAhed)")
        let ledger = HTMLReport.differingNames(of: "Liberty Ledger (sample)", in: report)
        #expect(ledger.first { $0.hasSuffix("Maduro") } == "“dictator” Maduro", "\(ledger)")
        // The charts name every outlet in full at the page's text size: no scaled SVG text.
        let html = HTMLReport.render(report)
        #expect(html.contains("<th scope=\"row\">Liberty Ledger (sample)</th>") && !html.contains("<svg"))
    }

    @Test func testTheGlanceNamesTheFactsOfTheOneOrTwoMostNovelStatements() {
        func statement(_ novel: [String]) -> UniqueStatement {
            UniqueStatement(
                source: "Wire", article: "a", sentence: "s", start: 0, end: 1, kinds: [], novel: novel,
                closest: 0)
        }
        let statements = [
            statement(["Caracas"]), statement(["40 countries", "European Union"]), statement(["Lima"]),
        ]
        #expect(HTMLReport.mostNovel(statements) == ["40 countries", "European Union", "Caracas"])
    }

    @Test func testOtherOutletsDescriptorsDiffer() {
        let text =
            "Washington urged officers to abandon dictator Nicolas Maduro and back interim President Juan Guaido. "
            + "Guaido, the president of the National Assembly, spoke. Maduro spoke too."
        let descriptors = ActorAnalysis.descriptors(of: ["Maduro", "Guaido"], in: [text])
        #expect(descriptors.contains { $0.actor == "Maduro" && $0.descriptor == "dictator" })
        #expect(descriptors.contains { $0.actor == "Guaido" && $0.descriptor == "interim President" })
        #expect(
            descriptors.contains {
                $0.actor == "Guaido" && $0.descriptor == "the president of the National Assembly"
            })
    }

    /// Seen on real coverage: a verb that took the name as its object was shown as the outlet's
    /// name for the actor ("hammered" Obama, "asked former" Obama, "give" Democratic).
    @Test func testAVerbBeforeANameIsNoDescriptorButAParticipleIs() {
        let text =
            "Republicans have hammered Obama over jobs. Stephanopoulos asked former Obama aide Goolsbee. "
            + "The bill does give Democratic lawmakers a chance. The legitimately elected Obama spoke."
        let descriptors = ActorAnalysis.descriptors(of: ["Obama", "Democratic"], in: [text]).map(\.descriptor)
        #expect(descriptors.sorted() == ["former", "legitimately elected"])
    }
}

@Suite struct CoverageTests {
    @Test func testQuotationsAreAttributedToTheirSpeakers() {
        let text =
            "\"We will act,\" the minister said. Maduro also said the exiles wanted to \"divide the national armed forces\"."
            + " \"We believe it. We are sure of it,\" the official said."
        #expect(CoverageAnalysis.speakers(in: text) == ["the minister", "Maduro", "the official"])
        #expect(
            CoverageAnalysis.quotations(in: text).map(String.init) == [
                "We will act,", "divide the national armed forces", "We believe it. We are sure of it,",
            ])
    }

    @Test func testCoverageNamesWhatOnlyOneSourceGives() {
        let coverage = CoverageAnalysis.coverage(
            sources: [
                "A": ["Bolton said 40 countries agreed."], "B": ["Officials said several countries agreed."],
            ],
            actors: ["Bolton"])
        #expect(coverage.map(\.source) == ["A", "B"])
        #expect(coverage[0].numbersOnlyHere == ["40"])
        #expect(coverage[1].omittedActors == ["Bolton"])
    }
}
