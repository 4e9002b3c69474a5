import Foundation
import ParallaxLexicons

/// Finds the words that carry a writer's judgment rather than the facts: labels and epithets,
/// attribution verbs that cast doubt, loaded and emotive words, intensifiers, hedges, strongly
/// valenced words and scare quotes. Words inside a direct quotation belong to the speaker:
/// they are found but marked `inQuote`, and an outlet's rate leaves them out.
public struct LoadedLanguage: Sendable {
    /// Why a word was flagged.
    public enum Category: String, Sendable, Codable, CaseIterable {
        /// A label or epithet for a person or group ("regime", "radical", "so-called").
        case label
        /// An attribution verb that casts doubt or takes sides ("claimed", "slammed").
        case doubtVerb = "doubt-verb"
        /// A loaded or emotive word ("draconian", "chaos", "propaganda").
        case loaded
        /// An intensifier or assertive ("utterly", "clearly").
        case intensifier
        /// A hedge ("reportedly", "apparently").
        case hedge
        /// A word of strong valence in the general valence lexicon.
        case valence
        /// A short quotation the writer keeps at arm's length: 'the "reforms"'.
        case scareQuote = "scare-quote"
    }

    /// One flagged word or quotation, with where it is in the text.
    public struct Term: Sendable, Codable, Hashable {
        /// The words as written.
        public var text: String
        /// Why it was flagged.
        public var category: Category
        /// -1 negative, 0 neutral, +1 positive (from the valence lexicon, where it has the word).
        public var polarity: Int
        /// The valence's magnitude, 0 to 4 (0 where the valence lexicon lacks the word).
        public var strength: Double
        /// Where it starts and ends, in UTF-16 code units of the text (as JavaScript counts).
        public var start: Int
        /// See ``start``.
        public var end: Int
        /// Inside a direct quotation: the speaker's word, not the outlet's.
        public var inQuote: Bool
        /// Who the quotation is attributed to, where the sentence names someone.
        public var speaker: String?
        /// The number of its sentence, from 0.
        public var sentence: Int

        private enum CodingKeys: String, CodingKey {
            case text, category, polarity, strength, start, end, sentence, speaker
            case inQuote = "in_quote"
        }
    }

    /// Valence at or below which a word counts as strongly negative, and at or above which as
    /// strongly positive. Chosen on the BABE dev sentences (docs/framing.md): negative words
    /// carry a writer's judgment far more often than positive ones, and once the loaded list
    /// named puffery ("heroic", "visionary"), one positive word of nine that valence alone
    /// flagged was marked biased, so none is: the scale ends at +4.
    public static let negativeThreshold = -2.0
    /// See ``negativeThreshold``.
    public static let positiveThreshold = 4.1
    /// A quotation of at most this many words, attributed to no one, is a scare quote.
    public static let scareQuoteWords = 4

    private let lexicon: LexiconMatcher<Category>
    private let valence: [String: Double]
    private let reportedEvents: Set<String>
    private let reportVerbs: Set<String>

    /// A finder over the shipped lexicons, or the marker lexicons given.
    public init(lexicons: [MarkerLexicon] = MarkerLexicon.shipped) {
        let order: [(String, Category)] = [
            ("hedges", .hedge), ("intensifiers", .intensifier), ("loaded", .loaded),
            ("doubt-verbs", .doubtVerb), ("labels", .label),
        ]
        // Later lists win: a word that is both a hedge and a doubt verb is a doubt verb.
        lexicon = LexiconMatcher(
            order.flatMap { name, category in
                (lexicons.first { $0.name == name }?.words ?? []).sorted().map { ($0, category) }
            })
        reportVerbs = lexicons.first { $0.name == "report-verbs" }?.words ?? []
        reportedEvents = MarkerLexicon(name: "reported-events", text: ShippedLexicons.reportedEvents).words
        valence = Self.shippedValence
    }

    /// The flagged terms of a text, in order.
    public func terms(in text: String) -> [Term] {
        termsBySentence(SentenceSpans.of(text), of: text).flatMap { $0 }
    }

