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

    /// Runs of capitalised words (with "of" or "for" between two of them, "Bank of America", and
    /// then "and" too: "Centers for Disease Control and Prevention"), a month with its day
    /// ("July 3"), and numbers with up to two words after them that say what they count.
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
            } else if isCapitalised(bare),
                !isFunctionWord(bare) || startsName(bare, before: words, at: index + 1)
            {
                var phrase = [bare]
                var next = index + 1
                while next < words.count, !endsClause(words[next - 1]) {
                    let candidate = trimmed(words[next])
                    let joins =
                        candidate == "of" || candidate == "for"
                        || (candidate == "and" && phrase.contains { $0 == "of" || $0 == "for" }
                            && !startsListItem(words, at: next + 1))
                    if isCapitalised(candidate) {
                        phrase.append(candidate)
                        next += 1
                    } else if joins, next + 1 < words.count, !endsClause(words[next]),
                        isCapitalised(trimmed(words[next + 1]))
                    {
                        phrase.append(candidate)
                        next += 1
                    } else {
                        break
                    }
                }
                // "July 3": a date is one fact.
                if let last = phrase.last, months.contains(last.lowercased()), next < words.count,
                    !endsClause(words[next - 1]), let day = dayOfMonth(trimmed(words[next]))
                {
                    phrase.append(day)
                    next += 1
                }
                // A title alone ("Mrs", "Dr") names no one.
                if phrase.count > 1 || !titles.contains(bare) {
                    phrases.append(phrase.joined(separator: " "))
                }
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

    /// Whether a capitalised word is a function word, which starts a sentence rather than a name
    /// ("On July 3", "In Ohio"); an acronym in capitals ("US", "IN") is a name all the same.
    private static func isFunctionWord(_ word: String) -> Bool {
        let lower = word.lowercased()
        return Tokenizer.stopwords.contains(lower) || (lower.count <= 2 && word != word.uppercased())
    }

    /// Whether a function word opens a name: "New" before a capitalised word ("New York").
    private static func startsName(_ word: String, before words: [String], at next: Int) -> Bool {
        word == "New" && next < words.count && isCapitalised(trimmed(words[next]))
    }

    /// Whether the capitalised words from `start` are followed by "of": another item of a list
    /// ("Adam Kinzinger of Illinois and Fred Upton of Michigan"), which "and" does not join.
    private static func startsListItem(_ words: [String], at start: Int) -> Bool {
        var index = start
        while index < words.count, isCapitalised(trimmed(words[index])), !endsClause(words[index]) {
            index += 1
        }
        return index > start && index < words.count && trimmed(words[index]) == "of"
    }

    /// A day of the month as written after its month: "3", "6th".
    private static func dayOfMonth(_ word: String) -> String? {
        let digits = word.prefix { $0.isNumber }
        let rest = word.dropFirst(digits.count)
        guard let day = Int(digits), (1...31).contains(day), ["", "st", "nd", "rd", "th"].contains(rest)
        else { return nil }
        return word
    }

    private static let titles: Set<String> = ["Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen"]

    private static let months: Set<String> = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec",
    ]

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
        // Two letters are a preposition or an article ("8.1 percent in"), as the tokenizer reads them.
        return countingWords.contains(word) || (word.count > 2 && !Tokenizer.stopwords.contains(word))
    }

    /// Function words that belong with a number: "19 other states", "more than".
    private static let countingWords: Set<String> = ["other", "more", "new", "former", "additional"]
}
