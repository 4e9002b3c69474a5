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

/// Groups articles that cover the same event, across outlets.
///
/// Each article becomes a TF-IDF vector of its content words (the headline counted three
/// times). Candidate pairs come from an inverted index over each article's most distinctive
/// terms, never from all pairs. Similarity is cosine, damped when the publication dates lie
/// far apart, so stories on one topic weeks apart stay apart. Two articles of different
/// outlets are linked when each is the other's closest match and they are similar enough;
/// an article also joins its closest match when that one-sided match is close, and any two
/// strongly similar articles are linked. Linked articles form an event.
public struct EventGrouper: Sendable {
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

    /// A grouper with the defaults, tuned on a development corpus of paired stories.
    public init() {}

    /// Groups articles; every article is in exactly one group (a group may hold one article).
    ///
    /// Each article is read once, as the sequence hands it over, and only its term counts are
    /// kept, so a lazy sequence that reads texts as it goes holds one text at a time.
    /// - Returns: The groups, each sorted by id, largest first.
    public func group<Articles: Sequence>(_ input: Articles) -> [[String]]
    where Articles.Element == GroupableArticle {
        var articles: [(id: String, source: String, published: Date?)] = []
        // Named entities count once more: sharing "Guaido" says more about the event than sharing "talks".
        let vectors = TermVectors(
            input.lazy.map { article in
                articles.append((article.id, article.source, article.published))
                return Tokenizer.contentWords(
                    article.title + " " + article.title + " " + article.title + " " + article.text)
                    + (entityWeight > 0
                        ? Array(repeating: Tokenizer.namedEntities(article.text), count: entityWeight).flatMap
                        {
                            $0
                        } : [])
            })
        let candidates = vectors.candidatePairs(terms: candidateTerms)
        var best = [(similarity: Double, other: Int)](repeating: (0, -1), count: articles.count)
        var components = UnionFind(count: articles.count)
        for pair in candidates where articles[pair.first].source != articles[pair.second].source {
            let (first, second) = (pair.first, pair.second)
            let similarity =
                vectors.cosine(first, second)
                * dateFactor(articles[first].published, articles[second].published)
            guard similarity > 0 else { continue }
            if similarity >= strongThreshold { components.union(first, second) }
            if similarity > best[first].similarity { best[first] = (similarity, second) }
            if similarity > best[second].similarity { best[second] = (similarity, first) }
        }
        for index in articles.indices {
            let (similarity, other) = best[index]
            guard other >= 0 else { continue }
            let mutual = best[other].other == index
            if similarity >= (mutual ? mutualThreshold : attachThreshold) { components.union(index, other) }
        }
        var groups: [Int: [String]] = [:]
        for index in articles.indices {
            groups[components.find(index), default: []].append(articles[index].id)
        }
        return groups.values.map { $0.sorted() }.sorted {
            ($0.count, $1.first ?? "") > ($1.count, $0.first ?? "")
        }
    }

    private func dateFactor(_ first: Date?, _ second: Date?) -> Double {
        guard let first, let second else { return 1 }
        let days = abs(first.timeIntervalSince(second)) / 86_400
        if days <= sameEventDays { return 1 }
        if days > maximumDays { return 0 }
        return 0.5
    }
}

extension EventGrouper: CustomStringConvertible {
    /// Every setting that changes the events, and the vectors' kept terms: a grouping stored
    /// under another description was made differently and is made again.
    public var description: String {
        "EventGrouper(mutual \(mutualThreshold), attach \(attachThreshold), strong \(strongThreshold), "
            + "days \(sameEventDays)–\(maximumDays), entity weight \(entityWeight), "
            + "candidate terms \(candidateTerms), kept terms \(TermVectors.keptTerms))"
    }
}

/// TF-IDF vectors of documents, L2-normalised, with an inverted index for candidate pairs.
///
/// Each vector is an array of (term, weight) sorted by term, eight bytes an entry, so a
/// hundred thousand articles take a few hundred megabytes and a cosine is one merge of two
/// arrays. Documents are counted as they arrive and weighed once all are in.
struct TermVectors {
    struct Entry {
        var term: Int32
        var weight: Float
    }

