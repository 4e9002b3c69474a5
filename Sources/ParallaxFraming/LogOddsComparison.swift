import Foundation

/// One term's weighted log-odds ratio between a source and the rest of an event, with
/// every number needed to recompute it (Monroe, Colaresi & Quinn 2008, eqs. 16 and 18–20).
public struct TermScore: Codable, Hashable, Sendable {
    /// The unigram or bigram.
    public var term: String
    /// Its count in this source's articles, y_i.
    public var count: Int
    /// Its count in the other sources' articles of the event, y_j.
    public var restCount: Int
    /// Tokens in this source's articles, n_i.
    public var total: Int
    /// Tokens in the other sources' articles, n_j.
    public var restTotal: Int
    /// The term's prior, α_w = α₀ · (its count in the library / the library's tokens).
    public var prior: Double
    /// The prior's total, α₀.
    public var priorTotal: Double
    /// δ_w: the difference of the two log-odds.
    public var delta: Double
    /// σ²(δ_w) ≈ 1/(y_i + α_w) + 1/(y_j + α_w).
    public var variance: Double
    /// z = δ_w / σ(δ_w); positive when the source uses the term more than the rest.
    public var z: Double

    enum CodingKeys: String, CodingKey {
        case term, count, total, prior, delta, variance, z
        case restCount = "rest_count"
        case restTotal = "rest_total"
        case priorTotal = "prior_total"
    }
}

/// Weighted log-odds with an informative Dirichlet prior: which terms one group of texts uses
/// distinctively more than another, shrunk towards a background corpus so that rare words do
/// not dominate (the "Fightin' Words" method).
public struct LogOddsComparison: Sendable {
    /// Term counts of the background corpus (the whole library).
    public let background: [String: Double]
    /// The background's token count.
    public let backgroundTotal: Int
    /// α₀, the weight of the prior.
    public let priorTotal: Double

    /// Prepares a comparison against a background.
    /// - Parameters:
    ///   - total: The background's token count, when `background` holds only some of its terms.
    ///   - comparedTokens: The tokens of the texts being compared, both sides together.
    ///   - priorTotal: α₀. By default the compared texts' own size (at most the background's),
    ///     so the prior weighs as much as the evidence. A fixed α₀ would make a term used by one
    ///     side only less significant as the library grows: its prior α_w shrinks with the
    ///     library, and the variance of its zero count, 1/α_w, grows without bound.
    public init(
        background: [String: Double], total: Int? = nil, comparedTokens: Int,
        priorTotal: Double? = nil
    ) {
        self.background = background
        // Summed in one order: a dictionary's is seeded per process, and so is a sum of doubles.
        backgroundTotal = max(1, total ?? Int(background.values.sorted().reduce(0, +)))
        self.priorTotal = priorTotal ?? Double(max(1, min(backgroundTotal, comparedTokens)))
    }

    /// Scores every term of either side.
    /// - Parameters:
    ///   - counts: The group's term counts, y_i, and its token count, n_i.
    ///   - rest: The other group's term counts, y_j, and its token count, n_j.
    public func scores(_ counts: [String: Int], total: Int, rest: [String: Int], restTotal: Int)
        -> [TermScore]
    {
        Set(counts.keys).union(rest.keys).map { term in
            let mine = Double(counts[term] ?? 0)
            let theirs = Double(rest[term] ?? 0)
            // A term absent from the background would get a zero prior and an infinite log;
            // counting it once keeps it finite.
            let alpha = priorTotal * max(background[term] ?? 0, 1) / Double(backgroundTotal)
            let delta =
                log((mine + alpha) / (Double(total) + priorTotal - mine - alpha))
                - log((theirs + alpha) / (Double(restTotal) + priorTotal - theirs - alpha))
            let variance = 1 / (mine + alpha) + 1 / (theirs + alpha)
            return TermScore(
                term: term, count: Int(mine), restCount: Int(theirs), total: total, restTotal: restTotal,
                prior: alpha,
                priorTotal: priorTotal, delta: delta, variance: variance, z: delta / variance.squareRoot())
        }
    }
}

/// Unigrams and bigrams of a text, as the report counts them.
public enum TermCounts {
    /// Counts every word (the token total) and, separately, the content unigrams and bigrams
    /// (adjacent words, neither a function word) that a report may list.
    public static func of(_ text: String) -> (terms: [String: Int], tokens: Int) {
        var terms: [String: Int] = [:]
        let tokens = add(text, to: &terms)
        return (terms, tokens)
    }

    /// Adds a text's terms to running counts and returns its token count.
    /// - Parameter vocabulary: When given, only these terms are counted (a background needs
    ///   counts only for the terms of the texts it is compared with).
    @discardableResult
    public static func add(_ text: String, to terms: inout [String: Int], vocabulary: Vocabulary? = nil)
        -> Int
    {
        let words = Tokenizer.words(text)
        for word in words where vocabulary?.terms.contains(word) ?? true { terms[word, default: 0] += 1 }
        for (first, second) in zip(words, words.dropFirst())
        where (vocabulary?.bigramStarts.contains(first) ?? true) && isContent(first) && isContent(second) {
            let bigram = first + " " + second
            if vocabulary?.terms.contains(bigram) ?? true { terms[bigram, default: 0] += 1 }
        }
        return words.count
    }

    /// A set of terms to count, with the first words of its bigrams for a quick test.
    public struct Vocabulary: Sendable {
        /// The terms.
        public let terms: Set<String>
        let bigramStarts: Set<String>

        /// The vocabulary of some term counts.
        public init<Terms: Sequence>(_ terms: Terms) where Terms.Element == String {
            self.terms = Set(terms)
            bigramStarts = Set(
                self.terms.compactMap {
                    $0.split(separator: " ", maxSplits: 1).count == 2
                        ? String($0.split(separator: " ")[0]) : nil
                })
        }
    }

    /// A word that can be part of a listed bigram: three letters or more, not a function word.
    static func isContent(_ word: String) -> Bool { word.count > 2 && !Tokenizer.stopwords.contains(word) }
}
