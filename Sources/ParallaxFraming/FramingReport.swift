import Foundation
import ParallaxStore

/// The framing comparison of one event: per source, its distinctive terms and its markers.
/// The JSON form is documented in docs/report-json.md.
public struct FramingReport: Codable, Sendable {
    /// The articles compared.
    public var articles: [ArticleSummary]
    /// One entry per source, by name.
    public var sources: [SourceFraming]
    /// How the log-odds prior was formed.
    public var prior: PriorSummary
    /// How each source names the event's main actors.
    public var actors: [ActorNaming]
    /// What each source covers and quotes.
    public var coverage: [SourceCoverage]

    /// One actor and the descriptors each source gives it.
    public struct ActorNaming: Codable, Sendable {
        /// The actor, by surname.
        public var actor: String
        /// Per source: its descriptors of the actor, most used first.
        public var sources: [SourceNaming]
    }

    /// One source's descriptors of one actor.
    public struct SourceNaming: Codable, Sendable {
        /// The source.
        public var source: String
        /// Its descriptors.
        public var descriptors: [ActorDescriptor]
    }

    /// An article of the report.
    public struct ArticleSummary: Codable, Sendable {
        /// Its item id, title, source and publication date.
        public var id: String, title: String, source: String, published: String?
        /// Its word count.
        public var words: Int
    }

    /// The background the prior comes from.
    public struct PriorSummary: Codable, Sendable {
        /// Articles and tokens in the background (the whole library).
        public var articles: Int, tokens: Int
        /// α₀.
        public var total: Double

        enum CodingKeys: String, CodingKey {
            case articles, tokens
            case total = "prior_total"
        }
    }

    /// One source's framing.
    public struct SourceFraming: Codable, Sendable {
        /// The source's name.
        public var source: String
        /// The ids of its articles in the event.
        public var articles: [String]
        /// Its token count.
        public var tokens: Int
        /// Terms it uses more than the event's other sources (z above 0, two uses or more), highest
        /// z first; z above 1.96 is significant at the 5% level.
        public var distinctive: [TermScore]
        /// Marker counts by lexicon.
        public var markers: [MarkerCount]
    }

    /// One lexicon's markers in one source.
    public struct MarkerCount: Codable, Sendable {
        /// The lexicon.
        public var lexicon: String
        /// How many occurrences, and how many per 1,000 words.
        public var count: Int, perThousandWords: Double
        /// Each occurrence with its sentence.
        public var occurrences: [Occurrence]

        enum CodingKeys: String, CodingKey {
            case lexicon, count, occurrences
            case perThousandWords = "per_1000_words"
        }
    }

    /// A marker word in its sentence.
    public struct Occurrence: Codable, Sendable {
        /// The word, and the sentence it is in.
        public var term: String, sentence: String
    }
}

/// Why a report cannot be made.
public enum ReportError: Error, Equatable, LocalizedError {
    /// Fewer than two sources: there is nothing to compare.
    case singleSource(String?)
    /// No article was given, or none has text.
    case noArticles

    /// One line for the user.
    public var errorDescription: String? {
        switch self {
        case .singleSource(let source):
            "a framing report compares sources, but these articles all come from \(source ?? "one source"); "
                + "add coverage of the same event from another outlet"
        case .noArticles: "there are no articles with text to compare"
        }
    }
}

extension FramingReport {
    /// The background corpus of a report's prior: counts of the compared terms, the corpus's
    /// token total and how many articles it holds.
    public struct Background: Sendable {
        /// Counts of the terms being compared (estimates are allowed, hence real numbers).
        public var counts: [String: Double]
        /// The corpus's tokens, C.
        public var total: Int
        /// The corpus's articles.
        public var articles: Int

        /// A background.
        public init(counts: [String: Double], total: Int, articles: Int) {
            self.counts = counts
            self.total = total
            self.articles = articles
        }
    }

    /// Compares the sources of some articles, with background texts counted here for the prior.
    public static func compare(
        _ articles: [(item: Item, text: String)], background: [String],
        lexicons: [MarkerLexicon] = MarkerLexicon.shipped,
        termsPerSource: Int = 12
    ) throws -> FramingReport {
        try compare(articles, lexicons: lexicons, termsPerSource: termsPerSource) { vocabulary in
            var counts: [String: Int] = [:]
            var tokens = 0
            for text in background { tokens += TermCounts.add(text, to: &counts, vocabulary: vocabulary) }
            return Background(
                counts: counts.mapValues(Double.init), total: tokens, articles: background.count)
        }
    }

