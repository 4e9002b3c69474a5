import Foundation

/// Words of a sentence with their offsets: runs of letters and digits with an inner
/// apostrophe or hyphen, as ``Tokenizer`` reads them.
enum WordSpans {
    struct Span {
        /// The word as written.
        var text: String
        /// Lower-cased, with a typographic apostrophe made straight: the form lexicons use.
        var word: String
        var start: Int
        var end: Int
    }

    static func of(_ text: String, offset base: Int) -> [Span] {
        var spans: [Span] = []
        var current = ""
        var start = 0
        var offset = base
        var pending: Character?
        func flush() {
            if !current.isEmpty {
                spans.append(
                    Span(
                        text: current, word: current.lowercased().replacingOccurrences(of: "’", with: "'"),
                        start: start, end: start + current.utf16.count))
            }
            current = ""
            pending = nil
        }
        for character in text {
            if character.isLetter || character.isNumber {
                if current.isEmpty { start = offset }
                if let joiner = pending {
                    current.append(joiner)
                    pending = nil
                }
                current.append(character)
            } else if !current.isEmpty, pending == nil, "'’-".contains(character) {
                pending = character
            } else {
                flush()
            }
            offset += character.utf16.count
        }
        flush()
        return spans
    }
}

/// Direct quotations in a sentence: between “ and ”, or a pair of straight quotes. A quotation
/// the sentence opens but does not close runs to its end (a long quote split into sentences),
/// and one it closes without opening runs from its start.
enum QuoteSpans {
    struct Span {
        /// The quotation with its marks.
        var text: String
        var start: Int
        var end: Int
        var words: Int

        func contains(_ offset: Int) -> Bool { offset >= start && offset < end }
    }

    /// For each word, the index of the quotation it stands in, if any: one pass over both in
    /// order, so a sentence of many quotations costs no more than its length.
    static func membership(of words: [WordSpans.Span], in quotes: [Span]) -> [Int?] {
        let order = quotes.indices.sorted { quotes[$0].start < quotes[$1].start }
        var next = 0
        return words.map { word in
            while next < order.count && quotes[order[next]].end <= word.start { next += 1 }
            guard next < order.count, quotes[order[next]].contains(word.start) else { return nil }
            return order[next]
        }
    }

    /// For each sentence of `text`, whether it starts inside a quotation that an earlier
    /// sentence of its paragraph opened and left open: "“We will fight. We will win,” he said."
    /// A quotation is carried over at most five sentences, so that a stray mark cannot make
    /// the rest of a paragraph someone's words.
    static func startsInside(_ sentences: [SentenceSpans.Span], of text: String) -> [Bool] {
        let units = Array(text.utf16)
        var open = false
        var carried = 0
        var previousEnd = 0
        return sentences.map { sentence in
            let gap = units[min(previousEnd, sentence.start)..<sentence.start]
            if gap.contains(0x0A) || gap.contains(0x0D) || carried >= 5 { open = false }
            let startsOpen = open
            carried = startsOpen ? carried + 1 : 0
            for scalar in sentence.text.unicodeScalars {
                switch scalar {
                case "“": open = true
                case "”": open = false
                case "\"": open.toggle()
                default: break
                }
            }
            previousEnd = sentence.start + sentence.text.utf16.count
            return startsOpen
        }
    }

    /// The quotations of a sentence; one that starts inside a quotation and holds no
    /// quotation mark is a quotation whole, the speaker's from start to end.
    static func of(_ sentence: SentenceSpans.Span, startsInside: Bool) -> [Span] {
        let marks = sentence.text.unicodeScalars.contains { $0 == "“" || $0 == "”" || $0 == "\"" }
        guard startsInside, !marks else { return of(sentence.text, offset: sentence.start) }
        return [
            Span(
                text: sentence.text, start: sentence.start, end: sentence.start + sentence.text.utf16.count,
                words: WordSpans.of(sentence.text, offset: 0).count)
        ]
    }

    static func of(_ text: String, offset base: Int) -> [Span] {
        var spans: [Span] = []
        var open: (index: String.Index, offset: Int)?
        var offset = base
        var index = text.startIndex
        func close(at end: String.Index, endOffset: Int, from opening: (index: String.Index, offset: Int)) {
            let quoted = String(text[opening.index..<end])
            spans.append(
                Span(
                    text: quoted, start: opening.offset, end: endOffset,
                    words: WordSpans.of(quoted, offset: 0).count))
        }
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            let nextOffset = offset + character.utf16.count
            switch character {
            case "“":
                open = (index, offset)
            case "”":
                close(at: next, endOffset: nextOffset, from: open ?? (text.startIndex, base))
                open = nil
            case "\"":
                // A straight quote after a word and before a space closes; one after a space opens.
                let before = index > text.startIndex ? text[text.index(before: index)] : " "
                let after = next < text.endIndex ? text[next] : " "
                let closes =
                    open != nil || (!before.isWhitespace && (after.isWhitespace || after.isPunctuation))
                if closes {
                    close(at: next, endOffset: nextOffset, from: open ?? (text.startIndex, base))
                    open = nil
                } else {
                    open = (index, offset)
                }
            default: break
            }
            index = next
            offset = nextOffset
        }
        if let opening = open {
            close(at: text.endIndex, endOffset: offset, from: opening)
        }
        return spans
    }
}
