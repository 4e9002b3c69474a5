import Foundation

/// Sentences of a text with where each starts, in UTF-16 code units (as JavaScript and
/// `NSRange` count), so a flagged word can be highlighted in place.
///
/// A sentence ends at a line break, or at `.`, `!`, `?` or `…` (with the closing quotes and
/// brackets after them) followed by white space, unless what follows shows the sentence goes
/// on:
/// - a word in lower case, after any opening quote or dash ("…,” said Mr. Smith. he" never
///   starts one: a split before a lower-case word is nearly always a wrong one), or a comma,
///   closing bracket or closing quote;
/// - after a title that precedes a name ("Sen.", "Gov.", "Mr."), anything;
/// - after another abbreviation, an initial or a dotted short form ("Jan.", "J.", "U.S.",
///   "Inc."), anything but a word that usually opens a sentence ("The", "He", "But").
/// A mark inside a word or number ("3.5", "Yahoo!Inc") ends nothing.
enum SentenceSpans {
    struct Span {
        var text: String
        var start: Int
    }

    static func of(_ text: String) -> [Span] {
        let scalars = Array(text.unicodeScalars)
        var spans: [Span] = []
        var start = 0
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if Self.isLineBreak(scalar) {
                spans.appendSentence(scalars[start..<index])
                index += 1
                start = index
            } else if Self.isTerminator(scalar) {
                guard let end = Self.sentenceEnd(in: scalars, markAt: index) else {
                    // Past the whole run of marks: looking again from each mark of a run of a
                    // million full stops took quadratic time.
                    while index < scalars.count, Self.isTerminator(scalars[index]) { index += 1 }
                    continue
                }
                spans.appendSentence(scalars[start..<end])
                index = end
                start = end
            } else {
                index += 1
            }
        }
        spans.appendSentence(scalars[start...])
        return Self.withOffsets(spans, of: scalars)
    }
}

// MARK: - Boundaries

private extension SentenceSpans {
    /// Where the sentence whose mark is at `mark` ends (past its closing quotes), or nil when
    /// the text goes on with the same sentence.
    static func sentenceEnd(in scalars: [Unicode.Scalar], markAt mark: Int) -> Int? {
        var end = mark + 1
        while end < scalars.count, isTerminator(scalars[end]) { end += 1 }
        while end < scalars.count, isCloser(scalars[end]) { end += 1 }
        guard end < scalars.count else { return end }
        guard scalars[end].properties.isWhitespace else { return nil }
        var next = end
        while next < scalars.count, scalars[next].properties.isWhitespace, !isLineBreak(scalars[next]) {
            next += 1
        }
        guard next < scalars.count, !isLineBreak(scalars[next]) else { return end }
        // No sentence starts with a comma, a closing bracket or quote, or a full stop.
        if isContinuation(scalars[next]) { return nil }
        // Nor, after its opening quotes and dashes (and the spaces a tokenized text puts between
        // them), with a word in lower case.
        while next < scalars.count,
            isOpener(scalars[next]) || isDash(scalars[next]) || scalars[next] == " "
        {
            next += 1
        }
        if next < scalars.count, isContinuation(scalars[next]) { return nil }
        let following = word(in: scalars, from: next)
        if let first = following.unicodeScalars.first, first.properties.isLowercase { return nil }
        // Only a lone full stop can end an abbreviation; "?!" and "..." end sentences.
        guard scalars[mark] == ".", end == mark + 1 || !isTerminator(scalars[mark + 1]) else { return end }
        let before = wordBefore(in: scalars, mark: mark)
        if titles.contains(before) { return nil }
        if isShortForm(before) && !sentenceOpeners.contains(following) { return nil }
        return end
    }

    /// The letters (and inner dots) that end at the full stop at `mark`: "U.S" of "U.S.".
    static func wordBefore(in scalars: [Unicode.Scalar], mark: Int) -> String {
        var start = mark
        while start > 0, mark - start < 12,
            scalars[start - 1].properties.isAlphabetic || scalars[start - 1] == "."
        {
            start -= 1
        }
        var word = String.UnicodeScalarView()
        word.append(contentsOf: scalars[start..<mark])
        return String(word)
    }

