import Foundation

/// An article as event grouping sees it.
public struct GroupableArticle: Sendable, Hashable {
    /// The item id.
    public var id: String
    /// The headline.
    public var title: String
    /// The body text.
    public var text: String
    /// The outlet; two articles of one outlet are never matched to each other.
    public var source: String
    /// The publication day, when known.
    public var published: Date?

    /// Creates an article to group.
    public init(id: String, title: String, text: String, source: String, published: Date?) {
        self.id = id
        self.title = title
        self.text = text
        self.source = source
        self.published = published
    }
}

/// The settings of event grouping, and grouping a set of articles that nothing stores: which
/// articles cover the same event, across outlets (``GroupingEngine`` is the algorithm).
///
/// Each article becomes a TF-IDF vector of its content words (the headline counted three
/// times). Candidate pairs come from an inverted index over each article's most distinctive
/// terms, never from all pairs. Similarity is cosine, damped when the publication dates lie
/// far apart, so stories on one topic weeks apart stay apart. Two articles of different
/// outlets are linked when each is the other's closest match and they are similar enough;
/// an article also joins its closest match when that one-sided match is close, and any two
/// strongly similar articles are linked. Linked articles form an event.
public struct GroupingSettings: Sendable {
    /// The similarity at which mutual best matches are linked.
    public var mutualThreshold = 0.1
    /// The similarity at which an article joins its closest match's event, even one-sided.
    public var attachThreshold = 0.25
    /// The similarity at which any two articles of different outlets are linked.
    public var strongThreshold = 0.4
    /// Within this many days, dates do not lower similarity.
    public var sameEventDays = 7.0
    /// Beyond this many days, articles are never one event.
    public var maximumDays = 30.0
    /// How many extra times the words of named entities count.
    public var entityWeight = 1
    /// How many of an article's most distinctive terms find its candidates.
    public var candidateTerms = 24

    /// The defaults, tuned on a development corpus of paired stories.
    public init() {}

    /// Groups articles; every article is in exactly one group (a group may hold one article).
    ///
    /// Each article is read once, as the sequence hands it over, and only its term counts are
    /// kept, so a lazy sequence that reads texts as it goes holds one text at a time. This is
    /// the update a library makes from scratch (``LibraryEvents``), on no stored state.
    /// - Returns: The groups, each sorted by id, largest first.
    public func group<Articles: Sequence>(_ input: Articles) -> [[String]]
    where Articles.Element == GroupableArticle {
        let engine = GroupingEngine(grouper: self, source: NoStoredGrouping(), documents: 0, largestTermID: 0)
        let adding = zip(Int64(1)..., input).lazy.map { seq, article in
            ArticleToAdd(
                seq: seq, id: article.id, title: article.title, text: article.text, source: article.source,
                day: article.published.map(Self.day))
        }
        // Nothing is stored, so nothing is read that could fail.
        guard (try? engine.update(removing: [], adding: adding, expected: 0)) != nil else { return [] }
        return engine.groups()
    }

    /// Days since 1970-01-01.
    static func day(_ date: Date) -> Int32 {
        Int32(clamping: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}

extension GroupingSettings: CustomStringConvertible {
    /// Every setting that changes the events, and the vectors' kept terms: a grouping stored
    /// under another description was made differently and is made again. It still opens with
    /// the type's earlier name, `EventGrouper`, since a library stores it and a new name would
    /// make every library group its articles again from scratch.
    public var description: String {
        "EventGrouper(mutual \(mutualThreshold), attach \(attachThreshold), strong \(strongThreshold), "
            + "days \(sameEventDays)–\(maximumDays), entity weight \(entityWeight), "
            + "candidate terms \(candidateTerms), kept terms \(GroupingEngine.keptTerms), "
            + "neighbours \(GroupingEngine.neighbours), topic terms over \(GroupingEngine.maximumFrequency), "
            + "incremental 1)"
    }
}

/// Disjoint sets with path halving.
struct UnionFind {
    private var parent: [Int]

    init(count: Int) { parent = Array(0..<count) }

    mutating func find(_ element: Int) -> Int {
        var element = element
        while parent[element] != element {
            parent[element] = parent[parent[element]]
            element = parent[element]
        }
        return element
    }

    mutating func union(_ first: Int, _ second: Int) {
        let (a, b) = (find(first), find(second))
        if a != b { parent[max(a, b)] = min(a, b) }
    }
}
