import Foundation

/// The names and numbers of a sentence as a reader says them: "Little Rock", "Wal-Mart",
/// "19 other states", "$1.5 billion", "1993 federal law", not their words one by one.
enum FactPhrases {
    /// The phrases of `sentence` that hold any of `facts` (lower-cased words and numbers as
    /// ``Tokenizer`` and the alignment read them), in the sentence's order, each once; a fact
    /// no phrase holds is given alone.
    static func covering(_ facts: Set<String>, in sentence: String) -> [String] {
        var phrases: [String] = []
        var listed = Set<String>()
        var covered = Set<String>()
        for phrase in Self.phrases(in: sentence) {
            let tokens = Set(Self.tokens(of: phrase))
            let held = tokens.intersection(facts)
            guard !held.isEmpty, listed.insert(phrase).inserted else { continue }
            phrases.append(phrase)
            covered.formUnion(held)
        }
        return phrases + facts.subtracting(covered).sorted()
    }

    /// Runs of capitalised words (with "of" between two of them: "Bank of America") and numbers
    /// with up to two words after them that say what they count.
    static func phrases(in sentence: String) -> [String] {
        let words = sentence.split(whereSeparator: \.isWhitespace).map(String.init)
        var phrases: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            let bare = trimmed(word)
            if bare.contains(where: \.isNumber) {
                var phrase = [bare]
                var next = index + 1
                // A word ending in punctuation ends the phrase after it.
                while next < words.count, phrase.count < 3, !endsClause(words[next - 1]),
                    isCountedWord(trimmed(words[next]))
                {
                    phrase.append(trimmed(words[next]))
                    next += 1
                }
                phrases.append(phrase.joined(separator: " "))
                index = next
            } else if isCapitalised(bare), !Tokenizer.stopwords.contains(bare.lowercased()) {
                var phrase = [bare]
                var next = index + 1
                while next < words.count, !endsClause(words[next - 1]) {
                    let candidate = trimmed(words[next])
                    if isCapitalised(candidate) {
                        phrase.append(candidate)
                        next += 1
                    } else if candidate == "of", next + 1 < words.count, !endsClause(words[next]),
                        isCapitalised(trimmed(words[next + 1]))
                    {
                        phrase.append(candidate)
                        next += 1
                    } else {
                        break
                    }
                }
                phrases.append(phrase.joined(separator: " "))
                index = next
            } else {
                index += 1
            }
        }
        return phrases
    }

    /// The lower-cased words and numbers of a phrase, possessives as their word, as the
    /// alignment's facts are.
    private static func tokens(of phrase: String) -> [String] {
        let numbers = phrase.matches(of: /\d(?:[\d,.]*\d)?/).map { String($0.output) }
        return Tokenizer.words(phrase).map { $0.hasSuffix("'s") ? String($0.dropLast(2)) : $0 } + numbers
    }

    /// A word without the punctuation around it (a currency sign and a percent sign kept).
    private static func trimmed(_ word: String) -> String {
        var word = Substring(word)
        while let last = word.last, !last.isLetter, !last.isNumber, last != "%" { word = word.dropLast() }
        while let first = word.first, !first.isLetter, !first.isNumber, first != "$", first != "€",
            first != "£"
        {
            word = word.dropFirst()
        }
        if word.hasSuffix("'s") || word.hasSuffix("’s") { word = word.dropLast(2) }
        return String(word)
    }

    private static func endsClause(_ word: String) -> Bool {
        word.last.map { ",.;:!?)”\"".contains($0) } ?? false
    }

    private static func isCapitalised(_ word: String) -> Bool {
        word.first?.isUppercase == true && word.contains(where: \.isLetter)
    }

    /// Whether a word after a number can say what it counts: a lower-case word that is not a
    /// function word or a verb of saying ("19 other states", "1.5 billion", "40 percent").
    private static func isCountedWord(_ word: String) -> Bool {
        guard let first = word.first, first.isLowercase, word.allSatisfy({ $0.isLetter || $0 == "-" }) else {
            return false
        }
        return countingWords.contains(word) || !Tokenizer.stopwords.contains(word)
    }

    /// Function words that belong with a number: "19 other states", "more than".
    private static let countingWords: Set<String> = ["other", "more", "new", "former", "additional"]
}
