import Foundation
import ParallaxStore

// MARK: - Candidates, closest matches and events

extension GroupingEngine {
    /// How many candidates an article is compared with: those sharing most of its distinctive terms.
    static let neighbours = 30

    /// Finds the candidates of every fresh article and compares it with them, updating the
    /// closest matches on both sides and noting strong pairs.
    func link() throws {
        var seen = Set<Int64>()
        let order = fresh.filter { seen.insert($0).inserted && !removed.contains($0) }
        try load(order)
        for seq in order {
            articles[seq]?.best = nil
            articles[seq]?.bestSimilarity = 0
            dirty.insert(seq)
            freshBest.insert(seq)
        }
        var shared: [Int64: Int] = [:]
        for (done, seq) in order.enumerated() {
            report(.comparing, done: done + 1, total: order.count)
            guard let article = articles[seq] else { continue }
            shared.removeAll(keepingCapacity: true)
            for term in article.distinctive {
                try loadPostings(term)
                // A term of one article pairs nothing; one of many names a topic, not an event.
                guard (2...Self.maximumFrequency).contains(documentFrequency(term)) else { continue }
                for other in postings(term) where other != seq { shared[other, default: 0] += 1 }
            }
            let neighbours = try nearest(shared)
            try load(neighbours)
            for other in neighbours { try compare(seq, other) }
        }
    }

    /// The candidates that share most terms, at most ``neighbours`` of them. Those tied at the
    /// cut are taken by item id, which an article has on every device, where seqs are each
    /// library's own numbering.
    private func nearest(_ shared: [Int64: Int]) throws -> [Int64] {
        let ranked = shared.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        guard ranked.count > Self.neighbours else { return ranked.map(\.key) }
        let cut = ranked[Self.neighbours - 1].value
        let above = ranked.prefix { $0.value > cut }.map(\.key)
        let tied = ranked.dropFirst(above.count).prefix { $0.value == cut }.map(\.key)
        guard above.count + tied.count > Self.neighbours else { return above + tied }
        let ids = try itemIDs(tied)
        let byID = tied.sorted { (ids[$0] ?? "", $0) < (ids[$1] ?? "", $1) }
        return above + byID.prefix(Self.neighbours - above.count)
    }

    /// Similarity: cosine, lowered when the dates lie a week or more apart, none past a month.
    func similarity(_ first: Int64, _ second: Int64) -> Double {
        guard let a = articles[first], let b = articles[second], a.source != b.source else { return 0 }
        guard let day = a.day, let other = b.day else { return cosine(first, second) }
        let days = Double(abs(day - other))
        if days > grouper.maximumDays { return 0 }
        return cosine(first, second) * (days <= grouper.sameEventDays ? 1 : 0.5)
    }

    private func compare(_ first: Int64, _ second: Int64) throws {
        let similarity = similarity(first, second)
        guard similarity > 0 else { return }
        if similarity >= grouper.strongThreshold {
            strongAdded.insert(SeqPair(first, second))
            affected.insert(second)
        }
        try offer(second, to: first, similarity)
        try offer(first, to: second, similarity)
    }

    /// Makes `candidate` the article's closest match when it is closer (ties: the smaller item id).
    private func offer(_ candidate: Int64, to seq: Int64, _ similarity: Double) throws {
        try refreshBest(seq)
        guard var article = articles[seq] else { return }
        if let best = article.best {
            guard
                similarity > article.bestSimilarity
                    || (similarity == article.bestSimilarity && precedes(candidate, best))
            else { return }
            affected.insert(best)
        }
        article.best = candidate
        article.bestSimilarity = similarity
        articles[seq] = article
        dirty.insert(seq)
        affected.insert(seq)
    }