    /// The most terms a vector keeps, its heaviest: they carry nearly all of a cosine, and a
    /// long article's tail of single words would otherwise cost memory in proportion to it.
    static let keptTerms = 256

    private var vectors: [[Entry]] = []
    private var documentFrequency: [Int32] = []

    init<Documents: Sequence>(_ documents: Documents) where Documents.Element == [String] {
        var terms: [String: Int32] = [:]
        var counted: [[Entry]] = []
        var document: [Int32: Int32] = [:]
        for words in documents {
            document.removeAll(keepingCapacity: true)
            for word in words {
                let term: Int32
                if let known = terms[word] {
                    term = known
                } else {
                    term = Int32(terms.count)
                    terms[word] = term
                    documentFrequency.append(0)
                }
                document[term, default: 0] += 1
            }
            for term in document.keys { documentFrequency[Int(term)] += 1 }
            // The count waits in the weight's place until every document's frequency is known.
            counted.append(
                document.map { Entry(term: $0.key, weight: Float($0.value)) }.sorted { $0.term < $1.term })
        }
        let total = Double(counted.count)
        // Weighed in place, one document at a time, so counts and weights are never both whole.
        for index in counted.indices {
            for entry in counted[index].indices {
                let term = counted[index][entry]
                // Smoothed IDF (plus one), so words every article of a small library shares still count.
                counted[index][entry].weight = Float(
                    (1 + log(Double(term.weight)))
                        * (1 + log((total + 1) / Double(documentFrequency[Int(term.term)] + 1))))
            }
            if counted[index].count > Self.keptTerms {
                counted[index] = counted[index].sorted { $0.weight > $1.weight }.prefix(Self.keptTerms)
                    .sorted { $0.term < $1.term }
            }
            let norm = counted[index].reduce(0.0) { $0 + Double($1.weight) * Double($1.weight) }.squareRoot()
            guard norm > 0 else { continue }
            for entry in counted[index].indices {
                counted[index][entry].weight = Float(Double(counted[index][entry].weight) / norm)
            }
        }
        vectors = counted
    }

    func cosine(_ first: Int, _ second: Int) -> Double {
        let (left, right) = (vectors[first], vectors[second])
        var (i, j, sum) = (0, 0, 0.0)
        while i < left.count && j < right.count {
            if left[i].term == right[j].term {
                sum += Double(left[i].weight) * Double(right[j].weight)
                i += 1
                j += 1
            } else if left[i].term < right[j].term {
                i += 1
            } else {
                j += 1
            }
        }
        return sum
    }

    /// Pairs of documents that share some of their most distinctive terms: for each document,
    /// the `neighbours` documents sharing most of its `terms` best terms. Only terms of two to
    /// `maximumFrequency` documents count: rarer ones pair nothing, commoner ones name a topic
    /// rather than an event. Work and memory grow with the number of documents, not its square.
    func candidatePairs(terms count: Int, neighbours: Int = 30, maximumFrequency: Int = 100) -> Set<Pair> {
        var best: [[Int32]] = []
        var postings: [Int32: [Int32]] = [:]
        for (index, vector) in vectors.enumerated() {
            let useful = vector.filter {
                (2...maximumFrequency).contains(Int(documentFrequency[Int($0.term)]))
            }
            let top = useful.sorted { $0.weight > $1.weight }.prefix(count).map(\.term)
            best.append(top)
            for term in top { postings[term, default: []].append(Int32(index)) }
        }
        var pairs = Set<Pair>()
        var shared: [Int32: Int] = [:]
        for (index, terms) in best.enumerated() {
            shared.removeAll(keepingCapacity: true)
            for term in terms {
                for other in postings[term] ?? [] where Int(other) != index { shared[other, default: 0] += 1 }
            }
            for (other, _) in shared.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }).prefix(
                neighbours)
            {
                pairs.insert(Pair(index, Int(other)))
            }
        }
        return pairs
    }

    struct Pair: Hashable {
        let first: Int, second: Int
        init(_ first: Int, _ second: Int) {
            (self.first, self.second) = first < second ? (first, second) : (second, first)
        }
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
