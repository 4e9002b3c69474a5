import Foundation
import Testing

@testable import ParallaxFraming

@Suite struct LogOddsTests {
    /// A corpus small enough to compute by hand: background counts regime 10, leader 30,
    /// other 60 (100 tokens); α₀ = 10, so α_regime = 1 and α_leader = 3.
    @Test func testZScoresMatchTheHandComputation() throws {
        let comparison = LogOddsComparison(
            background: ["regime": 10, "leader": 30, "other": 60], comparedTokens: 20, priorTotal: 10)
        let scores = comparison.scores(
            ["regime": 4, "leader": 1, "other": 5], total: 10, rest: ["regime": 0, "leader": 5, "other": 5],
            restTotal: 10)
        let regime = try #require(scores.first { $0.term == "regime" })
        // δ = log((4+1)/(10+10-4-1)) - log((0+1)/(10+10-0-1)) = log(5/15) - log(1/19) = 1.8458
        #expect(abs(regime.delta - (log(5.0 / 15) - log(1.0 / 19))) < 1e-12)
        #expect(abs(regime.delta - 1.845826) < 1e-6)
        // σ² = 1/5 + 1/1 = 1.2; z = 1.845827 / 1.095445 = 1.685002
        #expect(abs(regime.variance - 1.2) < 1e-12)
        #expect(abs(regime.z - 1.685002) < 1e-6)
        let leader = try #require(scores.first { $0.term == "leader" })
        // δ = log((1+3)/(10+10-1-3)) - log((5+3)/(10+10-5-3)) = log(4/16) - log(8/12) = -0.980829
        // σ² = 1/4 + 1/8 = 0.375; z = -0.980829 / 0.612372 = -1.601687
        #expect(abs(leader.delta - -0.980829) < 1e-6)
        #expect(abs(leader.z - -1.601687) < 1e-6)
        #expect(regime.prior == 1 && leader.prior == 3 && regime.priorTotal == 10)
    }

    /// α₀ is the compared texts' size, at most the library's: a term one side uses 100 times in
    /// 60,000 tokens and the other never, and that the library holds at the same rate, is as
    /// significant in a library of a hundred million tokens as in one of a million.
    @Test func testPriorWeighsAsMuchAsTheComparedTexts() throws {
        func regime(libraryTokens: Double) throws -> TermScore {
            let comparison = LogOddsComparison(
                background: ["regime": libraryTokens / 10_000], total: Int(libraryTokens),
                comparedTokens: 120_000)
            #expect(comparison.priorTotal == 120_000)
            let scores = comparison.scores(["regime": 100], total: 60_000, rest: [:], restTotal: 60_000)
            return try #require(scores.first)
        }
        let small = try regime(libraryTokens: 1e6)
        let large = try regime(libraryTokens: 1e8)
        #expect(abs(small.z - large.z) < 1e-9 && large.z >= 1.96)
        let tiny = LogOddsComparison(background: ["regime": 10], total: 500, comparedTokens: 120_000)
        #expect(tiny.priorTotal == 500)
    }

    @Test func testTermCountsHoldUnigramsAndContentBigrams() {
        let (terms, tokens) = TermCounts.of(
            "The self-proclaimed interim president met the opposition leader.")
        #expect(tokens == 8)
        #expect(terms["interim president"] == 1 && terms["self-proclaimed interim"] == 1)
        #expect(terms["opposition leader"] == 1)
        #expect(terms["the opposition"] == nil)
        #expect(terms["the"] == 2)
    }
}
