import Foundation

/// Guesses the language of article text from its most common function words.
public enum LanguageGuess {
    static let stopwords: [(code: String, words: Set<String>)] = [
        (
            "en",
            [
                "the", "and", "of", "to", "in", "is", "that", "for", "was", "on", "with", "as", "said",
                "have", "it",
            ]
        ),
        (
            "es",
            [
                "el", "la", "de", "que", "y", "en", "los", "las", "del", "por", "con", "una", "para", "es",
                "se",
            ]
        ),
        (
            "fr",
            [
                "le", "la", "les", "de", "des", "et", "est", "un", "une", "du", "que", "pour", "dans", "qui",
                "pas",
            ]
        ),
        (
            "de",
            [
                "der", "die", "und", "das", "ist", "nicht", "mit", "den", "von", "zu", "ein", "eine", "sich",
                "auf", "für",
            ]
        ),
        (
            "pt",
            ["o", "a", "os", "de", "que", "e", "do", "da", "em", "um", "uma", "para", "com", "não", "se"]
        ),
        (
            "it",
            [
                "il", "la", "di", "che", "e", "per", "un", "una", "del", "della", "non", "sono", "con", "le",
                "gli",
            ]
        ),
        (
            "nl",
            [
                "de", "het", "een", "en", "van", "is", "dat", "niet", "op", "te", "met", "voor", "zijn",
                "ook", "maar",
            ]
        ),
    ]

    /// The ISO 639-1 code of the likeliest language, or nil when the text is too short or unclear.
    ///
    /// Only the first 600 words are read, scalar by scalar: splitting a whole article into
    /// characters first cost more than everything else an import does with it.
    public static func of(_ text: String) -> String? {
        let words = leadingWords(of: text, limit: 600)
        guard words.count >= 20 else { return nil }
        var counts = [Int](repeating: 0, count: stopwords.count)
        for word in words {
            for language in languagesUsing[word] ?? [] { counts[language] += 1 }
        }
        let scores = zip(stopwords.map(\.code), counts).map { ($0, $1) }
        guard let best = scores.max(by: { $0.1 < $1.1 }), best.1 * 100 >= words.count * 8 else { return nil }
        let runnerUp = scores.filter { $0.0 != best.0 }.map(\.1).max() ?? 0
        return Double(best.1) >= Double(runnerUp) * 1.3 ? best.0 : nil
    }
}

private extension LanguageGuess {
    /// For each function word, the languages (indexes into ``stopwords``) that use it: one
    /// lookup per word instead of one per word and language.
    static let languagesUsing: [String: [Int]] = stopwords.enumerated().reduce(into: [:]) { index, language in
        for word in language.element.words { index[word, default: []].append(language.offset) }
    }

    /// The text's first `limit` words, lowercased: runs of letters and the marks that combine
    /// with them. A word longer than any function word counts as an empty one, unread.
    static func leadingWords(of text: String, limit: Int) -> [String] {
        var words: [String] = []
        words.reserveCapacity(limit)
        let scalars = text.unicodeScalars
        var start: String.Index?
        var length = 0
        var index = scalars.startIndex
        while index != scalars.endIndex {
            if isWordPart(scalars[index]) {
                if start == nil { start = index }
                length += 1
            } else if let wordStart = start {
                words.append(length > longestWord ? "" : String(scalars[wordStart..<index]).lowercased())
                (start, length) = (nil, 0)
                if words.count == limit { return words }
            }
            scalars.formIndex(after: &index)
        }
        if let wordStart = start {
            words.append(length > longestWord ? "" : String(scalars[wordStart...]).lowercased())
        }
        return words
    }

    /// The length of the longest function word, in scalars.
    static let longestWord = stopwords.flatMap(\.words).map(\.unicodeScalars.count).max() ?? 0

    static func isWordPart(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return (scalar.value | 0x20) >= 0x61 && (scalar.value | 0x20) <= 0x7A }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }
}