    /// Takes a stored article's closest similarity again with today's weights, once an update.
    private func refreshBest(_ seq: Int64) throws {
        guard freshBest.insert(seq).inserted, let best = articles[seq]?.best else { return }
        try load([best])
        let now = similarity(seq, best)
        if abs(now - (articles[seq]?.bestSimilarity ?? 0)) > 1e-6 {
            articles[seq]?.bestSimilarity = now
            dirty.insert(seq)
        }
    }

    /// Groups the events the update touched again: the affected articles' events, and every
    /// event an edge from them reaches, so the region holds whole components.
    func regroup() throws {
        report(.forming, done: 0, total: 0)
        var region = Set<Int64>()
        var included = Set<Int64>()
        var pendingEvents = affectedEvents
        var pendingArticles = Array(affected)
        var strongOf: [Int64: Set<Int64>] = [:]
        for pair in strongAdded {
            strongOf[pair.first, default: []].insert(pair.second)
            strongOf[pair.second, default: []].insert(pair.first)
        }
        var expanded = Set<Int64>()
        while !pendingEvents.isEmpty || !pendingArticles.isEmpty {
            if let event = pendingEvents.popFirst() {
                guard included.insert(event).inserted else { continue }
                pendingArticles += try source.members(ofEvent: event)
                continue
            }
            let seq = pendingArticles.removeLast()
            guard !removed.contains(seq), expanded.insert(seq).inserted else { continue }
            try load([seq])
            guard let article = articles[seq] else { continue }
            region.insert(seq)
            if !included.contains(article.event) { pendingEvents.insert(article.event) }
            let stored = discarded.contains(seq) ? [] : try source.strongPartners(of: seq)
            for partner in stored where !discarded.contains(partner) {
                let pair = SeqPair(seq, partner)
                guard !strongRemoved.contains(pair) else { continue }
                try load([partner])
                // A stored strong pair is checked with today's weights; a new one was just taken.
                guard strongAdded.contains(pair) || similarity(seq, partner) >= grouper.strongThreshold else {
                    strongRemoved.insert(pair)
                    continue
                }
                strongOf[seq, default: []].insert(partner)
                strongOf[partner, default: []].insert(seq)
            }
            pendingArticles += strongOf[seq] ?? []
            // Only edges that link are followed: every article has a closest match, and
            // following them all would reach most of the library.
            if let best = try linkedBest(of: seq) { pendingArticles.append(best) }
        }
        let members = region.sorted()
        let index = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1, $0) })
        var components = UnionFind(count: members.count)
        for (position, seq) in members.enumerated() {
            if let best = try linkedBest(of: seq), let other = index[best] {
                components.union(position, other)
            }
            for partner in strongOf[seq] ?? [] where partner > seq {
                if let other = index[partner] { components.union(position, other) }
            }
        }
        var smallest: [Int: Int64] = [:]
        for (position, seq) in members.enumerated() {
            let root = components.find(position)
            if let known = smallest[root], articles[known]!.id <= articles[seq]!.id { continue }
            smallest[root] = seq
        }
        for (position, seq) in members.enumerated() {
            let event = smallest[components.find(position)]!
            if articles[seq]?.event != event {
                articles[seq]?.event = event
                dirty.insert(seq)
            }
        }
    }

    /// The article's closest match when the two are linked: mutual matches at the mutual
    /// threshold, a one-sided match at the attach threshold.
    private func linkedBest(of seq: Int64) throws -> Int64? {
        try refreshBest(seq)
        guard let article = articles[seq], let best = article.best else { return nil }
        try load([best])
        let mutual = articles[best]?.best == seq
        return article.bestSimilarity >= (mutual ? grouper.mutualThreshold : grouper.attachThreshold)
            ? best : nil
    }

    /// The groups of item ids, each sorted, largest first.
    func groups() -> [[String]] {
        var groups: [Int64: [String]] = [:]
        for article in articles.values { groups[article.event, default: []].append(article.id) }
        return groups.values.map { $0.sorted() }.sorted {
            ($0.count, $1.first ?? "") > ($1.count, $0.first ?? "")
        }
    }
}