    /// Compares the sources of a set of articles against each other.
    /// - Parameters:
    ///   - articles: The event's articles with their texts.
    ///   - lexicons: Marker lexicons.
    ///   - termsPerSource: How many distinctive terms to list per source.
    ///   - background: Gives the prior's background counts for the terms being compared.
    /// - Throws: ``ReportError`` when there are no articles or only one source.
    public static func compare(
        _ articles: [(item: Item, text: String)], lexicons: [MarkerLexicon] = MarkerLexicon.shipped,
        termsPerSource: Int = 12, background: (TermCounts.Vocabulary) throws -> Background
    ) throws -> FramingReport {
        let articles = articles.filter { !$0.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        guard !articles.isEmpty else { throw ReportError.noArticles }
        let bySource = Dictionary(grouping: articles) { $0.item.source ?? "unknown source" }
        guard bySource.count >= 2 else { throw ReportError.singleSource(bySource.keys.first) }
        let counted = bySource.mapValues { members in
            members.reduce(into: (terms: [String: Int](), tokens: 0)) { sum, article in
                sum.tokens += TermCounts.add(article.item.title + "\n" + article.text, to: &sum.terms)
            }
        }
        // The prior needs background counts only of the terms being compared, and the total.
        let corpus = try background(TermCounts.Vocabulary(counted.values.flatMap(\.terms.keys)))
        let comparison = LogOddsComparison(background: corpus.counts, total: corpus.total)
        let sources = bySource.keys.sorted().map { source -> SourceFraming in
            let mine = counted[source]!
            var rest: [String: Int] = [:]
            var restTokens = 0
            for (other, counts) in counted where other != source {
                rest.merge(counts.terms, uniquingKeysWith: +)
                restTokens += counts.tokens
            }
            let distinctive = comparison.scores(
                mine.terms, total: mine.tokens, rest: rest, restTotal: restTokens
            )
            .filter { $0.count >= 2 && $0.z > 0 && !Self.isFunctionWord($0.term) }
            .sorted { ($0.z, $1.term) > ($1.z, $0.term) }
            let members = bySource[source]!
            return SourceFraming(
                source: source, articles: members.map(\.item.id).sorted(), tokens: mine.tokens,
                distinctive: Array(distinctive.prefix(termsPerSource)),
                markers: markers(of: lexicons, in: members.map(\.text), tokens: mine.tokens))
        }
        let texts = bySource.mapValues { $0.map(\.text) }
        let actors = ActorAnalysis.mainActors(in: articles.map(\.text))
        let descriptors = texts.mapValues { ActorAnalysis.descriptors(of: actors, in: $0) }
        let naming = actors.map { actor in
            ActorNaming(
                actor: actor,
                sources: texts.keys.sorted().map { source in
                    SourceNaming(
                        source: source, descriptors: descriptors[source]!.filter { $0.actor == actor })
                })
        }
        return FramingReport(
            articles: articles.map {
                ArticleSummary(
                    id: $0.item.id, title: $0.item.title, source: $0.item.source ?? "unknown source",
                    published: $0.item.published, words: $0.item.wordCount)
            }.sorted { ($0.source, $0.id) < ($1.source, $1.id) },
            sources: sources,
            prior: PriorSummary(
                articles: corpus.articles, tokens: comparison.backgroundTotal, total: comparison.priorTotal),
            actors: naming, coverage: CoverageAnalysis.coverage(sources: texts, actors: actors))
    }

    private static func isFunctionWord(_ term: String) -> Bool {
        !term.contains(" ")
            && (Tokenizer.stopwords.contains(term) || term.count <= 2 || term.allSatisfy(\.isNumber))
    }

    private static func markers(of lexicons: [MarkerLexicon], in texts: [String], tokens: Int)
        -> [MarkerCount]
    {
        var occurrences = Array(repeating: [Occurrence](), count: lexicons.count)
        for text in texts {
            for sentence in Sentences.of(text) {
                for word in Tokenizer.words(sentence) {
                    // A possessive counts as its word: "strongman's" is "strongman".
                    let base = word.hasSuffix("'s") ? String(word.dropLast(2)) : word
                    for (index, lexicon) in lexicons.enumerated() where lexicon.words.contains(base) {
                        occurrences[index].append(Occurrence(term: base, sentence: sentence))
                    }
                }
            }
        }
        return zip(lexicons, occurrences).map { lexicon, found in
            MarkerCount(
                lexicon: lexicon.name, count: found.count,
                perThousandWords: tokens == 0
                    ? 0 : (Double(found.count) * 1000 / Double(tokens) * 10).rounded() / 10,
                occurrences: found)
        }
    }
}
