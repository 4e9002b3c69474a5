import Foundation
import ParallaxStore

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
        let corpus = try background(listableVocabulary(counted.values.map(\.terms)))
        let comparison = LogOddsComparison(
            background: corpus.counts, total: corpus.total,
            comparedTokens: counted.values.map(\.tokens).reduce(0, +))
        let sources = bySource.keys.sorted().map { source -> SourceFraming in
            let mine = counted[source]!
            var rest: [String: Int] = [:]
            var restTokens = 0
            for (other, counts) in counted where other != source {
                rest.merge(counts.terms, uniquingKeysWith: +)
                restTokens += counts.tokens
            }
            let outlets = Self.outletWords(bySource.keys)
            let more = comparison.scores(
                mine.terms, total: mine.tokens, rest: rest, restTotal: restTokens
            )
            .filter { $0.count >= 2 && $0.z > 0 && !Self.isFunctionWord($0.term) }
            .filter { term in term.term.split(separator: " ").allSatisfy { !outlets.contains(String($0)) } }
            .sorted { ($0.z, $1.term) > ($1.z, $0.term) }
            let significant = more.filter(Self.isFinding)
            let members = bySource[source]!
            return SourceFraming(
                source: source, articles: members.map(\.item.id).sorted(), tokens: mine.tokens,
                distinctive: Array(significant.prefix(termsPerSource)),
                moreOften: Array(more.filter { !Self.isFinding($0) }.prefix(termsPerSource)),
                markers: markers(
                    of: lexicons, in: members.map { ($0.item.id, $0.text) }, tokens: mine.tokens),
                loaded: loadedSummary(of: members.map(\.text), lexicons: lexicons, tokens: mine.tokens))
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
            actors: naming, coverage: CoverageAnalysis.coverage(sources: texts, actors: actors),
            onlyHere: StatementAlignment.uniqueStatements(
                bySource.mapValues { $0.map { ($0.item.id, $0.text) } }, outlets: outletWords(bySource.keys)),
            distinguishable: sources.contains { !$0.distinctive.isEmpty })
    }

    /// What a report says when no source has a significant distinctive term.
    public static let tooSmallToTell =
        "This event's coverage is too small to tell its sources apart by word choice: no term reaches "
        + "significance (z ≥ 1.96 on three uses or more). The terms below are counts, not findings."

    /// A distinctive term that is a finding: significant at the 5% level, on enough uses that
    /// one article's habit is not mistaken for an outlet's.
    static func isFinding(_ term: TermScore) -> Bool { term.z >= 1.96 && term.count >= 3 }

    /// The terms a report may list: used at least twice by one side, and not function words.
    ///
    /// Each term's score depends only on its own counts, so the prior needs background counts of
    /// these alone. Leaving out the rest (the common words above all) spares reading the longest
    /// lists of the library's search index.
    static func listableVocabulary(_ counts: [[String: Int]]) -> TermCounts.Vocabulary {
        TermCounts.Vocabulary(
            counts.flatMap { $0.lazy.filter { $0.value >= 2 && !isFunctionWord($0.key) }.map(\.key) })
    }

    /// Words of the event's outlets' names and of the news agencies they cite: "told Reuters"
    /// and "Fox News said" are self-references, not framing.
    static func outletWords<Names: Sequence>(_ names: Names) -> Set<String> where Names.Element == String {
        Set(names.flatMap { Tokenizer.words($0) }.filter { TermCounts.isContent($0) }).union(newsAgencies)
    }

    static let newsAgencies: Set<String> = [
        "reuters", "afp", "bloomberg", "tass", "xinhua", "sputnik", "interfax", "anadolu", "efe", "ansa",
        "dpa", "kyodo", "yonhap", "upi",
    ]

    private static func loadedSummary(of texts: [String], lexicons: [MarkerLexicon], tokens: Int)
        -> LoadedSummary
    {
        let finder = LoadedLanguage(lexicons: lexicons)
        let terms = texts.flatMap { finder.terms(in: $0) }
        let own = terms.filter { !$0.inQuote }
        return LoadedSummary(
            perThousandWords: tokens == 0
                ? 0 : (Double(own.count) * 1000 / Double(tokens) * 10).rounded() / 10,
            counts: own.reduce(into: [:]) { $0[$1.category.rawValue, default: 0] += 1 },
            quoted: terms.count - own.count)
    }

    static func isFunctionWord(_ term: String) -> Bool {
        !term.contains(" ")
            && (Tokenizer.stopwords.contains(term) || term.count <= 2 || term.allSatisfy(\.isNumber))
    }

    /// Each lexicon's words outside quotations, one occurrence per sentence with every offset.
    private static func markers(
        of lexicons: [MarkerLexicon], in articles: [(id: String, text: String)], tokens: Int
    )
        -> [MarkerCount]
    {
        var occurrences = Array(repeating: [Occurrence](), count: lexicons.count)
        var counts = Array(repeating: 0, count: lexicons.count)
        var neutral = Array(repeating: 0, count: lexicons.count)
        let matchers = lexicons.map { LexiconMatcher($0.words.sorted().map { ($0, ()) }) }
        for (id, text) in articles {
            let sentences = SentenceSpans.of(text)
            for (sentence, inside) in zip(sentences, QuoteSpans.startsInside(sentences, of: text)) {
                let quotes = QuoteSpans.of(sentence, startsInside: inside)
                let all = WordSpans.of(sentence.text, offset: sentence.start)
                let words = zip(all, QuoteSpans.membership(of: all, in: quotes)).filter { _, quote in
                    // A scare quote's words are the writer's; a quotation's are the speaker's.
                    quote.map {
                        quotes[$0].words <= LoadedLanguage.scareQuoteWords
                            && LoadedLanguage.isPhrase(quotes[$0].text)
                    } ?? true
                }.map(\.0)
                let lowered = words.map(\.word)
                for (index, lexicon) in lexicons.enumerated() {
                    // A possessive counts as its word ("strongman's" is "strongman"), an
                    // inflection as its entry, and a phrase as one term.
                    let matched = matchers[index].matches(in: lowered).map { match in
                        let term = match.words.map {
                            lowered[$0].hasSuffix("'s") ? String(lowered[$0].dropLast(2)) : lowered[$0]
                        }
                        return (
                            term: term.joined(separator: " "),
                            offsets: [
                                words[match.words.lowerBound].start, words[match.words.upperBound - 1].end,
                            ]
                        )
                    }
                    counts[index] += matched.count
                    // Neutral attribution is counted but never flagged: "said" in every
                    // sentence hid the verbs that take sides.
                    let found =
                        lexicon.name == AttributionVerbs.lexicon
                        ? matched.filter { !AttributionVerbs.neutral.contains($0.term) } : matched
                    neutral[index] += matched.count - found.count
                    guard !found.isEmpty else { continue }
                    occurrences[index].append(
                        Occurrence(
                            terms: found.map(\.term), sentence: sentence.text, article: id,
                            start: sentence.start, offsets: found.map(\.offsets)))
                }
            }
        }
        return zip(lexicons.indices, lexicons).map { index, lexicon in
            MarkerCount(
                lexicon: lexicon.name, count: counts[index],
                perThousandWords: tokens == 0
                    ? 0 : (Double(counts[index]) * 1000 / Double(tokens) * 10).rounded() / 10,
                occurrences: occurrences[index], neutral: neutral[index])
        }
    }
}

/// Verbs that attribute speech: the neutral ones report, the others take sides ("claimed",
/// "insisted", "admitted").
public enum AttributionVerbs {
    /// The lexicon that holds them.
    public static let lexicon = "report-verbs"
    /// The neutral ones, which a report counts but does not flag.
    public static let neutral: Set<String> = [
        "said", "says", "say", "told", "tells", "tell", "stated", "states", "added", "adds", "noted", "notes",
        "according", "explained", "announced", "reported", "wrote", "writes", "asked", "replied", "responded",
    ]
}
