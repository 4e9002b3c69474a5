/// Finds a lexicon's entries among a sentence's words: single words with their inflections
/// ("slam" finds "slams", "slammed" and "slamming"; "reckless" finds "recklessly"), possessives
/// ("strongman's"), and phrases of several words ("under fire", "double down"), whose first and
/// last words are inflected too ("doubled down", "witch hunts").
///
/// Inflections are made from the entries once, when the matcher is made, so that reading a
/// word costs one lookup: a word the lexicon lists as written keeps its own value before any
/// entry's inflection.
struct LexiconMatcher<Value: Sendable>: Sendable {
    /// One entry found: the words it covers, by their indexes, and the value of its entry.
    struct Match {
        var words: Range<Int>
        var value: Value
    }

    private var singles: [String: Value] = [:]
    /// Phrases by their first and second words (in each of their forms): the words after the
    /// first, longest first. Keyed by two words, so that a lexicon of thousands of phrases that
    /// open with "the" costs a word no more than a few.
    private var phrases: [String: [String: [(rest: [Set<String>], value: Value)]]] = [:]

    /// A matcher of entries whose values are given in order: where two entries give one form,
    /// the later entry wins, and a form written as an entry wins over an inflection.
    init(_ entries: [(entry: String, value: Value)]) {
        var inflected: [String: Value] = [:]
        var phraseValues: [[String]: Value] = [:]
        var phraseOrder: [[String]] = []
        for (entry, value) in entries {
            let words = entry.split(separator: " ").map(String.init)
            guard let first = words.first else { continue }
            guard words.count > 1 else {
                singles[first] = value
                for form in Self.forms(of: first).dropFirst() { inflected[form] = value }
                continue
            }
            if phraseValues.updateValue(value, forKey: words) == nil { phraseOrder.append(words) }
        }
        singles.merge(inflected) { written, _ in written }
        for words in phraseOrder {
            var rest = words.dropFirst().map { Set([$0]) }
            rest[rest.count - 1] = Set(Self.forms(of: words[words.count - 1]))
            for first in Self.forms(of: words[0]) {
                for second in rest[0] {
                    phrases[first, default: [:]][second, default: []].append((rest, phraseValues[words]!))
                }
            }
        }
        for (first, bySecond) in phrases {
            for second in bySecond.keys {
                phrases[first]?[second]?.sort { $0.rest.count > $1.rest.count }
            }
        }
    }

    /// The value of a single word, an entry or one of its forms.
    func value(of word: String) -> Value? {
        singles[word] ?? (word.hasSuffix("'s") ? singles[String(word.dropLast(2))] : nil)
    }

    /// The entry that starts at word `index` of `words` (lexicon forms: lower case), the longest
    /// when several do.
    func match(at index: Int, in words: [String]) -> Match? {
        let candidates = index + 1 < words.count ? phrases[words[index]]?[words[index + 1]] ?? [] : []
        for (rest, value) in candidates where index + rest.count < words.count {
            let fits = rest.indices.allSatisfy { rest[$0].contains(words[index + 1 + $0]) }
            if fits { return Match(words: index..<(index + rest.count + 1), value: value) }
        }
        return value(of: words[index]).map { Match(words: index..<(index + 1), value: $0) }
    }

    /// Every entry found in `words`, from the first word on, none overlapping another.
    func matches(in words: [String]) -> [Match] {
        var found: [Match] = []
        var index = 0
        while index < words.count {
            if let match = match(at: index, in: words) {
                found.append(match)
                index = match.words.upperBound
            } else {
                index += 1
            }
        }
        return found
    }
}

// MARK: - Inflections

extension LexiconMatcher {
    /// A word and the forms English inflection makes of it: plurals and third persons, past
    /// tenses, participles, and the adverb of an adjective. Forms that no text holds are harmless.
    /// A form already inflected ("claimed", "according", "reportedly") makes none: "accordingly"
    /// is no attribution.
    static func forms(of word: String) -> [String] {
        guard word.count >= 3, word.allSatisfy({ $0.isLetter || $0 == "-" }),
            !["ed", "ing", "ly"].contains(where: word.hasSuffix)
        else { return [word] }
        let characters = Array(word)
        let last = characters[characters.count - 1]
        let beforeLast = characters[characters.count - 2]
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        var forms = [word]
        switch last {
        case "e":
            let stem = String(word.dropLast())
            // gentle, gently; vile, vilely.
            let adverb = word.hasSuffix("le") ? stem + "y" : word + "ly"
            forms += [word + "s", word + "d", word.hasSuffix("ie") ? word : stem + "ing", adverb]
        case "y" where !vowels.contains(beforeLast):
            let stem = String(word.dropLast())
            forms += [stem + "ies", stem + "ied", word + "ing", stem + "ily"]
        default:
            let sibilant = ["s", "x", "z"].contains(last) || word.hasSuffix("ch") || word.hasSuffix("sh")
            forms += [word + (sibilant ? "es" : "s"), word + "ed", word + "ing"]
            forms.append(word.hasSuffix("ic") ? word + "ally" : word + "ly")
            // A short word ending in one vowel and one consonant doubles it: slam, slammed.
            let third = characters.count >= 3 ? characters[characters.count - 3] : "a"
            if characters.count <= 5, vowels.contains(beforeLast), !vowels.contains(third),
                !vowels.contains(last), !"wxy".contains(last)
            {
                forms += [word + String(last) + "ed", word + String(last) + "ing"]
            }
        }
        return forms
    }
}
