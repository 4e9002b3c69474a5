import Foundation
import ParallaxMarkup
import ParallaxStore

/// How a feed's fields are kept: titles and authors as one line of text, ids and addresses
/// bounded, addresses absolute and on the web only, texts as HTML.
enum FeedText {
    /// One line of text, white space collapsed, at most ``FeedLimits/maximumLineCharacters``;
    /// nil when nothing is left.
    static func line(_ text: String) -> String? {
        // Controls and direction overrides go as they would in the store, so `feeds parse`
        // shows what would be kept.
        let cleaned = StoredText.singleLine(text)
        // Most titles and names are one line already, single-spaced: a look at their bytes
        // tells, without splitting them into words and joining them again.
        if cleaned.utf8.count <= FeedLimits.maximumLineCharacters, isCollapsed(cleaned) {
            return cleaned.isEmpty ? nil : cleaned
        }
        let words = cleaned.split(whereSeparator: \.isWhitespace)
        guard !words.isEmpty else { return nil }
        let line = words.joined(separator: " ")
        return line.count > FeedLimits.maximumLineCharacters
            ? String(line.prefix(FeedLimits.maximumLineCharacters)) : line
    }

    /// Whether text has no white space but single spaces between words: no space at either end
    /// or beside another, and no other white space character (the few Unicode spaces are
    /// recognised by their UTF-8 bytes; anything unsure counts as white space).
    private static func isCollapsed(_ text: String) -> Bool {
        var previousWasSpace = true
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            // A combining mark or joiner after a space joins the space's character, which is
            // then white space as a whole: only the long way reads that.
            if previousWasSpace && byte >= 0x80 { return false }
            switch byte {
            case UInt8(ascii: " "):
                if previousWasSpace { return false }
                previousWasSpace = true
                continue
            case 0x09...0x0D, 0xC2, 0xE1, 0xE3:
                // C2 85, C2 A0, E1 9A 80 and E3 80 80 are white space; the rest of these
                // lead bytes' characters are rare enough to take the long way.
                return false
            case 0xE2:
                // U+2000–U+200A, U+2028, U+2029 and U+202F are E2 80 80–8A, A8, A9 and AF, and
                // U+205F is E2 81 9F; the quotes and dashes beside them are not white space.
                guard let second = bytes.next(), let third = bytes.next() else { return false }
                switch (second, third) {
                case (0x80, 0x80...0x8A), (0x80, 0xA8), (0x80, 0xA9), (0x80, 0xAF), (0x81, 0x9F): return false
                default: break
                }
            default:
                break
            }
            previousWasSpace = false
        }
        return !previousWasSpace || text.isEmpty
    }

    /// An id as written, trimmed; nil when empty or too long to be one anyone shares.
    static func identifier(_ text: String) -> String? {
        let trimmed = trimmedWhitespace(text)
        guard !trimmed.isEmpty, trimmed.utf8.count <= FeedLimits.maximumIdentifierBytes else { return nil }
        return trimmed
    }

    /// An absolute http or https address, resolved against `base`; nil for any other scheme
    /// (`javascript:`, `data:`, `file:`) or text that is no address.
    /// `base` is asked for only when the address needs it: reading an element's base walks its
    /// ancestors, and parsing it took as long as parsing the address.
    static func webAddress(_ text: String, base: @autoclosure () -> String?) -> String? {
        guard let trimmed = identifier(text) else { return nil }
        // Parsing an address as a URL cost a JSON Feed a twentieth of its parse, and nearly every
        // entry's address is one that parsing gives back as it is.
        if WebAddressShape.isUnchangedByParsing(trimmed) {
            return trimmed.utf8.count <= FeedLimits.maximumIdentifierBytes ? trimmed : nil
        }
        return webAddressByParsing(trimmed, base: base())
    }

    /// ``webAddress(_:base:)`` the long way: the address parsed and resolved as a URL.
    static func webAddressByParsing(_ trimmed: String, base: @autoclosure () -> String?) -> String? {
        let baseURL = isPlainAbsolute(trimmed) ? nil : base().flatMap { $0.isEmpty ? nil : URL(string: $0) }
        guard let url = URL(string: trimmed, relativeTo: baseURL)?.absoluteURL,
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil
        else { return nil }
        let address = url.absoluteString
        return address.utf8.count <= FeedLimits.maximumIdentifierBytes ? address : nil
    }

    /// Whether an address is absolute on the web with no dot segments, so that resolving it
    /// against any base gives it back as it is (RFC 3986, 5.2.2).
    private static func isPlainAbsolute(_ address: String) -> Bool {
        var bytes = address.utf8.makeIterator()
        var scheme: [UInt8] = []
        while scheme.count < 8, let byte = bytes.next() { scheme.append(byte | 0x20) }
        guard scheme.starts(with: "http://".utf8) || scheme.starts(with: "https://".utf8) else {
            return false
        }
        var previous = scheme.last
        while let byte = bytes.next() {
            if previous == UInt8(ascii: "/") && byte == UInt8(ascii: ".") { return false }
            previous = byte
        }
        return true
    }

    /// A summary or content as HTML, trimmed; nil when empty or past ``FeedLimits/maximumTextBytes``.
    static func body(_ html: String) -> String? {
        let trimmed = trimmedWhitespace(html)
        guard !trimmed.isEmpty, trimmed.utf8.count <= FeedLimits.maximumTextBytes else { return nil }
        return trimmed
    }

    /// The text of some HTML: tags dropped, entities decoded. Text without markup is returned
    /// as it is, unparsed.
    static func plain(fromHTML html: String) -> String {
        guard holdsMarkup(html) else { return html }
        var text = ""
        appendText(of: HTMLDocument(html: "<p>" + html + "</p>").root, to: &text)
        return text
    }

    /// The text a reader sees: a script's or a style sheet's is none.
    private static func appendText(of node: HTMLNode, to text: inout String) {
        if node.isText { return text += node.text }
        guard !["script", "style", "noscript", "template"].contains(node.name) else { return }
        // A line break or a block ends a word, as a browser shows it ("para1 para2", not
        // "para1para2"); the line collapses the spaces this adds.
        let breaks = breakingElements.contains(node.name)
        if breaks { text += " " }
        for child in node.children { appendText(of: child, to: &text) }
        if breaks { text += " " }
    }

    private static let breakingElements: Set<String> = [
        "br", "p", "div", "li", "ul", "ol", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
        "pre",
        "table", "tr", "td", "th", "hr", "section", "article", "header", "footer", "figure", "figcaption",
    ]

    /// Plain text as HTML: escaped, a paragraph for each blank-line-separated block.
    static func html(fromPlain text: String) -> String {
        // Blank lines are found in the UTF-8 bytes with memchr: splitting by characters cost a
        // JSON Feed or an Atom feed of plain-text summaries half of its parse.
        var text = text
        let blankLines: [Int] = text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return [] }
            var found: [Int] = []
            var index = 0
            while index + 1 < bytes.count,
                let newline = memchr(base + index, Int32(UInt8(ascii: "\n")), bytes.count - index - 1)
            {
                let offset = UnsafePointer<UInt8>(newline.assumingMemoryBound(to: UInt8.self)) - base
                if bytes[offset + 1] == UInt8(ascii: "\n") {
                    found.append(offset)
                    index = offset + 2
                } else {
                    index = offset + 1
                }
            }
            return found
        }
        if blankLines.isEmpty { return paragraph(text[...]) }
        let utf8 = text.utf8
        var start = utf8.startIndex
        var paragraphs: [String] = []
        for offset in blankLines {
            let end = utf8.index(utf8.startIndex, offsetBy: offset)
            paragraphs.append(paragraph(text[start..<end]))
            start = utf8.index(end, offsetBy: 2)
        }
        paragraphs.append(paragraph(text[start...]))
        return paragraphs.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// One block of plain text as an HTML paragraph; empty when it is only white space.
    private static func paragraph(_ block: Substring) -> String {
        let trimmed = trimmedWhitespace(block)
        return trimmed.isEmpty ? "" : "<p>" + Markup.html(String(trimmed)) + "</p>"
    }

    /// Text without the white space at its ends, found from each end rather than by bridging
    /// the whole text (an article's, up to 4 MiB) through `NSString`.
    static func trimmedWhitespace(_ text: String) -> String {
        // Text that starts and ends with a visible ASCII character has no white space to trim
        // (no white space character joins a grapheme after an ASCII one, or before it as its
        // first), and nearly every id, address and date is such text.
        if let first = text.utf8.first, let last = text.utf8.last, isVisibleASCII(first), isVisibleASCII(last)
        {
            return text
        }
        let trimmed = trimmedWhitespace(text[...])
        return trimmed.startIndex == text.startIndex && trimmed.endIndex == text.endIndex
            ? text : String(trimmed)
    }

    private static func isVisibleASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }

    /// Part of a text without the white space at its ends.
    static func trimmedWhitespace(_ text: Substring) -> Substring {
        if let first = text.utf8.first, let last = text.utf8.last, isVisibleASCII(first), isVisibleASCII(last)
        {
            return text
        }
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
            let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return text[text.startIndex..<text.startIndex] }
        return text[first...last]
    }

    /// Whether text holds a tag or a character reference, which only an HTML parser reads right;
    /// a bare ampersand ("Q&A", "AT&T") is text as it is.
    static func holdsMarkup(_ text: String) -> Bool {
        let bytes = text.utf8
        var index = bytes.startIndex
        while let found = bytes[index...].firstIndex(where: {
            $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&")
        }) {
            if bytes[found] == UInt8(ascii: "<") { return true }
            let reference = bytes[bytes.index(after: found)...].prefix(33)
            if let end = reference.firstIndex(of: UInt8(ascii: ";")), end != reference.startIndex,
                reference[..<end].allSatisfy({
                    $0 == UInt8(ascii: "#") || (0x30...0x39).contains($0)
                        || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0)
                })
            {
                return true
            }
            index = bytes.index(after: found)
        }
        return false
    }
}
