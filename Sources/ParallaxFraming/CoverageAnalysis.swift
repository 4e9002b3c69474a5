import Foundation

/// What one source covers that others do not, and how much of it is quotation.
public struct SourceCoverage: Codable, Hashable, Sendable {
    /// The source.
    public var source: String
    /// The share of its text's characters inside quotation marks, from 0 to 1.
    public var quotationShare: Double
    /// How many quotations it has.
    public var quotations: Int
    /// Main actors it mentions, with how often.
    public var mentions: [String: Int]
    /// Main actors other sources mention and it does not.
    public var omittedActors: [String]
    /// Numbers it mentions that no other source of the event does.
    public var numbersOnlyHere: [String]
    /// Who it quotes: the speakers its quotations are attributed to, with how often.
    public var quoted: [String: Int]

    enum CodingKeys: String, CodingKey {
        case source, quotations, mentions
        case quotationShare = "quotation_share"
        case omittedActors = "omitted_actors"
        case numbersOnlyHere = "numbers_only_here"
        case quoted
    }
}

enum CoverageAnalysis {
    /// The passages between matching quotation marks (straight or curly).
    static func quotations(in text: String) -> [Substring] {
        var quotes: [Substring] = []
        var opening: String.Index?
        for index in text.indices {
            switch text[index] {
            case "“": opening = text.index(after: index)
            case "”":
                if let start = opening { quotes.append(text[start..<index]) }
                opening = nil
            case "\"":
                if let start = opening {
                    quotes.append(text[start..<index])
                    opening = nil
                } else {
                    opening = text.index(after: index)
                }
            default: break
            }
        }
        return quotes
    }

    /// The speaker of each quotation: the words before or after the attribution verb of the
    /// sentence that holds it ("the official said", "said the official", "Maduro also said").
    static func speakers(in text: String) -> [String] {
        let verbs: Set<String> = [
            "said", "says", "told", "added", "stated", "claimed", "insisted", "wrote", "tweeted", "declared",
        ]
        var speakers: [String] = []
        // Words outside the quotation marks carry the attribution. Each quotation becomes one
        // marker, so a quotation of several sentences stays inside the sentence that attributes it.
        var outside = ""
        var inside = false
        for character in text {
            if "\"“”".contains(character) {
                if !inside { outside.append(" \u{1} ") }
                inside = character == "”" ? false : character == "“" ? true : !inside
            } else if !inside {
                outside.append(character)
            }
        }
        for sentence in Sentences.of(outside) where sentence.contains("\u{1}") {
            let raw = sentence.split(whereSeparator: { $0.isWhitespace }).map(String.init).filter {
                $0 != "\u{1}"
            }
            let words = raw.map { $0.trimmingCharacters(in: .punctuationCharacters) }
            guard let verb = words.firstIndex(where: { verbs.contains($0.lowercased()) }) else { continue }
            var before: [String] = []
            var position = verb - 1
            // Step over an adverb between speaker and verb ("Maduro also said").
            while position >= 0,
                ["also", "later", "then", "previously", "again"].contains(words[position].lowercased())
            {
                position -= 1
            }
            // The speaker is the short phrase right before the verb, not running back past a comma.
            while position >= 0, before.count < 4, !raw[position].hasSuffix(","),
                !ActorAnalysis.boundaries.contains(words[position].lowercased())
                    || ["the", "a"].contains(words[position].lowercased())
            {
                before.insert(words[position], at: 0)
                if ["the", "a"].contains(words[position].lowercased()) {
                    before[0] = before[0].lowercased()
                    break
                }
                position -= 1
            }
            let after = words[(verb + 1)...].prefix(3).prefix {
                !$0.isEmpty && !ActorAnalysis.boundaries.contains($0.lowercased()) || $0 == "the"
            }
            let speaker = before.filter { !["also", "later"].contains($0.lowercased()) }.joined(
                separator: " ")
            let fallback = after.joined(separator: " ")
            let chosen = speaker.isEmpty ? fallback : speaker
            if !chosen.isEmpty { speakers.append(chosen) }
        }
        return speakers
    }

    /// Numbers written with digits ("23", "40", "2019"), as the facts a source chose to give.
    static func numbers(in text: String) -> Set<String> {
        Set(Tokenizer.words(text).filter { $0.first?.isNumber == true })
    }

    static func coverage(sources: [String: [String]], actors: [String]) -> [SourceCoverage] {
        let numbers = sources.mapValues { texts in
            texts.reduce(into: Set<String>()) { $0.formUnion(Self.numbers(in: $1)) }
        }
        let mentions = sources.mapValues { texts in
            Dictionary(
                uniqueKeysWithValues: actors.map { actor in
                    (actor, texts.reduce(0) { $0 + $1.components(separatedBy: actor).count - 1 })
                })
        }
        return sources.keys.sorted().map { source in
            let texts = sources[source]!
            let quotes = texts.flatMap { quotations(in: $0) }
            let characters = texts.reduce(0) { $0 + $1.count }
            let elsewhere = sources.keys.filter { $0 != source }
            let othersNumbers = elsewhere.reduce(into: Set<String>()) { $0.formUnion(numbers[$1]!) }
            return SourceCoverage(
                source: source,
                quotationShare: characters == 0
                    ? 0
                    : (Double(quotes.reduce(0) { $0 + $1.count }) / Double(characters) * 1000).rounded()
                        / 1000,
                quotations: quotes.count, mentions: mentions[source]!.filter { $0.value > 0 },
                omittedActors: actors.filter { actor in
                    mentions[source]![actor] == 0 && elsewhere.contains { mentions[$0]![actor]! > 0 }
                },
                numbersOnlyHere: numbers[source]!.subtracting(othersNumbers).sorted(),
                quoted: texts.reduce(into: [:]) { speakers, text in
                    for speaker in Self.speakers(in: text) { speakers[speaker, default: 0] += 1 }
                })
        }
    }
}
