import Foundation
import ParallaxStore

/// An added article's term counts, before they are weighed.
struct CountedArticle {
    let seq: Int64
    let id: String
    let source: String
    let day: Int32?
    /// Every term, ascending: `term << 8 | min(count, 255)`.
    var terms: [UInt32]
}

// MARK: - Term counts and weights

extension GroupingEngine {
    /// The most terms an article keeps, its heaviest: they carry nearly all of a cosine, and a
    /// long article's tail of single words would otherwise cost memory in proportion to it.
    static let keptTerms = 256
    /// Terms of more articles than this name a topic, not an event, and find no candidates.
    static let maximumFrequency: Int32 = 100

    /// Takes an article out: its counts, its postings, its links.
    func remove(_ article: GroupedArticle) throws {
        guard !removed.contains(article.seq) else { return }
        try loadFrequencies(of: article.terms.map { Int32($0 >> 8) })
        for entry in article.terms { adjust(Int32(entry >> 8), by: -1) }
        documents -= 1
        for term in article.distinctive {
            try loadPostings(term)
            postingsCache[term]?.removeAll { $0 == article.seq }
        }
        removed.insert(article.seq)
        discarded.insert(article.seq)
        removedArticles.append(article)
        articles[article.seq] = nil
        affectedEvents.insert(article.event)
        for partner in try source.strongPartners(of: article.seq) { affected.insert(partner) }
        for other in try source.articles(matchingBest: article.seq) where !removed.contains(other) {
            affected.insert(other)
            fresh.append(other)
        }
    }

    /// Counts an added article's words, numbering new terms.
    func count(_ article: ArticleToAdd) throws -> CountedArticle {
        // The headline counts three times; named entities once more: sharing "Guaido" says
        // more about the event than sharing "talks".
        var words = Tokenizer.contentWords(
            article.title + " " + article.title + " " + article.title + " " + article.text)
        for _ in 0..<grouper.entityWeight { words += Tokenizer.namedEntities(article.text) }
        var counts: [String: Int] = [:]
        for word in words { counts[word, default: 0] += 1 }
        let unknown = counts.keys.filter { termIDs[$0] == nil }
        if !unknown.isEmpty {
            for (word, stored) in try source.terms(unknown) {
                termIDs[word] = stored.id
                grow(to: stored.id)
                if frequency[Int(stored.id)] < 0 { frequency[Int(stored.id)] = stored.documents }
            }
        }
        // New words are numbered in word order, not in the counts' order: that is a hash order,
        // seeded per process, and a term's number breaks ties between equal weights.
        for word in unknown.sorted() where termIDs[word] == nil {
            // Term ids take 24 bits of a packed entry: past them a word is not counted.
            guard nextTerm < 1 << 24 else { break }
            termIDs[word] = nextTerm
            newTerms[nextTerm] = word
            grow(to: nextTerm)
            frequency[Int(nextTerm)] = 0
            nextTerm += 1
        }
        var terms: [UInt32] = []
        terms.reserveCapacity(counts.count)
        for (word, count) in counts {
            guard let term = termIDs[word] else { continue }
            adjust(term, by: 1)
            terms.append(UInt32(term) << 8 | UInt32(min(count, 255)))
        }
        documents += 1
        terms.sort()
        return CountedArticle(
            seq: article.seq, id: article.id, source: article.source, day: article.day, terms: terms)
    }

    /// Weighs added articles once every count is in, keeping each one's heaviest terms and
    /// posting its distinctive ones.
    func weigh(_ counted: CountedArticles) throws {
        // Counts changed since any weight was taken.
        inverseFrequency = [Float](repeating: -1, count: frequency.count)
        let total = counted.count
        var done = 0
        try counted.drain { article in
            done += 1
            report(.weighing, done: done, total: total)
            var weighed = article.terms.map { ($0, weight($0)) }
            if weighed.count > Self.keptTerms {
                weighed = Array(weighed.sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(Self.keptTerms))
                weighed.sort { $0.0 < $1.0 }
            }
            let distinctive = weighed.filter { frequency[Int($0.0 >> 8)] <= Self.maximumFrequency }
                .sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(grouper.candidateTerms).map {
                    Int32($0.0 >> 8)
                }
            for term in distinctive {
                try loadPostings(term)
                postingsCache[term, default: []].append(article.seq)
            }
            removed.remove(article.seq)
            articles[article.seq] = GroupedArticle(
                seq: article.seq, id: article.id, source: article.source, day: article.day,
                terms: weighed.map(\.0), distinctive: distinctive, best: nil, bestSimilarity: 0,
                event: article.seq)
            dirty.insert(article.seq)
            fresh.append(article.seq)
            affected.insert(article.seq)
        }
    }