    /// The letters starting at `start`.
    static func word(in scalars: [Unicode.Scalar], from start: Int) -> String {
        var word = String.UnicodeScalarView()
        var index = start
        while index < scalars.count, scalars[index].properties.isAlphabetic, index - start < 16 {
            word.append(scalars[index])
            index += 1
        }
        return String(word)
    }

    /// An abbreviation that may end a sentence as well as sit inside one: a single capital
    /// (an initial), letters with inner dots ("U.S", "a.m"), or a known short form.
    static func isShortForm(_ word: String) -> Bool {
        if word.contains(".") { return true }
        if word.count == 1, word.first?.isUppercase == true { return true }
        return shortForms.contains(word)
    }

    /// Titles written before a name, after which a sentence never ends.
    static let titles: Set<String> = [
        "Mr", "Mrs", "Ms", "Messrs", "Dr", "Prof", "Sen", "Sens", "Rep", "Reps", "Gov", "Gen", "Col", "Lt",
        "Sgt", "Capt", "Cpl", "Pvt", "Adm", "Maj", "Cmdr", "Rev", "Hon", "Pres", "Supt", "Atty", "Gens",
        "Amb", "Insp", "Fr", "Msgr",
    ]

    /// Abbreviations that end a sentence only before a word that opens one.
    static let shortForms: Set<String> = [
        "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "St", "Mt", "Ft",
        "Ave", "Blvd", "Rd", "No", "Nos", "Vol", "vs", "etc", "Inc", "Corp", "Co", "Ltd", "Jr", "Sr", "Bros",
        "Dept", "Univ", "approx", "est", "ca", "cf", "al", "Res", "Sec", "Art", "Fig", "pp",
    ]

    /// Words that usually open a sentence, which an abbreviation's full stop before them ends.
    static let sentenceOpeners: Set<String> = [
        "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "His", "Her", "Its", "Their", "Our",
        "My", "This", "That", "These", "Those", "There", "Here", "But", "And", "Or", "So", "Yet", "In", "On",
        "At", "As", "After", "Before", "When", "While", "If", "Although", "Though", "Because", "Since",
        "For", "With", "Without", "By", "From", "To", "Of", "Some", "Many", "Most", "Several", "All",
        "Both", "Each", "Other", "Others", "Still", "However", "Meanwhile", "Also", "Then", "Now",
        "Earlier", "Later", "Last", "Next", "What", "Why", "How", "Who", "Where", "Not", "One", "Such",
        "Under", "Over", "Despite", "During", "Until", "Instead", "Thus", "Yes",
    ]

    static func isTerminator(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "." || scalar == "!" || scalar == "?" || scalar == "\u{2026}"
    }

    static func isCloser(_ scalar: Unicode.Scalar) -> Bool {
        "\"”’')]»".unicodeScalars.contains(scalar)
    }

    static func isOpener(_ scalar: Unicode.Scalar) -> Bool {
        "\"“‘'([«".unicodeScalars.contains(scalar)
    }

    static func isContinuation(_ scalar: Unicode.Scalar) -> Bool {
        ",;:)]}”’.".unicodeScalars.contains(scalar)
    }

    static func isDash(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\u{2014}" || scalar == "\u{2013}" || scalar == "-"
    }

    static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\n" || scalar == "\r" || scalar == "\u{2028}" || scalar == "\u{2029}" || scalar == "\u{85}"
    }

    /// The spans' starts as UTF-16 offsets into the whole text (each span holds its scalar
    /// index until then), counted in one walk, since the spans come in order.
    static func withOffsets(_ spans: [Span], of scalars: [Unicode.Scalar]) -> [Span] {
        var index = 0
        var offset = 0
        return spans.map { span in
            while index < span.start {
                offset += scalars[index].utf16.count
                index += 1
            }
            return Span(text: span.text, start: offset)
        }
    }
}

private extension [SentenceSpans.Span] {
    /// Appends the sentence in `scalars` without the white space at its ends, remembering the
    /// scalar index it starts at; nothing when it is only white space.
    mutating func appendSentence(_ scalars: ArraySlice<Unicode.Scalar>) {
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[first...last])
        append(SentenceSpans.Span(text: String(text), start: first))
    }
}
