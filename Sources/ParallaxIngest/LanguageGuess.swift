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
    public static func of(_ text: String) -> String? {
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter }).prefix(600).map(String.init)
        guard words.count >= 20 else { return nil }
        let scores = stopwords.map { language in (language.code, words.filter(language.words.contains).count)
        }
        guard let best = scores.max(by: { $0.1 < $1.1 }), best.1 * 100 >= words.count * 8 else { return nil }
        let runnerUp = scores.filter { $0.0 != best.0 }.map(\.1).max() ?? 0
        return Double(best.1) >= Double(runnerUp) * 1.3 ? best.0 : nil
    }
}
