import Foundation
import ParallaxStore

/// Where a grouping update reads the state stored before it: a library's transaction, or
/// nothing when a library is grouped from scratch.
protocol GroupingStateSource {
    func terms(_ words: some Sequence<String>) throws -> [String: (id: Int32, documents: Int32)]
    func frequencies(of terms: some Sequence<Int32>) throws -> [Int32: Int32]
    func articles(_ seqs: some Sequence<Int64>) throws -> [GroupedArticle]
    func articles(matchingBest seq: Int64) throws -> [Int64]
    func members(ofEvent event: Int64) throws -> [Int64]
    func postings(of term: Int32) throws -> [Int64]
    func strongPartners(of seq: Int64) throws -> [Int64]
    func itemIDs(_ seqs: some Sequence<Int64>) throws -> [Int64: String]
}

extension GroupingStateTransaction: GroupingStateSource {}

/// No stored state: everything is grouped from scratch.
struct NoStoredGrouping: GroupingStateSource {
    func terms(_ words: some Sequence<String>) -> [String: (id: Int32, documents: Int32)] { [:] }
    func frequencies(of terms: some Sequence<Int32>) -> [Int32: Int32] { [:] }
    func articles(_ seqs: some Sequence<Int64>) -> [GroupedArticle] { [] }
    func articles(matchingBest seq: Int64) -> [Int64] { [] }
    func members(ofEvent event: Int64) -> [Int64] { [] }
    func postings(of term: Int32) -> [Int64] { [] }
    func strongPartners(of seq: Int64) -> [Int64] { [] }
    func itemIDs(_ seqs: some Sequence<Int64>) -> [Int64: String] { [:] }
}

/// An article to add to the grouping, keyed by its item's row number.
struct ArticleToAdd {
    var seq: Int64
    var id: String
    var title: String
    var text: String
    var source: String
    var day: Int32?
}

/// One update of the grouping: removes articles, adds articles, and regroups only the events
/// they touch, reading the rest of the stored state by key.
///
/// Grouping from scratch is the same update on an empty state. An update is the batch
/// grouping of the library as it now is, except where the articles grouped before were
/// weighed: see docs/architecture.md, "Incremental grouping", for the order dependence that
/// remains and its bound.
final class GroupingEngine {
    let grouper: GroupingSettings
    let source: any GroupingStateSource
    /// How many articles the term counts cover.
    var documents: Int

    // MARK: - State loaded or made by this update

    var articles: [Int64: GroupedArticle] = [:]
    var termIDs: [String: Int32] = [:]
    /// Article counts by term id; -1 where not loaded.
    var frequency: [Int32] = []
    var inverseFrequency: [Float] = []
    var nextTerm: Int32
    var newTerms: [Int32: String] = [:]
    var changedTerms = Set<Int32>()
    var postingsCache: [Int32: [Int64]] = [:]
    var norms: [Int64: Float] = [:]
    /// Articles not grouped now.
    var removed = Set<Int64>()
    /// Articles whose stored state is discarded: removed, or changed and added again.
    var discarded = Set<Int64>()
    var removedArticles: [GroupedArticle] = []
    var dirty = Set<Int64>()
    /// Articles whose links are found again: added, or their closest match removed.
    var fresh: [Int64] = []
    var affected = Set<Int64>()
    var affectedEvents = Set<Int64>()
    var strongAdded = Set<SeqPair>()
    var strongRemoved = Set<SeqPair>()
    /// Best similarities brought up to date in this update.
    var freshBest = Set<Int64>()

    /// Where added articles' counts wait to be weighed when they are too many to hold, if anywhere.
    let spillFolder: URL?
    /// Told how far each stage has got.
    var progress: (@Sendable (GroupingProgress) -> Void)?

    init(
        grouper: GroupingSettings, source: any GroupingStateSource, documents: Int, largestTermID: Int32,
        spillingInto spillFolder: URL? = nil
    ) {
        self.grouper = grouper
        self.source = source
        self.spillFolder = spillFolder
        self.documents = documents
        nextTerm = largestTermID + 1
    }

    /// Removes and adds articles, links the added ones and regroups the events touched.
    /// - Parameter expected: How many articles `adding` holds, for progress.
    func update(removing: [Int64], adding: some Sequence<ArticleToAdd>, expected: Int) throws {
        for article in try source.articles(removing) { try remove(article) }
        // Only counts are kept of each article, so a lazy sequence holds one text at a time.
        let counted = CountedArticles(spillingInto: spillFolder)
        for article in adding {
            try counted.append(try count(article))
            report(.reading, done: counted.count, total: expected)
        }
        try weigh(counted)
        try link()
        try regroup()
    }

    /// What the update changed, to write back.
    func changes() -> GroupingStateChanges {
        var changes = GroupingStateChanges()
        changes.documents = documents
        changes.newTerms = newTerms
        for term in changedTerms { changes.frequencies[term] = frequency[Int(term)] }
        changes.removed = removedArticles
        changes.saved = dirty.sorted().compactMap { articles[$0] }
        // In one order, so the stored state is the same whatever the sets' hash order.
        changes.strongAdded = strongAdded.subtracting(strongRemoved).sorted().map { ($0.first, $0.second) }
        changes.strongRemoved = strongRemoved.sorted().map { ($0.first, $0.second) }
        return changes
    }
}

/// How far grouping has got, for a progress line.
public struct GroupingProgress: Sendable {
    /// The stages of grouping, in order.
    public enum Stage: String, Sendable {
        case reading = "reading articles"
        case weighing = "weighing terms"
        case comparing = "comparing candidates"
        case forming = "forming events"
        case storing = "storing the grouping"
    }

    /// The stage.
    public let stage: Stage
    /// How many of its articles are done.
    public let done: Int
    /// How many it has.
    public let total: Int
}

extension GroupingEngine {
    /// Reports progress every thousandth article, and at a stage's end.
    func report(_ stage: GroupingProgress.Stage, done: Int, total: Int) {
        guard let progress, done % 1_000 == 0 || done == total else { return }
        progress(GroupingProgress(stage: stage, done: done, total: max(total, done)))
    }
}

/// Two articles' seqs, smaller first.
struct SeqPair: Hashable, Comparable {
    let first: Int64
    let second: Int64
    init(_ a: Int64, _ b: Int64) { (first, second) = a < b ? (a, b) : (b, a) }

    static func < (left: SeqPair, right: SeqPair) -> Bool {
        (left.first, left.second) < (right.first, right.second)
    }
}

extension GroupingEngine {
    /// The item ids of some articles: of those loaded, else as stored.
    func itemIDs(_ seqs: [Int64]) throws -> [Int64: String] {
        var ids: [Int64: String] = [:]
        var missing: [Int64] = []
        for seq in seqs {
            if let article = articles[seq] { ids[seq] = article.id } else { missing.append(seq) }
        }
        if !missing.isEmpty { ids.merge(try source.itemIDs(missing)) { known, _ in known } }
        return ids
    }

    /// Whether `first` wins a tie with `second`: the smaller item id does, as on every device
    /// (a seq decides only for an article whose id is not at hand).
    func precedes(_ first: Int64, _ second: Int64) -> Bool {
        guard let left = articles[first]?.id, let right = articles[second]?.id else { return first < second }
        return left < right
    }
}
