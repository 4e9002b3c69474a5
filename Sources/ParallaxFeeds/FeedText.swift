import Foundation
import ParallaxMarkup

/// How a feed's fields are kept: titles and authors as one line of text, ids and addresses
/// bounded, addresses absolute and on the web only, texts as HTML.
enum FeedText {
    /// One line of text, white space collapsed, at most ``FeedLimits/maximumLineCharacters``;
    /// nil when nothing is left.
    static func line(_ text: String) -> String? {
        let words = text.split(whereSeparator: \.isWhitespace)
        guard !words.isEmpty else { return nil }
        let line = words.joined(separator: " ")
        return line.count > FeedLimits.maximumLineCharacters
            ? String(line.prefix(FeedLimits.maximumLineCharacters)) : line
    }

    /// An id as written, trimmed; nil when empty or too long to be one anyone shares.
    static func identifier(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
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
        let trimmed = html.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.utf8.count <= FeedLimits.maximumTextBytes else { return nil }
        return trimmed
    }

    /// The text of some HTML: tags dropped, entities decoded. Text without markup is returned
    /// as it is, unparsed.
    static func plain(fromHTML html: String) -> String {
        guard html.contains("<") || html.contains("&") else { return html }
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
        text.components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
            .map { "<p>" + Markup.html($0) + "</p>" }
            .joined(separator: "\n")
    }
}
