#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Closes the elements a page leaves open that hold no page content when closed, before
/// libxml2 reads the page.
///
/// libxml2 nests everything after an unclosed element inside it, up to its parent's end. For a
/// `<p>` that is harmless, but an unclosed `<object>`, `<iframe>`, `<textarea>` or `<title>` in
/// the middle of an article takes the rest of the article into an element that readers drop
/// with all it holds. Such an element, when its end tag is missing, is ended where its first
/// child tag begins: text right after it (a `<title>`'s, a `<button>`'s label) stays inside,
/// and the markup that follows is the page's again. Elements that are closed are left alone,
/// so fallback content and `<template>`s stay out of the text as before.
enum UnclosedElements {
    /// Elements that never hold a page's content when closed.
    static let names: [String] = [
        "applet", "audio", "button", "canvas", "datalist", "iframe", "label", "map", "math", "noembed",
        "noframes", "noscript", "object", "select", "svg", "template", "textarea", "title", "video", "xmp",
    ]

    /// The page with an end tag added for each such element that lacks one, or nil when none
    /// does (the common case, which costs one scan and no copy).
    static func closing(in page: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var scanner = Scanner(page: page)
        let insertions = scanner.unclosedElements()
        guard !insertions.isEmpty else { return nil }
        var mended: [UInt8] = []
        mended.reserveCapacity(page.count + insertions.count * 12)
        var copied = 0
        for insertion in insertions.sorted(by: { ($0.offset, $1.start) < ($1.offset, $0.start) }) {
            mended.append(contentsOf: page[copied..<insertion.offset])
            mended.append(contentsOf: "</\(names[insertion.name])>".utf8)
            copied = insertion.offset
        }
        mended.append(contentsOf: page[copied...])
        return mended
    }

    /// Where one unclosed element's end tag goes.
    struct Insertion {
        /// The index of the element's name in ``names``.
        let name: Int
        /// Where its start tag began, which orders end tags that go at one place.
        let start: Int
        /// Where its end tag goes: before its first child tag, or at the page's end.
        let offset: Int
    }
}

private extension UnclosedElements {
    /// Reads tags the way libxml2 does where it matters here: comments, scripts and styles
    /// hold no tags, and a quoted attribute value may hold `>`.
    struct Scanner {
        let page: UnsafeBufferPointer<UInt8>
        var position = 0

        /// Each element of ``UnclosedElements/names`` whose end tag never comes.
        mutating func unclosedElements() -> [Insertion] {
            var open: [[Insertion]] = Array(repeating: [], count: names.count)
            while let start = next(UInt8(ascii: "<"), from: position) {
                position = start + 1
                guard position < page.count else { break }
                switch page[position] {
                case UInt8(ascii: "!"):
                    skipDeclaration()
                case UInt8(ascii: "?"):
                    position = (next(UInt8(ascii: ">"), from: position) ?? page.count - 1) + 1
                case UInt8(ascii: "/"):
                    position += 1
                    if let index = readName().flatMap(UnclosedElements.index(of:)) {
                        _ = open[index].popLast()
                    }
                    position = (next(UInt8(ascii: ">"), from: position) ?? page.count - 1) + 1
                default:
                    guard let name = readName() else { continue }
                    let selfClosing = skipAttributes()
                    if name == Self.script || name == Self.style {
                        skipRawText(until: name)
                    } else if !selfClosing, let index = UnclosedElements.index(of: name) {
                        let child = next(UInt8(ascii: "<"), from: position) ?? page.count
                        open[index].append(Insertion(name: index, start: start, offset: child))
                    }
                }
            }
            return open.flatMap { $0 }
        }

        func next(_ byte: UInt8, from offset: Int) -> Int? {
            guard offset < page.count, let base = page.baseAddress else { return nil }
            guard let found = memchr(base + offset, Int32(byte), page.count - offset) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }

        /// A tag name (``UnclosedElements/packed(_:)``), nil when `<` starts no tag.
        mutating func readName() -> UInt64? {
            guard position < page.count, Self.isLetter(page[position]) else { return nil }
            var name: UInt64 = 0
            var length = 0
            while position < page.count, Self.isNameByte(page[position]) {
                if length < 8 { name |= UInt64(page[position] | 0x20) << (8 * length) }
                length += 1
                position += 1
            }
            return length > 8 ? 0 : name
        }

        /// Moves past a start tag's attributes and its `>`; true when it ends with `/>`.
        mutating func skipAttributes() -> Bool {
            var previous: UInt8 = 0
            while position < page.count {
                let byte = page[position]
                switch byte {
                case UInt8(ascii: ">"):
                    position += 1
                    return previous == UInt8(ascii: "/")
                case UInt8(ascii: "="):
                    skipValue()
                    previous = 0
                    continue
                default:
                    if !Self.isSpace(byte) { previous = byte }
                }
                position += 1
            }
            return false
        }

        /// Moves past an attribute's `=` and value: quoted, or up to a space or `>`.
        mutating func skipValue() {
            position += 1
            while position < page.count, Self.isSpace(page[position]) { position += 1 }
            guard position < page.count else { return }
            let quote = page[position]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                position = (next(quote, from: position + 1) ?? page.count - 1) + 1
                return
            }
            while position < page.count, !Self.isSpace(page[position]), page[position] != UInt8(ascii: ">") {
                position += 1
            }
        }

        mutating func skipDeclaration() {
            let isComment =
                position + 2 < page.count && page[position + 1] == UInt8(ascii: "-")
                && page[position + 2] == UInt8(ascii: "-")
            guard isComment else {
                position = (next(UInt8(ascii: ">"), from: position) ?? page.count - 1) + 1
                return
            }
            position += 3
            while let dash = next(UInt8(ascii: "-"), from: position) {
                position = dash + 1
                if dash + 2 < page.count, page[dash + 1] == UInt8(ascii: "-"),
                    page[dash + 2] == UInt8(ascii: ">")
                {
                    position = dash + 3
                    return
                }
            }
            position = page.count
        }

        /// Moves past a script's or style's text, which ends only at its own end tag.
        mutating func skipRawText(until name: UInt64) {
            while let start = next(UInt8(ascii: "<"), from: position) {
                position = start + 1
                guard position < page.count, page[position] == UInt8(ascii: "/") else { continue }
                position += 1
                if readName() == name {
                    position = (next(UInt8(ascii: ">"), from: position) ?? page.count - 1) + 1
                    return
                }
            }
            position = page.count
        }

        static let script = packed("script")
        static let style = packed("style")

        static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

        static func isNameByte(_ byte: UInt8) -> Bool {
            isLetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "_")
        }

        static func isSpace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
        }
    }

    static let packedNames = names.map(packed)

    static func index(of name: UInt64) -> Int? { packedNames.firstIndex(of: name) }

    /// A lower-case name of up to eight ASCII bytes as one number, so a tag's name is compared
    /// without making a string of it; longer names are 0, which names nothing watched.
    static func packed(_ name: String) -> UInt64 {
        name.utf8.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * $1.offset) }
    }
}
