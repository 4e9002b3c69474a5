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

    enum CodingKeys: String, CodingKey {
        case source, quotations, mentions
        case quotationShare = "quotation_share"
        case omittedActors = "omitted_actors"
        case numbersOnlyHere = "numbers_only_here"
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
                numbersOnlyHere: numbers[source]!.subtracting(othersNumbers).sorted())
        }
    }
}
