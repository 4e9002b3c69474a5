import Foundation

/// Splits article text into lowercase word tokens, the unit every framing statistic counts.
public enum Tokenizer {
    /// Words: runs of letters and digits, with an inner apostrophe or hyphen kept
    /// ("coup d'état" gives `coup`, `d'état`; "self-proclaimed" stays one word).
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        // Words are built as lower-cased UTF-8 bytes: faster than String and lowercased() per word.
        var current: [UInt8] = []
        current.reserveCapacity(32)
        var pendingJoiner: UInt8?
        func flush() {
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
            pendingJoiner = nil
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                let byte = UInt8(value)
                if (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) {
                    if let joiner = pendingJoiner {
                        current.append(joiner)
                        pendingJoiner = nil
                    }
                    current.append(byte >= 65 && byte <= 90 ? byte + 32 : byte)
                } else if !current.isEmpty, pendingJoiner == nil, byte == 39 || byte == 45 {
                    pendingJoiner = byte
                } else {
                    flush()
                }
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if let joiner = pendingJoiner {
                    current.append(joiner)
                    pendingJoiner = nil
                }
                current.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            } else if !current.isEmpty, pendingJoiner == nil, scalar == "’" {
                pendingJoiner = 39
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    /// Words with English function words and one- and two-letter words left out, for grouping.
    public static func contentWords(_ text: String) -> [String] {
        words(text).filter { $0.count > 2 && !stopwords.contains($0) }
    }

    /// The lower-cased words that are capitalised inside a sentence: names of people, places
    /// and bodies ("Guaido", "Caracas", "PDVSA"), the named entities two reports of one event share.
    public static func namedEntities(_ text: String) -> [String] {
        var entities: [String] = []
        var sentenceStart = true
        var word = String.UnicodeScalarView()
        // Scalars, not Characters: splitting at white space by grapheme cost more than grouping.
        func finish() {
            guard !word.isEmpty else { return }
            if !sentenceStart, word.first(where: \.properties.isAlphabetic)?.properties.isUppercase == true {
                entities.append(
                    contentsOf: words(String(word)).filter { $0.count > 2 && !stopwords.contains($0) })
            }
            sentenceStart = word.last.map { $0 == "." || $0 == "!" || $0 == "?" } ?? false
            word.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            let isSpace =
                scalar.value < 0x80
                ? scalar.value == 32 || (9...13).contains(scalar.value) : scalar.properties.isWhitespace
            if isSpace { finish() } else { word.append(scalar) }
        }
        finish()
        return entities
    }

    /// English function words, which say nothing about what an article is about.
    public static let stopwords: Set<String> = [
        "the", "and", "for", "with", "from", "that", "this", "these", "those", "was", "were", "are", "been",
        "being",
        "his", "her", "hers", "its", "their", "theirs", "our", "ours", "your", "yours", "she", "they", "them",
        "him",
        "not", "but", "than", "then", "such", "said", "says", "say", "will", "would", "could", "should",
        "may", "might",
        "can", "has", "have", "had", "does", "did", "about", "after", "before", "over", "under", "into",
        "out", "more",
        "most", "other", "some", "any", "all", "also", "just", "new", "one", "two", "who", "whom", "which",
        "what",
        "when", "where", "why", "how", "there", "here", "while", "because", "since", "until", "very", "only",
        "own",
        "same", "both", "each", "few", "many", "much", "through", "during", "against", "between", "without",
        "within",
        "upon", "off", "again", "further", "once", "him", "himself", "herself", "itself", "themselves",
        "yourself",
        "per", "via", "yet", "now", "even", "still", "like", "get", "got", "made", "make", "told", "tell",
        "year",
        "years", "last", "first", "time", "according", "people", "week", "day", "days", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday",
    ]
}