    /// Flagged terms outside quotations per 1,000 words of the text (quoted words stay in the
    /// word count, so an outlet that quotes at length is not scored on its own words alone).
    public func rate(of terms: [Term], words: Int) -> Double {
        guard words > 0 else { return 0 }
        return Double(terms.filter { !$0.inQuote }.count) * 1000 / Double(words)
    }

    private static let shippedValence: [String: Double] = {
        var table: [String: Double] = [:]
        for line in ShippedLexicons.valence.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t")
            guard fields.count == 2, let value = Double(fields[1]) else { continue }
            table[fields[0].lowercased()] = value
        }
        return table
    }()
}

// MARK: - One sentence

extension LoadedLanguage {
    /// The flagged terms of one sentence; `startsInsideQuotation` when an earlier sentence
    /// opened a quotation it continues, and `nextIsAttributed` when the sentence after it
    /// attributes speech, which makes a short quotation in this one a quotation, not a scare quote.
    func terms(
        in sentence: SentenceSpans.Span, number: Int, startsInsideQuotation: Bool, nextIsAttributed: Bool
    ) -> [Term] {
        let words = WordSpans.of(sentence.text, offset: sentence.start)
        let quotes = QuoteSpans.of(sentence, startsInside: startsInsideQuotation)
        let quoteOf = QuoteSpans.membership(of: words, in: quotes)
        let (attributed, speaker) = attribution(words: words, quoteOf: quoteOf)
        let reportsSpeech = attributed || nextIsAttributed || Self.reportsSpeech(words, quoteOf)
        var terms: [Term] = []
        var flaggedQuotes = Set<Int>()
        let lowered = words.map(\.word)
        var index = 0
        while index < words.count {
            let found = self.found(at: index, in: lowered)
            defer { index = found?.words.upperBound ?? index + 1 }
            // A word strong only in valence, in a sentence that reports speech ("said the plan
            // would be a disaster"), is most often the speaker's view in indirect speech: on the
            // BABE dev sentences three in four sentences that report speech are neutral.
            guard let (covered, category, value) = found, !(attributed && category == .valence) else {
                continue
            }
            let (first, last) = (words[covered.lowerBound], words[covered.upperBound - 1])
            let quote = quoteOf[covered.lowerBound]
            // A scare quote's words are the writer's; a longer quotation's are the speaker's.
            let inQuote = quote.map { !Self.isScareQuote(quotes[$0], reportsSpeech: reportsSpeech) } ?? false
            if let quote { flaggedQuotes.insert(quote) }
            terms.append(
                Term(
                    text: covered.count == 1
                        ? first.text : Self.text(of: sentence, from: first.start, to: last.end),
                    category: category, polarity: value.map { $0 < 0 ? -1 : 1 } ?? 0,
                    strength: abs(value ?? 0), start: first.start, end: last.end, inQuote: inQuote,
                    speaker: inQuote ? speaker : nil, sentence: number))
        }
        // A scare quote counts once: not again when a word inside it is flagged already. It is
        // the writer's short phrase, attributed to no one here or in the next sentence, and
        // neither a quoted sentence nor the end of a quotation that began in an earlier one.
        for (index, quote) in quotes.enumerated()
        where Self.isScareQuote(quote, reportsSpeech: reportsSpeech) && !flaggedQuotes.contains(index) {
            terms.append(
                Term(
                    text: quote.text, category: .scareQuote, polarity: 0, strength: 0, start: quote.start,
                    end: quote.end, inQuote: false, speaker: nil, sentence: number))
        }
        return terms.sorted { $0.start < $1.start }
    }

    /// Each sentence's flagged terms. A quotation that runs over several sentences is one
    /// speaker's: a term inside it whose own sentence names no one takes the speaker its other
    /// sentences name ("“We will win. The regime is corrupt,” Maduro added.").
    func termsBySentence(_ sentences: [SentenceSpans.Span], of text: String) -> [[Term]] {
        let inside = QuoteSpans.startsInside(sentences, of: text)
        var found = sentences.indices.map { index in
            terms(
                in: sentences[index], number: index, startsInsideQuotation: inside[index],
                nextIsAttributed: index + 1 < sentences.count && isAttributed(sentences[index + 1]))
        }
        var start = 0
        while start < sentences.count {
            var end = start + 1
            while end < sentences.count, inside[end] { end += 1 }
            defer { start = end }
            let unnamed = found[start..<end].contains { $0.contains { $0.inQuote && $0.speaker == nil } }
            guard end - start > 1, unnamed,
                let speaker = (start..<end).lazy.compactMap({
                    self.speaker(of: sentences[$0], startsInside: inside[$0])
                }).first
            else { continue }
            for index in start..<end {
                for term in found[index].indices
                where found[index][term].inQuote && found[index][term].speaker == nil {
                    found[index][term].speaker = speaker
                }
            }
        }
        return found
    }

