import Foundation

/// A statement one source of an event makes that no other source's article has a counterpart
/// for: a claim, a quotation, a number or a named person only it reports.
public struct UniqueStatement: Codable, Hashable, Sendable {
    /// The source that reports it.
    public var source: String
    /// The article it is in.
    public var article: String
    /// The sentence.
    public var sentence: String
    /// Where the sentence starts and ends, in UTF-16 code units of the article's stored text.
    public var start: Int, end: Int
    /// What makes it a statement: `number`, `quotation`, `named` (a capitalised name inside the
    /// sentence), `attribution` (someone said it).
    public var kinds: [String]
    /// The names and numbers in it that no other source's articles give at all, as the
    /// phrases that hold them ("Little Rock", "19 other states"), in the sentence's order.
    public var novel: [String]
    /// How much of it the closest sentence of another source holds, 0 to 1 (see docs/framing.md).
    public var closest: Double
}

/// Aligns the sentences of an event's articles across sources and keeps, per source, the
/// statements with no counterpart elsewhere: the informational side of framing, what a
/// source chose to report or to leave out.
enum StatementAlignment {
    /// A sentence whose content another source's sentence holds less of than this has no
    /// counterpart there.
    static let counterpartThreshold = 0.34
    /// Content words a sentence needs to count as a statement.
    static let minimumWords = 6
    /// Statements listed per source, the most specific first.
    static let perSource = 8

    /// - Parameter outlets: Words of outlets' and agencies' names, which are no news in themselves.
    static func uniqueStatements(_ sources: [String: [(id: String, text: String)]], outlets: Set<String>)
        -> [UniqueStatement]
    {
        let sentences = sources.mapValues { articles in
            articles.flatMap { article in
                SentenceSpans.of(article.text).map { Sentence(article: article.id, span: $0) }
            }
        }
        // Rarer words weigh more: a shared name or number says more than a shared "said".
        let all = sentences.values.flatMap { $0 }
        var documentFrequency: [String: Int] = [:]
        for sentence in all { for word in sentence.words { documentFrequency[word, default: 0] += 1 } }
        let weight = { (word: String) in log(Double(all.count + 1) / Double(documentFrequency[word] ?? 1)) }
        return sources.keys.sorted().flatMap { source -> [UniqueStatement] in
            let others = sentences.filter { $0.key != source }.values.flatMap { $0 }
            guard !others.isEmpty else { return [] }
            // Any word of another outlet's articles, a sentence's first included, is reported there.
            let elsewhere = others.reduce(into: Set<String>()) { $0.formUnion($1.tokens) }
            let found = sentences[source]!.compactMap { sentence -> UniqueStatement? in
                let kinds = sentence.kinds
                let novel = sentence.facts.subtracting(elsewhere).subtracting(outlets)
                // A paraphrase of what others report shares few words but brings no new name,
                // number or quotation: it is not a statement only this source makes.
                guard sentence.words.count >= minimumWords, !novel.isEmpty || kinds.contains("quotation")
                else { return nil }
                let total = sentence.words.reduce(0) { $0 + weight($1) }
                guard total > 0 else { return nil }
                let closest =
                    others.map { Self.sharedWeight(sentence.words, $0.words, weight) / total }.max() ?? 0
                guard closest < counterpartThreshold else { return nil }
                return UniqueStatement(
                    source: source, article: sentence.article, sentence: sentence.span.text,
                    start: sentence.span.start, end: sentence.span.start + sentence.span.text.utf16.count,
                    kinds: kinds, novel: FactPhrases.covering(novel, in: sentence.span.text),
                    closest: (closest * 1000).rounded() / 1000)
            }
            return Array(
                found.sorted { ($1.kinds.count, $0.closest) < ($0.kinds.count, $1.closest) }.prefix(perSource)
            )
            .sorted { ($0.article, $0.start) < ($1.article, $1.start) }
        }
    }

    /// The weight of the words two sentences share. Their words are sorted, so the sum is taken
    /// in one order: a set's order is seeded per process, and a sum of doubles depends on it.
    private static func sharedWeight(_ first: [String], _ second: [String], _ weight: (String) -> Double)
        -> Double
    {
        var (i, j, sum) = (0, 0, 0.0)
        while i < first.count && j < second.count {
            if first[i] == second[j] {
                sum += weight(first[i])
                i += 1
                j += 1
            } else if first[i] < second[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return sum
    }

    private struct Sentence {
        var article: String
        var span: SentenceSpans.Span
        /// Its content words and numbers, sorted, each once.
        var words: [String]
        var kinds: [String]
        /// Its names (capitalised inside the sentence) and numbers, the facts a source chooses.
        var facts: Set<String>
        /// Every word and number of it, lower-cased, possessives as their word.
        var tokens: Set<String>

        init(article: String, span: SentenceSpans.Span) {
            self.article = article
            self.span = span
            // A plural and its singular are one word here ("sanctions", "sanction").
            words = Set(
                Tokenizer.words(span.text).filter { TermCounts.isContent($0) || $0.first?.isNumber == true }
                    .map {
                        $0.count > 4 && $0.hasSuffix("s") && !$0.hasSuffix("ss") ? String($0.dropLast()) : $0
                    }
            ).sorted()
            // "Maduro's" is Maduro.
            // Numbers as written, thousands separators kept: "8,000" is one fact, not "8" and "000".
            let numbers = span.text.matches(of: /\d(?:[\d,.]*\d)?/).map { String($0.output) }
            facts = Set(
                Tokenizer.namedEntities(span.text).map { $0.hasSuffix("'s") ? String($0.dropLast(2)) : $0 }
                    + numbers)
            tokens = Set(
                Tokenizer.words(span.text).map { $0.hasSuffix("'s") ? String($0.dropLast(2)) : $0 } + numbers)
            var kinds: [String] = []
            if span.text.contains(where: \.isNumber) { kinds.append("number") }
            if !QuoteSpans.of(span.text, offset: 0).filter({ $0.words > LoadedLanguage.scareQuoteWords })
                .isEmpty
            {
                kinds.append("quotation")
            }
            if !Tokenizer.namedEntities(span.text).isEmpty { kinds.append("named") }
            if Tokenizer.words(span.text).contains(where: Self.attributionVerbs.contains) {
                kinds.append("attribution")
            }
            self.kinds = kinds
        }

        static let attributionVerbs: Set<String> = [
            "said", "says", "told", "stated", "announced", "claimed", "reported", "according", "added",
            "confirmed",
        ]
    }
}
