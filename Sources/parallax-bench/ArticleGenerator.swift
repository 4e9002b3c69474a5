import Foundation
import ParallaxStore

/// A small, fast, seedable random number generator, so every run generates the same articles.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Generates news-like articles: Zipf-distributed words in sentences and paragraphs, about 4 KB each.
struct ArticleGenerator {
    let vocabulary: [String]
    private let cumulative: [Double]
    var random: SplitMix64
    static let sources = [
        "Reuters", "Associated Press", "Al Jazeera", "BBC News", "The Guardian", "Fox News", "Le Monde",
        "El País",
        "Der Spiegel", "NHK", "RT", "Xinhua", "Al-Ahed News", "National Review", "HuffPost", "The Hindu",
    ]

    init(seed: UInt64 = 42, vocabularySize: Int = 20_000) {
        random = SplitMix64(seed: seed)
        let syllables = [
            "ka", "ro", "mi", "tan", "sel", "vo", "ner", "gu", "la", "pri", "des", "on", "ta", "mar", "ve",
            "li",
        ]
        var words: [String] = [
            "the", "of", "and", "to", "in", "a", "said", "that", "for", "on", "was", "with", "by",
            "government", "military",
            "sanctions", "president", "officials", "opposition", "election", "minister", "country", "forces",
            "talks",
        ]
        var seen = Set(words)
        var generator = SplitMix64(seed: seed &+ 1)
        while words.count < vocabularySize {
            let count = 2 + Int(generator.next() % 3)
            let word = (0..<count).map { _ in syllables[Int(generator.next() % UInt64(syllables.count))] }
                .joined()
            if seen.insert(word).inserted { words.append(word) }
        }
        vocabulary = words
        var total = 0.0
        cumulative = (1...words.count).map { rank in
            total += 1 / Double(rank)
            return total
        }
    }

    /// A word drawn with Zipf's law, as word frequencies in news text follow it.
    mutating func word() -> String {
        let target = Double.random(in: 0..<cumulative.last!, using: &random)
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return vocabulary[low]
    }

    mutating func sentence() -> String {
        let words = (0..<Int.random(in: 12...25, using: &random)).map { _ in word() }
        return words.joined(separator: " ").prefix(1).uppercased() + words.joined(separator: " ").dropFirst()
            + "."
    }

    /// The `index`th article, with a unique URL.
    mutating func article(_ index: Int, bytes: Int = 4_000) -> ItemDraft {
        var paragraphs: [String] = []
        var length = 0
        while length < bytes {
            let paragraph = (0..<Int.random(in: 3...5, using: &random)).map { _ in sentence() }.joined(
                separator: " ")
            length += paragraph.utf8.count + 2
            paragraphs.append(paragraph)
        }
        var draft = ItemDraft(
            title: (0..<8).map { _ in word() }.joined(separator: " ").capitalized,
            text: paragraphs.joined(separator: "\n\n"))
        draft.url = "https://news.example.com/\(index / 1000)/article-\(index)"
        draft.source = Self.sources[index % Self.sources.count]
        draft.byline = "Reporter \(index % 97)"
        draft.published = "2019-02-\(String(format: "%02d", 1 + index % 28))"
        draft.language = "en"
        return draft
    }

    /// `stories` events each covered once by "Left Daily", which calls its subject a regime, and
    /// once by "Right Wire", which calls it a government: the difference `compare` must find.
    mutating func coveredTwice(stories: Int) -> [ItemDraft] {
        (0..<stories).flatMap { story -> [ItemDraft] in
            let base = article(1_000_000 + story)
            // Real events name their own places and people; generated words are all common.
            let place =
                "Kalvoria"
                + String(story, radix: 26).map {
                    Character(UnicodeScalar(UInt8($0.asciiValue! % 26) + 97))
                }.map(String.init).joined()
            return [("Left Daily", "regime"), ("Right Wire", "government")].map { outlet, word in
                var draft = ItemDraft(
                    title: base.title,
                    text: base.text.split(separator: ".").shuffled(using: &random).joined(separator: ".")
                        + ". The \(word) of \(place) claimed it would act.")
                draft.source = outlet
                return draft
            }
        }
    }
}
