import Foundation
import ParallaxStore

// MARK: - Making a comparison

extension OutletComparison {
    /// Resamplings of the matched events behind each rate's interval.
    static let resamplings = 1000
    /// Terms listed per outlet.
    static let termsPerOutlet = 15

    /// Compares outlets over matched events.
    /// - Parameters:
    ///   - events: Each matched event's id and its articles by the compared outlets.
    ///   - background: The library's counts of a vocabulary and its token total, for the prior.
    static func make(
        outlets: [String], events: [(id: String, articles: [(item: Item, text: String)])],
        libraryArticles: Int,
        background: (TermCounts.Vocabulary) throws -> (counts: [String: Double], total: Int)
    ) throws -> OutletComparison {
        var counted: [String: (terms: [String: Int], tokens: Int)] = [:]
        for event in events {
            for article in event.articles {
                let source = article.item.source ?? ""
                var entry = counted[source] ?? ([:], 0)
                entry.tokens += TermCounts.add(article.item.title + "\n" + article.text, to: &entry.terms)
                counted[source] = entry
            }
        }
        let corpus = try background(FramingReport.listableVocabulary(counted.values.map(\.terms)))
        let comparison = LogOddsComparison(
            background: corpus.counts, total: corpus.total,
            comparedTokens: counted.values.map(\.tokens).reduce(0, +))
        let outletWords = FramingReport.outletWords(outlets)
        let distinctive = outlets.map { outlet -> OutletTerms in
            let mine = counted[outlet] ?? ([:], 0)
            var rest: [String: Int] = [:]
            var restTokens = 0
            for (other, counts) in counted where other != outlet {
                rest.merge(counts.terms, uniquingKeysWith: +)
                restTokens += counts.tokens
            }
            let more = comparison.scores(mine.terms, total: mine.tokens, rest: rest, restTotal: restTokens)
                .filter { $0.count >= 2 && $0.z > 0 && !FramingReport.isFunctionWord($0.term) }
                .filter { $0.term.split(separator: " ").allSatisfy { !outletWords.contains(String($0)) } }
                .sorted { ($0.z, $1.term) > ($1.z, $0.term) }
            let sentences = Self.sentences(of: outlet, in: events)
            let evidence = { (score: TermScore) in Self.evidence(for: score, in: sentences) }
            return OutletTerms(
                outlet: outlet,
                terms: more.filter(FramingReport.isFinding).prefix(termsPerOutlet).map(evidence),
                moreOften: more.filter { !FramingReport.isFinding($0) }.prefix(termsPerOutlet).map(evidence))
        }
        return OutletComparison(
            outlets: outlets,
            events: events.map { event in
                MatchedEvent(
                    id: event.id,
                    articles: event.articles.map {
                        FramingReport.ArticleSummary(
                            id: $0.item.id, title: $0.item.title, source: $0.item.source ?? "",
                            published: $0.item.published, words: $0.item.wordCount)
                    })
            },
            distinctive: distinctive, naming: naming(outlets: outlets, events: events),
            loaded: loadedRates(outlets: outlets, events: events),
            attribution: attribution(outlets: outlets, events: events),
            prior: FramingReport.PriorSummary(
                articles: libraryArticles, tokens: comparison.backgroundTotal, total: comparison.priorTotal),
            distinguishable: distinctive.contains { !$0.terms.isEmpty })
    }
}

// MARK: - Evidence, naming, rates

private extension OutletComparison {
    typealias Events = [(id: String, articles: [(item: Item, text: String)])]

    /// Each matched event's id with the outlet's sentences there, each beside its words joined
    /// by spaces and padded, so a term is found by one substring test.
    static func sentences(of outlet: String, in events: Events) -> [(
        event: String, sentences: [(String, String)]
    )] {
        events.map { event in
            (
                event.id,
                event.articles.filter { $0.item.source == outlet }.flatMap { article in
                    Sentences.of(article.text).map {
                        ($0, " " + Tokenizer.words($0).joined(separator: " ") + " ")
                    }
                }
            )
        }
    }

    /// The events in which the outlet uses a term, and its first two sentences with it.
    static func evidence(for score: TermScore, in events: [(event: String, sentences: [(String, String)])])
        -> Evidence
    {
        let needle = " \(score.term) "
        var ids: [String] = []
        var examples: [String] = []
        for event in events {
            let using = event.sentences.filter { $0.1.contains(needle) }
            guard !using.isEmpty else { continue }
            ids.append(event.event)
            examples += using.prefix(2 - examples.count).map(\.0)
        }
        return Evidence(score: score, events: ids, sentences: examples)
    }