    /// The weight of a packed entry before normalising: (1 + log count) · smoothed IDF.
    func weight(_ entry: UInt32) -> Float {
        let term = Int(entry >> 8)
        var idf = inverseFrequency[term]
        if idf < 0 {
            // Smoothed (plus one), so words every article of a small library shares still count.
            idf = Float(1 + log(Double(documents + 1) / Double(max(frequency[term], 0) + 1)))
            inverseFrequency[term] = idf
        }
        return Self.logCount[Int(entry & 0xFF)] * idf
    }

    private static let logCount: [Float] = (0..<256).map { $0 == 0 ? 0 : Float(1 + log(Double($0))) }

    /// The cosine of two loaded articles, with today's weights.
    func cosine(_ first: Int64, _ second: Int64) -> Double {
        guard let left = articles[first]?.terms, let right = articles[second]?.terms else { return 0 }
        var (i, j, sum) = (0, 0, Float(0))
        while i < left.count && j < right.count {
            let (a, b) = (left[i] >> 8, right[j] >> 8)
            if a == b {
                sum += weight(left[i]) * weight(right[j])
                i += 1
                j += 1
            } else if a < b {
                i += 1
            } else {
                j += 1
            }
        }
        let norm = self.norm(first) * self.norm(second)
        return norm > 0 ? Double(sum / norm) : 0
    }

    private func norm(_ seq: Int64) -> Float {
        if let known = norms[seq] { return known }
        let norm = (articles[seq]?.terms ?? []).reduce(Float(0)) { $0 + weight($1) * weight($1) }.squareRoot()
        norms[seq] = norm
        return norm
    }

    /// Loads stored articles, with the counts of their terms.
    @discardableResult
    func load(_ seqs: some Sequence<Int64>) throws -> [GroupedArticle] {
        let missing = seqs.filter { articles[$0] == nil && !removed.contains($0) }
        guard !missing.isEmpty else { return [] }
        let loaded = try source.articles(missing)
        for article in loaded { articles[article.seq] = article }
        try loadFrequencies(of: loaded.flatMap { $0.terms.map { Int32($0 >> 8) } })
        return loaded
    }

    /// The article counts of terms not loaded yet.
    func loadFrequencies(of terms: [Int32]) throws {
        let missing = Set(terms.filter { Int($0) >= frequency.count || frequency[Int($0)] < 0 })
        guard let largest = missing.max() else { return }
        // A term the state does not know (a damaged row) counts as used by no article.
        grow(to: largest)
        for (term, documents) in try source.frequencies(of: missing) {
            grow(to: term)
            frequency[Int(term)] = documents
        }
    }

    /// The articles a term finds, stored ones and this update's.
    func loadPostings(_ term: Int32) throws {
        guard postingsCache[term] == nil else { return }
        postingsCache[term] = try source.postings(of: term).filter { !removed.contains($0) }
    }

    func postings(_ term: Int32) -> [Int64] { postingsCache[term] ?? [] }

    func documentFrequency(_ term: Int32) -> Int32 { Int(term) < frequency.count ? frequency[Int(term)] : -1 }

    private func adjust(_ term: Int32, by delta: Int32) {
        frequency[Int(term)] += delta
        changedTerms.insert(term)
    }

    private func grow(to term: Int32) {
        guard Int(term) >= frequency.count else { return }
        let size = max(Int(term) + 1, frequency.count * 2)
        frequency += [Int32](repeating: -1, count: size - frequency.count)
        inverseFrequency += [Float](repeating: -1, count: size - inverseFrequency.count)
    }
}
