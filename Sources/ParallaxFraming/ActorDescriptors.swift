import Foundation

/// How one source names one actor: the words it puts before the name ("self-proclaimed
/// interim president Juan Guaido") and the appositives after it ("Guaido, the head of the
/// National Assembly,").
public struct ActorDescriptor: Codable, Hashable, Sendable {
    /// The actor, by the surname all mentions share (`Guaido`).
    public var actor: String
    /// The descriptor's words.
    public var descriptor: String
    /// How many times the source used it.
    public var count: Int
    /// The first sentence it appears in.
    public var sentence: String
}

/// Finds the main named actors of some texts and the descriptors each text attaches to them.
public enum ActorAnalysis {
    /// Words that end a descriptor when walking back from a name: articles, prepositions,
    /// conjunctions, pronouns and the verbs that most often take a person as object.
    static let boundaries: Set<String> = Tokenizer.stopwords.union([
        "a", "an", "of", "to", "in", "on", "at", "by", "as", "if", "is", "be", "or", "we", "it", "he", "us",
        "recognize",
        "recognized", "recognizing", "abandon", "back", "backed", "support", "supported", "urge", "urged",
        "pledge",
        "accuse", "accused", "elect", "called", "named", "meet", "met", "join", "joined", "side", "oppose",
        "opposed",
        "allegiance", "against", "behind", "toward", "towards", "whom",
    ])