    /// Actors named in at least two matched events (or the one there is), with each outlet's
    /// descriptors of them summed over the events.
    static func naming(outlets: [String], events: Events) -> [FramingReport.ActorNaming] {
        var eventsOf: [String: Int] = [:]
        var descriptors: [String: [String: [String: ActorDescriptor]]] = [:]
        for event in events {
            let actors = ActorAnalysis.mainActors(in: event.articles.map(\.text))
            for actor in actors { eventsOf[actor, default: 0] += 1 }
            for outlet in outlets {
                let texts = event.articles.filter { $0.item.source == outlet }.map(\.text)
                for found in ActorAnalysis.descriptors(of: actors, in: texts) {
                    let key = found.descriptor.lowercased()
                    if var known = descriptors[found.actor, default: [:]][outlet, default: [:]][key] {
                        known.count += found.count
                        descriptors[found.actor, default: [:]][outlet, default: [:]][key] = known
                    } else {
                        descriptors[found.actor, default: [:]][outlet, default: [:]][key] = found
                    }
                }
            }
        }
        let recurring = eventsOf.filter { $0.value >= min(2, events.count) }.keys
        return recurring.sorted { (eventsOf[$0]!, $1) > (eventsOf[$1]!, $0) }.prefix(12).map { actor in
            FramingReport.ActorNaming(
                actor: actor,
                sources: outlets.map { outlet in
                    FramingReport.SourceNaming(
                        source: outlet,
                        descriptors: (descriptors[actor]?[outlet]?.values).map(Array.init)?
                            .sorted { ($0.count, $1.descriptor) > ($1.count, $0.descriptor) } ?? [])
                })
        }
    }

    /// Loaded language per outlet, with an interval from resampling whole events: events differ
    /// more than articles do, and an outlet's rate should not rest on one story.
    static func loadedRates(outlets: [String], events: Events) -> [OutletRate] {
        let finder = LoadedLanguage()
        // Per event and outlet: flagged terms outside quotations by category, and words.
        let perEvent = events.map { event in
            Dictionary(
                uniqueKeysWithValues: outlets.map { outlet -> (String, (terms: [String: Int], words: Int)) in
                    let articles = event.articles.filter { $0.item.source == outlet }
                    var categories: [String: Int] = [:]
                    var words = 0
                    for article in articles {
                        let reading = finder.read(article.text)
                        words += reading.words
                        categories.merge(reading.counts, uniquingKeysWith: +)
                    }
                    return (outlet, (categories, words))
                })
        }
        var random = SplitMix(seed: 2008)
        return outlets.map { outlet in
            let terms = perEvent.reduce(0) { $0 + $1[outlet]!.terms.values.reduce(0, +) }
            let words = perEvent.reduce(0) { $0 + $1[outlet]!.words }
            let rates = (0..<resamplings).map { _ -> Double in
                var (flagged, total) = (0, 0)
                for _ in perEvent.indices {
                    let sample = perEvent[Int(random.next() % UInt64(perEvent.count))][outlet]!
                    flagged += sample.terms.values.reduce(0, +)
                    total += sample.words
                }
                return total == 0 ? 0 : Double(flagged) * 1000 / Double(total)
            }.sorted()
            let categories = perEvent.reduce(into: [String: Int]()) {
                $0.merge($1[outlet]!.terms, uniquingKeysWith: +)
            }
            return OutletRate(
                outlet: outlet, terms: terms, words: words, perThousandWords: rounded(terms, words),
                low: (rates[resamplings * 25 / 1000] * 10).rounded() / 10,
                high: (rates[resamplings * 975 / 1000] * 10).rounded() / 10,
                categories: categories.mapValues { rounded($0, words) })
        }
    }

    static func attribution(outlets: [String], events: Events) -> [OutletVerbs] {
        let reportVerbs = MarkerLexicon.shipped.first { $0.name == "report-verbs" }?.words ?? []
        let doubting = MarkerLexicon.shipped.first { $0.name == "doubt-verbs" }?.words ?? []
        return outlets.map { outlet in
            var uses: [String: Int] = [:]
            var wordCount = 0
            for event in events {
                for article in event.articles where article.item.source == outlet {
                    for sentence in SentenceSpans.of(article.text) {
                        let quotes = QuoteSpans.of(sentence.text, offset: 0)
                        let words = WordSpans.of(sentence.text, offset: 0)
                        for (word, quote) in zip(words, QuoteSpans.membership(of: words, in: quotes)) {
                            wordCount += 1
                            guard quote == nil,
                                reportVerbs.contains(word.word) || doubting.contains(word.word)
                            else { continue }
                            uses[word.word, default: 0] += 1
                        }
                    }
                }
            }
            let total = uses.values.reduce(0, +)
            let doubts = uses.filter { doubting.contains($0.key) }.values.reduce(0, +)
            return OutletVerbs(
                outlet: outlet, verbs: uses.mapValues { rounded($0, wordCount) },
                doubtShare: total == 0 ? 0 : (Double(doubts) / Double(total) * 1000).rounded() / 1000)
        }
    }

    static func rounded(_ count: Int, _ words: Int) -> Double {
        words == 0 ? 0 : (Double(count) * 1000 / Double(words) * 10).rounded() / 10
    }
}

/// A small seeded generator, so a comparison's intervals are the same on every run.
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
