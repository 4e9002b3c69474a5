import Foundation

/// An article's markup cut down to an allow-list of tags and attributes: safe to show in a
/// browser, an e-reader or a reading app, and well-formed as both HTML and XHTML.
public struct SanitizedHTML: Sendable, Hashable {
    /// The markup: no scripts, styles, event handlers, frames or forms; links and images
    /// absolute `http(s)` addresses only.
    public var html: String
    /// The images the markup shows, in document order, each address once.
    public var images: [ArticleImage]

    /// Markup and its images.
    public init(html: String, images: [ArticleImage]) {
        self.html = html
        self.images = images
    }
}

/// An image an article shows, as its markup names it.
public struct ArticleImage: Sendable, Hashable, Codable {
    /// The absolute address chosen for it (the best `srcset` candidate within
    /// ``HTMLSanitizer/maximumImageWidth`` when the page offers several).
    public var url: String
    /// Its alternative text.
    public var alt: String

    /// An image at an address.
    public init(url: String, alt: String) {
        self.url = url
        self.alt = alt
    }
}

/// Reduces parsed HTML to what a reader needs, by an allow-list.
///
/// Kept: structure and text (`p`, headings, lists, `blockquote`, `pre`/`code`, emphasis, tables,
/// `figure`/`figcaption`), `a` with an absolute http(s) `href`, and `img` with a `src` chosen
/// from `src`, `srcset`, the lazy-loading attributes (`data-src`, `data-srcset`, …), a `picture`'s
/// sources, or a `<noscript>` fallback. Dropped with everything inside them: scripts, styles,
/// frames, forms, media, inline SVG and MathML. Every other element is unwrapped (its content
/// kept; `source` and `track` too, since libxml2 does not know them as empty and nests what
/// follows them inside), and every other attribute is dropped, `style`, `class`, `on*` and
/// `data-*` among them. Markup is written by this type, never copied, so what comes out is
/// well-formed whatever went in.
public enum HTMLSanitizer {
    /// The widest image chosen from a `srcset`: wider ones cost bytes a reading view does not show.
    public static let maximumImageWidth = 2_000

    /// The bytes of kept copies (``ImageSources/kept(_:)``) one sanitized article may hold: each
    /// copy is written once, and past this the rest are links.
    public static let maximumCopiedBytes = 64 << 20

    /// Sanitizes the content of `node` (not the node itself), resolving addresses against `document`.
    public static func sanitize(contentOf node: HTMLNode, in document: HTMLDocument) -> SanitizedHTML {
        var writer = SanitizedWriter(document: document)
        writer.write(node)
        return writer.result
    }

    /// Parses markup (a whole page or a fragment) and sanitizes its body.
    /// - Parameters:
    ///   - html: The markup.
    ///   - baseURL: The address relative links and images resolve against; without one they are dropped.
    ///   - images: What becomes of each image, for a renderer that shows kept copies.
    public static func sanitize(html: String, baseURL: URL? = nil, images: ImageSources = .original)
        -> SanitizedHTML
    {
        let document = HTMLDocument(html: html, baseURL: baseURL)
        let body = document.root.elements.first { $0.name == "body" } ?? document.root
        var writer = SanitizedWriter(document: document, sources: images)
        writer.write(body)
        return writer.result
    }

    /// Where the sanitized markup's images come from.
    public enum ImageSources: Sendable {
        /// Their addresses on the web, as the page named them.
        case original
        /// Kept copies: each address maps to what the `src` becomes (a `data:` URI that the
        /// renderer made itself from a kept image, or a file beside the output). An image
        /// without a copy becomes a link to its address, so a reader offline sees what is missing.
        case kept([String: String])
    }

    // MARK: - The allow-list

    /// Elements written as themselves.
    static let keptElements: Set<String> = [
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
        "blockquote", "pre", "code", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small", "mark",
        "q", "cite", "abbr", "time", "del", "ins", "kbd", "samp", "var", "figure", "figcaption", "img", "a",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "div",
    ]

    /// Elements dropped with their content: code, presentation, embedded documents and controls.
    static let droppedElements: Set<String> = [
        "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
        "applet", "form", "input", "button", "select", "option", "optgroup", "textarea", "datalist",
        "output", "svg", "math", "canvas", "audio", "video", "map", "area", "link",
        "meta", "base", "head", "title", "dialog", "slot", "portal", "param", "xml",
    ]

    /// Elements that sit in a line of text: at the top level they are gathered into a paragraph.
    static let inlineElements: Set<String> = [
        "a", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small", "mark", "q", "cite", "abbr", "time",
        "del", "ins", "kbd", "samp", "var", "code", "br", "img",
    ]

    /// Elements with no content or end tag.
    static let voidElements: Set<String> = ["br", "hr", "img"]

    /// Elements kept even when empty: a table's cells hold its shape.
    static let keptWhenEmpty: Set<String> = ["td", "th", "tr"]

    /// The attributes each element keeps besides `href` and `src`, which are resolved on their own.
    static let keptAttributes: [String: [String]] = [
        "img": ["alt", "width", "height"], "a": ["title"], "abbr": ["title"], "td": ["colspan", "rowspan"],
        "th": ["colspan", "rowspan", "scope"], "ol": ["start"], "time": ["datetime"],
    ]

    /// Whether an attribute's value may be written: numbers must be numbers, and `scope` a keyword.
    static func allows(_ attribute: String, value: String) -> Bool {
        switch attribute {
        case "width", "height", "colspan", "rowspan":
            return (1...5).contains(value.count) && value.allSatisfy(\.isASCIIDigit) && value != "0"
        case "start":
            let digits = value.hasPrefix("-") ? value.dropFirst() : Substring(value)
            return (1...9).contains(digits.count) && digits.allSatisfy(\.isASCIIDigit)
        case "scope": return ["row", "col", "rowgroup", "colgroup"].contains(value.lowercased())
        default: return true
        }
    }
}

extension Character {
    /// Whether the character is one of `0`…`9`.
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
