import Foundation

/// Writes the allowed part of a parsed tree as markup, and collects its images.
///
/// The tree is walked with a stack rather than by recursion, so a deep page cannot exhaust a
/// thread's stack; each open element writes into a buffer of its own, so an element left empty
/// by the allow-list (a paragraph that held only a script) is dropped whole.
struct SanitizedWriter {
    let document: HTMLDocument
    private var images: [ArticleImage] = []
    private var seenImages: Set<String> = []
    private var output = ""
    /// Inline markup at the top level that has not been closed into a paragraph yet.
    private var paragraph = ""
    /// The kept copies written so far, and their bytes (see ``HTMLSanitizer/maximumCopiedBytes``).
    private var copiedSources: Set<String> = []
    private var copiedBytes = 0

    /// What becomes of the images.
    let sources: HTMLSanitizer.ImageSources

    init(document: HTMLDocument, sources: HTMLSanitizer.ImageSources = .original) {
        self.document = document
        self.sources = sources
    }

    var result: SanitizedHTML { SanitizedHTML(html: output, images: images) }

    /// One open element: its start tag, and what its content has written so far.
    private struct OpenElement {
        var name: String
        var startTag: String
        var content = ""
        var hasImage = false
    }

    private enum Step {
        case enter(HTMLNode)
        case exit
    }

    mutating func write(_ root: HTMLNode) {
        var open: [OpenElement] = []
        var steps: [Step] = root.children.reversed().map { .enter($0) }
        while let step = steps.popLast() {
            switch step {
            case .exit:
                let element = open.removeLast()
                let isEmpty = !element.hasImage && element.content.allSatisfy(\.isWhitespace)
                guard !isEmpty || HTMLSanitizer.keptWhenEmpty.contains(element.name) else {
                    append(element.content, inline: true, to: &open)
                    continue
                }
                append(
                    element.startTag + element.content + "</\(element.name)>",
                    inline: HTMLSanitizer.inlineElements.contains(element.name), to: &open)
                if element.hasImage, !open.isEmpty { open[open.count - 1].hasImage = true }
            case .enter(let node):
                if node.isText {
                    append(Markup.html(node.text), inline: true, to: &open)
                    continue
                }
                switch disposition(of: node) {
                case .drop:
                    if node.name == "noscript", let fallback = noscriptFallback(node) {
                        steps.append(.enter(fallback))
                    }
                case .unwrap:
                    steps.append(contentsOf: node.children.reversed().map { .enter($0) })
                case .void(let tag):
                    append(tag, inline: node.name != "hr", to: &open)
                    if node.name == "img", !open.isEmpty { open[open.count - 1].hasImage = true }
                case .element(let startTag):
                    open.append(OpenElement(name: node.name, startTag: startTag))
                    steps.append(.exit)
                    steps.append(contentsOf: node.children.reversed().map { .enter($0) })
                }
            }
        }
        closeParagraph()
    }

    /// Adds markup to the innermost open element, or at the top level, where text and inline
    /// elements are gathered into a paragraph: a parser puts loose text at the top into one,
    /// so without it the markup would not sanitize to itself.
    private mutating func append(_ markup: String, inline: Bool, to open: inout [OpenElement]) {
        guard open.isEmpty else {
            open[open.count - 1].content += markup
            return
        }
        if inline {
            paragraph += markup
        } else {
            closeParagraph()
            output += markup
        }
    }

    private mutating func closeParagraph() {
        output += paragraph.allSatisfy(\.isWhitespace) ? paragraph : "<p>\(paragraph)</p>"
        paragraph = ""
    }
}

// MARK: - Deciding

private extension SanitizedWriter {
    enum Disposition {
        case drop
        case unwrap
        case void(String)
        case element(String)
    }

