import Foundation

/// Escaping of stored text for the formats Parallax writes, shared by every exporter and report
/// so that no field of any of them is written unescaped, and no two escapers drift apart.
public enum Markup {
    /// Text for HTML or XHTML content and attribute values: `& < > " '` escaped, and the control
    /// characters XML does not allow dropped.
    public static func html(_ text: String) -> String {
        // Reports, pages and feeds' plain texts pass through here whole, so it works on UTF-8:
        // a first pass sizes the result (and finds most texts need nothing), a second writes it.
        var text = text
        let (length, changes) = text.withUTF8 { HTMLEscaping.escapedLength(of: $0) }
        guard changes else { return text }
        return text.withUTF8 { source in
            String(unsafeUninitializedCapacity: length) { HTMLEscaping.write(source, into: $0) }
        }
    }

    /// Text for one line of Markdown (a heading, a link's words, a list item): every character
    /// Markdown reads as markup or raw HTML is backslash-escaped, and line breaks become spaces.
    public static func markdownLine(_ text: String) -> String {
        markdown(text).replacingOccurrences(of: "\n", with: " ")
    }

    /// Text for Markdown paragraphs (a note, a quote, an article's text): escaped as
    /// ``markdownLine(_:)`` is, keeping its line breaks.
    public static func markdown(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            if "\\`*_[]<>#|!".contains(character) { escaped.append("\\") }
            if character != "\r" { escaped.append(character) }
        }
        return escaped
    }

    /// The address, when a renderer may link to it: http and https only, never `javascript:` or `data:`.
    public static func linkTarget(_ address: String?) -> String? {
        guard let address, isWebAddress(address) else { return nil }
        return address
    }

    /// Whether an address is an absolute http or https address with a host.
    public static func isWebAddress(_ address: String) -> Bool {
        guard let components = URLComponents(string: address.trimmingCharacters(in: .whitespaces)),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { return false }
        return true
    }
}