    /// The actors mentioned most often across texts, by surname: people and bodies named with
    /// two or more capitalised words at least once.
    public static func mainActors(in texts: [String], limit: Int = 6) -> [String] {
        var fullNames: [String: Int] = [:]
        for text in texts {
            for name in names(in: text) where name.count >= 2 && !institutions.contains(name.last!) {
                fullNames[name.last!, default: 0] += 1
            }
        }
        var mentions: [String: Int] = [:]
        for text in texts {
            for word in text.split(whereSeparator: { !$0.isLetter && $0 != "-" })
            where fullNames[String(word)] != nil {
                mentions[String(word), default: 0] += 1
            }
        }
        return mentions.filter { $0.value >= 2 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(
            limit
        ).map(\.key)
    }

    /// Each descriptor a text uses for each actor, most used first. A mention inside a
    /// quotation is the speaker's, not the outlet's, and gives none.
    public static func descriptors(of actors: [String], in texts: [String]) -> [ActorDescriptor] {
        var found: [String: ActorDescriptor] = [:]
        for text in texts {
            for sentence in Sentences.of(text) {
                let pieces = sentence.split(separator: " ")
                let words = pieces.map(String.init)
                let quotes = QuoteSpans.of(sentence, offset: 0)
                for (index, word) in words.enumerated() {
                    let offset = sentence.utf16.distance(
                        from: sentence.startIndex, to: pieces[index].startIndex)
                    if quotes.contains(where: {
                        $0.contains(offset) && $0.words > LoadedLanguage.scareQuoteWords
                    }) {
                        continue
                    }
                    let bare = word.trimmingCharacters(in: .punctuationCharacters)
                    let surname =
                        bare.hasSuffix("'s") || bare.hasSuffix("’s") ? String(bare.dropLast(2)) : bare
                    guard actors.contains(surname) else { continue }
                    for descriptor in [before(index, in: words), after(index, in: words)].compactMap({ $0 }) {
                        let key = surname + "\u{1F}" + descriptor.lowercased()
                        if found[key] == nil {
                            found[key] = ActorDescriptor(
                                actor: surname, descriptor: descriptor, count: 0, sentence: sentence)
                        }
                        found[key]!.count += 1
                    }
                }
            }
        }
        return found.values.sorted {
            ($0.actor, -$0.count, $0.descriptor) < ($1.actor, -$1.count, $1.descriptor)
        }
    }

    /// The run of up to four descriptive words before a mention, skipping the given names.
    static func before(_ index: Int, in words: [String]) -> String? {
        var position = index - 1
        // Step over the first names of the mention ("Juan" in "Juan Guaido").
        while position >= 0, isCapitalisedName(words[position]), !isTitle(words[position]) { position -= 1 }
        var run: [String] = []
        while position >= 0, run.count < 4 {
            let word = words[position]
            let bare = word.trimmingCharacters(in: .punctuationCharacters).lowercased()
            if word.last.map({ ",.;:!?\"”“(".contains($0) }) ?? false { break }
            if bare.isEmpty || boundaries.contains(bare) || bare.hasSuffix("'s") || bare.hasSuffix("’s") {
                break
            }
            if position > 0, isVerbInPast(bare, after: words[position - 1]) { break }
            run.insert(word.trimmingCharacters(in: .punctuationCharacters), at: 0)
            if word.first.map({ "\"“(".contains($0) }) ?? false { break }
            position -= 1
        }
        // A descriptor ends in a role ("leader") or a modifier ("elected", "self-proclaimed"), not
        // in the verb that took the name as its object ("to pressure Maduro"); it starts with a
        // descriptive word too ("would desert President Maduro" describes him as "President").
        guard let last = run.last, isDescriptive(last), !last.lowercased().hasSuffix("ly") else { return nil }
        while let first = run.first, !isDescriptive(first) { run.removeFirst() }
        return run.joined(separator: " ")
    }

    static func isDescriptive(_ word: String) -> Bool {
        let lower = word.lowercased()
        // An ending counts after a stem of three letters or more: "active", not "give".
        return roles.contains(lower) || adjuncts.contains(lower) || lower.contains("-")
            || (modifierEndings + ["ly"]).contains(where: {
                lower.hasSuffix($0) && lower.count >= $0.count + 3
            })
    }

    /// Whether a word in "-ed" is a verb in the past rather than a participle that qualifies the
    /// name: it follows an auxiliary, a pronoun or a name ("Republicans have hammered Obama",
    /// "Stephanopoulos asked former Obama aide…"), where "democratically elected" does not.
    static func isVerbInPast(_ word: String, after previous: String) -> Bool {
        guard word.hasSuffix("ed") else { return false }
        let bare = previous.trimmingCharacters(in: .punctuationCharacters)
        return subjectsAndAuxiliaries.contains(bare.lowercased()) || isCapitalisedName(bare)
    }

    private static let subjectsAndAuxiliaries: Set<String> = [
        "have", "has", "had", "having", "was", "were", "is", "are", "be", "been", "being", "he", "she",
        "they",
        "we", "who", "it", "i", "you",
    ]

    /// Words that qualify a role without the usual adjective endings.
    static let adjuncts: Set<String> = [
        "opposition", "interim", "acting", "former", "vice", "deputy", "de", "facto", "top",
    ]

    /// Last words of names that are places or bodies rather than people.
    static let institutions: Set<String> = [
        "States", "House", "Assembly", "Department", "Union", "Nations", "Council", "Party", "Ministry",
        "Court",
        "Congress", "Senate", "Kingdom", "Republic", "Office", "Agency", "Bank", "Reuters", "News", "Times",
        "Post",
    ]

    /// Nouns of role and office that describe a person.
    static let roles: Set<String> = [
        "president", "leader", "dictator", "strongman", "minister", "adviser", "advisor", "official", "chief",
        "head",
        "general", "commander", "secretary", "senator", "governor", "spokesman", "spokeswoman", "ruler",
        "autocrat",
        "usurper", "figure", "lawmaker", "opponent", "rival", "successor", "predecessor", "incumbent", "ally",
        "envoy",
        "ambassador", "prime", "premier", "chancellor", "king", "queen", "mayor", "candidate", "challenger",
        "activist",
    ]

    /// Endings of the adjectives and participles that qualify a name ("elected", "socialist").
    static let modifierEndings = ["ed", "al", "ic", "ive", "ent", "ous", "ist", "ian", "ary", "ate"]

    /// An appositive after a mention: ", the head of the National Assembly,".
    static func after(_ index: Int, in words: [String]) -> String? {
        guard words[index].hasSuffix(","), index + 1 < words.count,
            ["the", "a", "an"].contains(words[index + 1].lowercased())
        else { return nil }
        var run: [String] = []
        // Only a phrase closed by a comma is an appositive; one that runs to the full stop is a clause.
        for word in words[(index + 1)...].prefix(10) {
            run.append(word.trimmingCharacters(in: .punctuationCharacters))
            if word.hasSuffix(",") { return run.joined(separator: " ") }
            if word.last.map({ ".;:!?".contains($0) }) ?? false { return nil }
        }
        return nil
    }

    static func names(in text: String) -> [[String]] {
        var names: [[String]] = []
        var current: [String] = []
        for word in text.split(separator: " ") {
            let bare = String(word).trimmingCharacters(in: .punctuationCharacters)
            if isTitle(bare) {
                // Capitalised words before a title are the title's ("National Security Adviser"), not a name.
                current = []
            } else if isCapitalisedName(bare) && !Tokenizer.stopwords.contains(bare.lowercased()) {
                current.append(bare)
            } else {
                if !current.isEmpty { names.append(current) }
                current = []
            }
            if word.last.map({ ",.;:!?".contains($0) }) ?? false {
                if !current.isEmpty { names.append(current) }
                current = []
            }
        }
        if !current.isEmpty { names.append(current) }
        return names
    }

    static func isCapitalisedName(_ word: String) -> Bool {
        guard let first = word.first, first.isUppercase, word.count > 1 else { return false }
        return word.dropFirst().allSatisfy { $0.isLowercase || $0 == "-" || $0 == "'" }
    }

    static func isTitle(_ word: String) -> Bool {
        let bare = word.trimmingCharacters(in: .punctuationCharacters)
        return ["Mr", "Mrs", "Ms", "Dr", "Gen", "Sen", "Rep"].contains(bare)
            || roles.contains(bare.lowercased())
    }
}
