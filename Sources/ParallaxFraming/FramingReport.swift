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
    /// Statements only one source reports, per source (``StatementAlignment``).
    public var onlyHere: [UniqueStatement]
    /// Whether any source has a distinctive term that is significant; when none has, the
    /// event's coverage is too small to tell its sources apart by word choice.
    public var distinguishable: Bool

    enum CodingKeys: String, CodingKey {
        case articles, sources, prior, actors, coverage, distinguishable
        case onlyHere = "only_here"
    }

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
        /// Findings: terms it uses significantly more than the event's other sources (z ≥ 1.96,
        /// at the 5% level, and at least three uses), highest z first.
        public var distinctive: [TermScore]
        /// Terms it uses more, but not significantly so: descriptive counts, not findings.
        public var moreOften: [TermScore]
        /// Marker counts by lexicon, words inside quotations left out.
        public var markers: [MarkerCount]
        /// Its loaded language (``LoadedLanguage``), quotations left out of the rate.
        public var loaded: LoadedSummary

        enum CodingKeys: String, CodingKey {
            case source, articles, tokens, distinctive, markers, loaded
            case moreOften = "more_often"
        }
    }

    /// One source's loaded language.
    public struct LoadedSummary: Codable, Sendable {
        /// Flagged terms outside quotations per 1,000 words.
        public var perThousandWords: Double
        /// Flagged terms outside quotations, by category.
        public var counts: [String: Int]
        /// Flagged terms inside quotations: the speakers', not counted above.
        public var quoted: Int

        enum CodingKeys: String, CodingKey {
            case counts, quoted
            case perThousandWords = "per_1000_words"
        }
    }

    /// One lexicon's markers in one source.
    public struct MarkerCount: Codable, Sendable {
        /// The lexicon.
        public var lexicon: String
        /// How many occurrences, and how many per 1,000 words.
        public var count: Int, perThousandWords: Double
        /// Each occurrence with its sentence.
        public var occurrences: [Occurrence]
        /// Of `count`, the neutral attribution ("said", "told", "according to", "added"), which
        /// is counted but not flagged, so no occurrence lists it; 0 for any lexicon but
        /// `report-verbs`.
        public var neutral: Int

        /// How many of the occurrences take sides: `count` without the neutral ones.
        public var takingSides: Int { count - neutral }

        enum CodingKeys: String, CodingKey {
            case lexicon, count, occurrences, neutral
            case perThousandWords = "per_1000_words"
        }
    }

    /// A sentence with the marker words it holds, once however many it holds.
    public struct Occurrence: Codable, Sendable {
        /// The marker words, in order.
        public var terms: [String]
        /// The sentence.
        public var sentence: String
        /// The article it is in.
        public var article: String
        /// Where the sentence starts, and each term's start and end, in UTF-16 code units of
        /// the article's stored text.
        public var start: Int, offsets: [[Int]]
    }
}

/// Why a report cannot be made.
public enum ReportError: Error, Equatable, Sendable, LocalizedError {
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