    /// Who a sentence attributes speech to, when it names someone.
    private func speaker(of sentence: SentenceSpans.Span, startsInside: Bool) -> String? {
        let words = WordSpans.of(sentence.text, offset: sentence.start)
        let quoteOf = QuoteSpans.membership(
            of: words, in: QuoteSpans.of(sentence, startsInside: startsInside))
        return attribution(words: words, quoteOf: quoteOf).speaker
    }

    /// Whether a sentence reports speech with a verb outside its quotations, and whom it names.
    private func attribution(words: [WordSpans.Span], quoteOf: [Int?]) -> (attributed: Bool, speaker: String?)
    {
        let attributed = zip(words, quoteOf).contains { word, quote in
            quote == nil && reportVerbs.contains(word.word)
        }
        return (attributed, attributed ? Self.speaker(words: words, quoteOf: quoteOf) : nil)
    }

    /// The term that starts at word `index`, with the words it covers, its category and its
    /// valence: a listed word or phrase by its list, another word by its valence when that is
    /// strong and the word does not merely name a reported event.
    private func found(at index: Int, in words: [String]) -> (words: Range<Int>, Category, Double?)? {
        let word = words[index]
        let value = valence[word]
        if let listed = lexicon.match(at: index, in: words) {
            return (listed.words, listed.value, listed.words.count == 1 ? value : nil)
        }
        guard let value, !reportedEvents.contains(word),
            value <= Self.negativeThreshold || value >= Self.positiveThreshold
        else { return nil }
        return (index..<(index + 1), .valence, value)
    }

    /// The text of a sentence between two offsets of the whole text, in UTF-16 code units.
    private static func text(of sentence: SentenceSpans.Span, from start: Int, to end: Int) -> String {
        let units = sentence.text.utf16
        let from = units.index(units.startIndex, offsetBy: start - sentence.start)
        let to = units.index(from, offsetBy: end - start)
        return String(sentence.text[from..<to])
    }

    /// The capitalised words next to the sentence's attribution verb, outside quotations:
    /// "…," said Foreign Minister Jorge Arreaza / Arreaza said "…".
    private static func speaker(words: [WordSpans.Span], quoteOf: [Int?]) -> String? {
        let outside = zip(words, quoteOf).filter { $0.1 == nil }.map(\.0)
        guard let verb = outside.firstIndex(where: { Self.attributionVerbs.contains($0.word) }) else {
            return nil
        }
        func name(_ range: some Sequence<Int>) -> String? {
            let run = range.lazy.map { outside[$0] }.prefix { $0.text.first?.isUppercase == true }
            let text = run.map(\.text).joined(separator: " ")
            return text.isEmpty ? nil : text
        }
        let after = name(outside.indices.dropFirst(verb + 1))
        let before = name(outside.indices.prefix(verb).reversed()).map {
            $0.split(separator: " ").reversed().joined(separator: " ")
        }
        // "the official said": a described speaker, lower-case.
        let described = outside[..<verb].suffix(3).drop { !["the", "a", "an"].contains($0.word) }
        let description = described.isEmpty ? nil : described.map(\.text).joined(separator: " ")
        return before ?? after ?? description
    }

    private static let attributionVerbs: Set<String> = [
        "said", "says", "told", "stated", "added", "claimed", "insisted", "argued", "wrote", "tweeted",
    ]

    /// Verbs that report what someone said or asked for, beyond the lexicon's: a short
    /// quotation in their sentence is a fragment of the statement, not a scare quote.
    private static let speechVerbs: Set<String> =
        attributionVerbs.union(AttributionVerbs.neutral).union([
            "demanded", "demands", "urged", "urges", "called", "calls", "described", "describes", "dubbed",
            "termed", "labeled", "labelled", "posted", "testified", "declared", "vowed", "promised",
            "pledged",
            "asserted", "contended", "suggested", "predicted", "warned", "according",
        ])