    mutating func disposition(of node: HTMLNode) -> Disposition {
        let name = node.name
        if HTMLSanitizer.droppedElements.contains(name) { return .drop }
        guard HTMLSanitizer.keptElements.contains(name) else { return .unwrap }
        var attributes: [(String, String)] = []
        switch name {
        case "a":
            // A link that leads nowhere safe keeps its words and loses the link.
            guard let href = node["href"].flatMap(document.absoluteURL), Markup.isWebAddress(href) else {
                return .unwrap
            }
            attributes.append(("href", href))
        case "img":
            guard let source = imageSource(of: node) else { return .drop }
            if seenImages.insert(source).inserted {
                images.append(ArticleImage(url: source, alt: node["alt"] ?? ""))
            }
            switch sources {
            case .original: attributes.append(("src", source))
            case .kept(let copies):
                // A copy goes into the page once and within a budget: an article naming one large
                // image a thousand times must not make a page of gigabytes.
                let words = (node["alt"].map { $0.isEmpty ? nil : $0 } ?? nil) ?? "image"
                guard let copy = copies[source] else {
                    return .void(
                        "<a href=\"\(Markup.html(source))\">[\(Markup.html(words)), not kept offline]</a> ")
                }
                guard !copiedSources.contains(source) else {
                    return .void(
                        "<a href=\"\(Markup.html(source))\">[\(Markup.html(words)), shown above]</a> ")
                }
                guard copiedBytes + copy.utf8.count <= HTMLSanitizer.maximumCopiedBytes else {
                    return .void(
                        "<a href=\"\(Markup.html(source))\">[\(Markup.html(words)), past what one page holds]</a> "
                    )
                }
                copiedSources.insert(source)
                copiedBytes += copy.utf8.count
                attributes.append(("src", copy))
            }
        default: break
        }
        for attribute in HTMLSanitizer.keptAttributes[name] ?? [] {
            guard let value = node[attribute], HTMLSanitizer.allows(attribute, value: value) else { continue }
            attributes.append((attribute, value))
        }
        let written = attributes.map { " \($0.0)=\"\(Markup.html($0.1))\"" }.joined()
        if HTMLSanitizer.voidElements.contains(name) { return .void("<\(name)\(written) />") }
        return .element("<\(name)\(written)>")
    }

    /// The `img` of a `<noscript>` that stands in for a lazy image whose real address only a
    /// script would have set; nil when the image before it already has an address.
    func noscriptFallback(_ noscript: HTMLNode) -> HTMLNode? {
        guard let image = noscript.descendants(named: ["img"]).first, imageSource(of: image) != nil else {
            return nil
        }
        if let siblings = noscript.parent?.children,
            let index = siblings.firstIndex(where: { $0 === noscript }),
            let previous = siblings[..<index].last(where: {
                !$0.isText || !$0.text.allSatisfy(\.isWhitespace)
            }),
            let previousImage = previous.name == "img" ? previous : previous.descendants(named: ["img"]).last,
            imageSource(of: previousImage) != nil
        {
            return nil
        }
        return image
    }
}

// MARK: - Choosing an image's address

extension SanitizedWriter {
    /// The address an image shows: the best `srcset` candidate (its own, a lazy one, or its
    /// `picture`'s sources), else a lazy-loading attribute, else `src`; http(s) only, so a
    /// placeholder `data:` image or a `file:` address is never chosen.
    func imageSource(of image: HTMLNode) -> String? {
        // libxml2 does not know `source` as an empty element, so a `picture`'s sources may
        // come parsed as each other's parents, with the image inside the last one.
        var sources: [HTMLNode] = []
        var ancestor = image.parent
        while let current = ancestor, current.name == "source" {
            sources.insert(current, at: 0)
            ancestor = current.parent
        }
        if let picture = ancestor, picture.name == "picture" {
            sources = picture.elements.filter { $0.name == "source" } + sources
        }
        var sets: [String] = []
        for source in sources where Self.isShowableType(source["type"]) {
            if let set = source["srcset"] ?? source["data-srcset"] { sets.append(set) }
        }
        sets += ["data-srcset", "srcset"].compactMap { image[$0] }
        for set in sets {
            if let best = bestCandidate(in: set) { return best }
        }
        for attribute in ["data-src", "data-original", "data-lazy-src", "data-url", "src"] {
            if let value = image[attribute], let address = webAddress(value) { return address }
        }
        return nil
    }

    /// The candidate of a `srcset` closest to ``HTMLSanitizer/maximumImageWidth`` from below (or
    /// the narrowest when all are wider); density descriptors count as multiples of 1,000 pixels.
    func bestCandidate(in srcset: String) -> String? {
        var candidates: [(address: String, width: Double)] = []
        for entry in srcset.split(separator: ",") {
            let parts = entry.split(whereSeparator: \.isWhitespace)
            guard let first = parts.first, let address = webAddress(String(first)) else { continue }
            var width = 1_000.0
            if let descriptor = parts.dropFirst().first?.lowercased(), let unit = descriptor.last,
                let number = Double(descriptor.dropLast()), number > 0
            {
                width = unit == "w" ? number : unit == "x" ? number * 1_000 : width
            }
            candidates.append((address, width))
        }
        let limit = Double(HTMLSanitizer.maximumImageWidth)
        return candidates.filter { $0.width <= limit }.max { $0.width < $1.width }?.address
            ?? candidates.min { $0.width < $1.width }?.address
    }

    /// An address resolved against the page, when it is http(s).
    func webAddress(_ value: String) -> String? {
        guard let absolute = document.absoluteURL(value), Markup.isWebAddress(absolute) else { return nil }
        return absolute
    }

    /// Whether a `source` element's `type` is a raster image a reader can show (SVG is not taken).
    static func isShowableType(_ type: String?) -> Bool {
        guard let type = type?.lowercased().trimmingCharacters(in: .whitespaces), !type.isEmpty else {
            return true
        }
        return ["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"].contains(type)
    }
}
