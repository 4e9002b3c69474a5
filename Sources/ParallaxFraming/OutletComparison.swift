import Foundation
import ParallaxStore

/// Two or more outlets compared over the events each of them covered: matched events, so a
/// difference of topic is not taken for a difference of framing. What `parallax compare`
/// prints; the JSON form is documented in docs/report-json.md.
public struct OutletComparison: Codable, Sendable {
    /// The outlets, in the order given.
    public var outlets: [String]
    /// The events every outlet covered, with the articles compared.
    public var events: [MatchedEvent]
    /// Per outlet: terms it uses more than the other outlets over the matched events.
    public var distinctive: [OutletTerms]
    /// Recurring actors and the descriptors each outlet gives them across events.
    public var naming: [FramingReport.ActorNaming]
    /// Per outlet: loaded language per 1,000 words, quotations left out, with a 95% interval.
    public var loaded: [OutletRate]
    /// Per outlet: its attribution verbs per 1,000 words.
    public var attribution: [OutletVerbs]
    /// How the log-odds prior was formed.
    public var prior: FramingReport.PriorSummary
    /// Whether any outlet has a significant distinctive term.
    public var distinguishable: Bool

    /// An event every outlet covered.
    public struct MatchedEvent: Codable, Sendable {
        /// The event's id, and its articles by the compared outlets.
        public var id: String, articles: [FramingReport.ArticleSummary]
    }

    /// One outlet's distinctive terms, each with the evidence behind it.
    public struct OutletTerms: Codable, Sendable {
        /// The outlet.
        public var outlet: String
        /// Findings: z ≥ 1.96 on three uses or more (``FramingReport/isFinding(_:)``).
        public var terms: [Evidence]
        /// Terms used more, but not significantly: counts, not findings.
        public var moreOften: [Evidence]

        enum CodingKeys: String, CodingKey {
            case outlet, terms
            case moreOften = "more_often"
        }
    }

    /// A term's score, and the events and sentences it comes from.
    public struct Evidence: Codable, Sendable {
        /// The weighted log-odds score, with every number to recompute it.
        public var score: TermScore
        /// The matched events in whose articles this outlet uses it.
        public var events: [String]
        /// Up to two sentences that use it.
        public var sentences: [String]
    }

    /// One outlet's loaded-language rate.
    public struct OutletRate: Codable, Sendable {
        /// The outlet, its flagged terms outside quotations and its words.
        public var outlet: String, terms: Int, words: Int
        /// Terms per 1,000 words, and the 2.5th and 97.5th percentiles of 1,000 resamplings of
        /// the matched events.
        public var perThousandWords: Double, low: Double, high: Double
        /// Terms per 1,000 words by category.
        public var categories: [String: Double]

        enum CodingKeys: String, CodingKey {
            case outlet, terms, words, low, high, categories
            case perThousandWords = "per_1000_words"
        }
    }

    /// One outlet's attribution verbs.
    public struct OutletVerbs: Codable, Sendable {
        /// The outlet.
        public var outlet: String
        /// Each verb's uses per 1,000 words, outside quotations.
        public var verbs: [String: Double]
        /// The share of its attributions made with a verb that casts doubt (`claimed`,
        /// `insisted`) rather than a neutral one (`said`, `told`), 0 to 1.
        public var doubtShare: Double

        enum CodingKeys: String, CodingKey {
            case outlet, verbs
            case doubtShare = "doubt_share"
        }
    }
}

/// Why outlets cannot be compared.
public enum ComparisonError: Error, Equatable, Sendable, LocalizedError {
    /// No event of the library has articles from every outlet.
    case noMatchedEvents([String])

    /// One line for the user.
    public var errorDescription: String? {
        switch self {
        case .noMatchedEvents(let outlets):
            "no event in the library is covered by all of \(outlets.joined(separator: ", ")); "
                + "'parallax events' lists the events and their outlets"
        }
    }
}

extension LibraryEvents {
    /// Compares outlets over the events each of them covered.
    /// - Parameters:
    ///   - outlets: Two or more source names, as the library stores them.
    ///   - since: Only events of articles published (or saved) on or after this date.
    ///   - tag: Only articles with this tag.
    /// - Throws: ``ComparisonError`` when no event has articles from every outlet.
    public func compare(outlets named: [String], since: String? = nil, tag: String? = nil) throws
        -> OutletComparison
    {
        // An outlet named twice is compared once.
        var seen = Set<String>()
        let outlets = named.filter { seen.insert($0).inserted }
        let wanted = Set(outlets)
        let matched = try sharedEvents(since: since, sources: wanted).compactMap {
            event -> (id: String, items: [Item])? in
            let items = event.items.filter { item in
                wanted.contains(item.source ?? "")
                    && (tag.map { item.tags.contains($0.lowercased()) } ?? true)
            }
            return Set(items.compactMap(\.source)) == wanted ? (event.id, items) : nil
        }
        guard !matched.isEmpty else { throw ComparisonError.noMatchedEvents(outlets) }
        let allItems = matched.flatMap(\.items)
        let texts = Dictionary(
            uniqueKeysWithValues: zip(allItems.map(\.id), try library.texts(ofItemIDs: allItems.map(\.id))))
        let articles = matched.map { event in
            (id: event.id, articles: event.items.map { (item: $0, text: texts[$0.id] ?? "") })
        }
        return try OutletComparison.make(
            outlets: outlets, events: articles, libraryArticles: try library.statistics().items,
            background: backgroundCounts)
    }
}