    /// Whether a sentence reports speech: an attribution verb outside its quotations.
    func isAttributed(_ sentence: SentenceSpans.Span) -> Bool {
        let words = WordSpans.of(sentence.text, offset: 0)
        let quoteOf = QuoteSpans.membership(of: words, in: QuoteSpans.of(sentence.text, offset: 0))
        return zip(words, quoteOf).contains { word, quote in quote == nil && reportVerbs.contains(word.word) }
            || Self.reportsSpeech(words, quoteOf)
    }

    private static func reportsSpeech(_ words: [WordSpans.Span], _ quoteOf: [Int?]) -> Bool {
        zip(words, quoteOf).contains { word, quote in quote == nil && speechVerbs.contains(word.word) }
    }

    /// Whether a quotation is the writer's scare quote: a phrase of one to
    /// ``scareQuoteWords`` words in a passage that reports no speech.
    static func isScareQuote(_ quote: QuoteSpans.Span, reportsSpeech: Bool) -> Bool {
        !reportsSpeech && (1...scareQuoteWords).contains(quote.words) && isPhrase(quote.text)
    }

    /// Whether a quotation's text, marks and all, is a phrase: it opens with its own mark (a
    /// quotation running on from an earlier sentence does not) and does not end as a sentence
    /// does, with `.`, `!` or `?` inside its marks.
    static func isPhrase(_ quote: String) -> Bool {
        guard let first = quote.first, first == "“" || first == "\"" else { return false }
        let inside = quote.dropFirst().reversed().drop { "”\"".contains($0) || $0.isWhitespace }
        return !(inside.first.map { ".!?…".contains($0) } ?? false)
    }
}

// MARK: - The baseline

extension LoadedLanguage {
    /// Every word whose valence is at least `threshold` in magnitude: the reference method of
    /// the bias-words benchmark.
    public static func valenceBaseline(in text: String, threshold: Double) -> [String] {
        WordSpans.of(text, offset: 0).filter { abs(shippedValence[$0.word] ?? 0) >= threshold }.map(\.text)
    }
}

// MARK: - One article read

/// An article's loaded language: each flagged term, the sentences they are in, and the
/// outlet's rate with quotations left out. What `parallax loaded` prints.
public struct LoadedReading: Sendable, Codable {
    /// One sentence that holds a flagged term.
    public struct Sentence: Sendable, Codable {
        /// Its number, from 0, as in ``LoadedLanguage/Term/sentence``.
        public var index: Int
        /// Where it starts, in UTF-16 code units of the text.
        public var start: Int
        /// The sentence.
        public var text: String
    }

    /// Words in the text.
    public var words: Int
    /// Flagged terms per 1,000 words, quotations left out.
    public var ratePerThousandWords: Double
    /// Flagged terms outside quotations, by category.
    public var counts: [String: Int]
    /// Every flagged term, in order.
    public var terms: [LoadedLanguage.Term]
    /// The sentences that hold them.
    public var sentences: [Sentence]

    private enum CodingKeys: String, CodingKey {
        case words, counts, terms, sentences
        case ratePerThousandWords = "rate_per_1000_words"
    }
}

extension LoadedLanguage {
    /// Reads one article.
    public func read(_ text: String) -> LoadedReading {
        let spans = SentenceSpans.of(text)
        var terms: [Term] = []
        var sentences: [LoadedReading.Sentence] = []
        for (index, (span, found)) in zip(spans, termsBySentence(spans, of: text)).enumerated() {
            guard !found.isEmpty else { continue }
            terms += found
            sentences.append(LoadedReading.Sentence(index: index, start: span.start, text: span.text))
        }
        let words = Tokenizer.words(text).count
        return LoadedReading(
            words: words, ratePerThousandWords: rate(of: terms, words: words),
            counts: terms.filter { !$0.inQuote }.reduce(into: [:]) {
                $0[$1.category.rawValue, default: 0] += 1
            },
            terms: terms, sentences: sentences)
    }
}
