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
        let words = StoredText.singleLine(text).split(whereSeparator: \.isWhitespace)
        guard !words.isEmpty else { return nil }
        let line = words.joined(separator: " ")
        return line.count > FeedLimits.maximumLineCharacters
            ? String(line.prefix(FeedLimits.maximumLineCharacters)) : line
    }

    /// An id as written, trimmed; nil when empty or too long to be one anyone shares.
    static func identifier(_ text: String) -> String? {
        let trimmed = trimmedWhitespace(text)
        guard !trimmed.isEmpty, trimmed.utf8.count <= FeedLimits.maximumIdentifierBytes else { return nil }
        return trimmed
    }

    /// An absolute http or https address, resolved against `base`; nil for any other scheme
    /// (`javascript:`, `data:`, `file:`) or text that is no address.
    static func webAddress(_ text: String, base: String?) -> String? {
        guard let trimmed = identifier(text) else { return nil }
        let baseURL = base.flatMap { $0.isEmpty ? nil : URL(string: $0) }
        guard let url = URL(string: trimmed, relativeTo: baseURL)?.absoluteURL,
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil
        else { return nil }
        let address = url.absoluteString
        return address.utf8.count <= FeedLimits.maximumIdentifierBytes ? address : nil
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
        for child in node.children { appendText(of: child, to: &text) }
    }

    /// Plain text as HTML: escaped, a paragraph for each blank-line-separated block.
    static func html(fromPlain text: String) -> String {
        text.split(separator: "\n\n", omittingEmptySubsequences: true)
            .map { trimmedWhitespace(String($0)) }
            .filter { !$0.isEmpty }
            .map { "<p>" + Markup.html($0) + "</p>" }
            .joined(separator: "\n")
    }

    /// Text without the white space at its ends, found from each end rather than by bridging
    /// the whole text (an article's, up to 4 MiB) through `NSString`.
    static func trimmedWhitespace(_ text: String) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
            let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return first == text.startIndex && last == text.index(before: text.endIndex)
            ? text : String(text[first...last])
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
