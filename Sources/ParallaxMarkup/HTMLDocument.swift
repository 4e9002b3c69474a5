import CLibXML2
import Foundation

/// One node of a parsed HTML page: an element with its children, or a run of text.
public final class HTMLNode {
    /// The lower-case tag name, or `#text` for text.
    public let name: String
    /// The element's attributes with lower-case names; empty for text.
    public let attributes: [String: String]
    /// The text of a text node; empty for an element.
    public let text: String
    /// The children in document order.
    public package(set) var children: [HTMLNode] = []
    /// The element that holds this node, nil for the root.
    public package(set) weak var parent: HTMLNode?
    /// The content score the extractor gave this element, nil when it was not a candidate.
    package var score: Double?
    /// Characters of text under this node, whitespace runs counted once (see ``measure()``).
    package var textLength = 0
    /// Characters of link text under this node, links to the page itself counted at 30%.
    package var linkLength = 0.0

    package init(name: String, attributes: [String: String] = [:], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.text = text
    }

    /// Whether this node is a run of text.
    public var isText: Bool { name == "#text" }

    /// The value of an attribute, nil when absent.
    public subscript(attribute: String) -> String? { attributes[attribute] }

    /// The element children, in order.
    public var elements: [HTMLNode] { children.filter { !$0.isText } }

    /// All text under this node joined as it appears, without layout.
    public var textContent: String {
        var result = ""
        appendText(to: &result)
        return result
    }

    /// Every element under this node (not this node), depth first in document order.
    public func descendants(named names: Set<String>? = nil) -> [HTMLNode] {
        var result: [HTMLNode] = []
        var stack: [HTMLNode] = children.reversed()
        while let node = stack.popLast() {
            guard !node.isText else { continue }
            if names == nil || names!.contains(node.name) { result.append(node) }
            stack.append(contentsOf: node.children.reversed())
        }
        return result
    }

    /// Takes the children named in `dropped` out of this node, in one pass over its children.
    package func dropChildren(in dropped: Set<ObjectIdentifier>) {
        guard !dropped.isEmpty, children.contains(where: { dropped.contains(ObjectIdentifier($0)) }) else {
            return
        }
        children.removeAll { child in
            guard dropped.contains(ObjectIdentifier(child)) else { return false }
            child.parent = nil
            return true
        }
    }

    /// The share of this node's text that is link text.
    package var linkDensity: Double { textLength == 0 ? 0 : min(1, linkLength / Double(textLength)) }

    /// Whether `ancestor` holds this node at any depth.
    package func isDescendant(of ancestor: HTMLNode) -> Bool {
        var current = parent
        while let node = current {
            if node === ancestor { return true }
            current = node.parent
        }
        return false
    }

    /// Sets ``textLength`` and ``linkLength`` for this node and everything under it.
    package func measure() {
        var stack: [(HTMLNode, Bool)] = [(self, false)]
        while let (node, childrenDone) = stack.popLast() {
            if node.isText {
                node.textLength = HTMLNode.collapsedLength(of: node.text)
                continue
            }
            if !childrenDone {
                stack.append((node, true))
                for child in node.children { stack.append((child, false)) }
                continue
            }
            var length = 0
            var links = 0.0
            for child in node.children {
                length += child.textLength
                links += child.linkLength
            }
            node.textLength = length
            if node.name == "a" {
                let href = node["href"] ?? ""
                links = Double(length) * (href.hasPrefix("#") ? 0.3 : 1)
            }
            node.linkLength = links
        }
    }

    private static func collapsedLength(of text: String) -> Int {
        // Bytes, not Unicode properties: this runs on every text node of every page. Each
        // character counts once by its lead byte; a run of ASCII white space counts as one.
        var count = 0
        var inSpace = false
        for byte in text.utf8 {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
                if !inSpace { count += 1 }
                inSpace = true
            case 0x80..<0xC0:
                continue
            default:
                count += 1
                inSpace = false
            }
        }
        return count
    }

    package func append(_ child: HTMLNode) {
        child.parent = self
        children.append(child)
    }

    private func appendText(to result: inout String) {
        if isText {
            result += text
            return
        }
        for child in children { child.appendText(to: &result) }
    }
}

/// An HTML page parsed by libxml2's HTML parser, which recovers from malformed markup the way
/// browsers and lxml do.
public struct HTMLDocument {
    /// The document's root element (`html`).
    public let root: HTMLNode
    /// The address the page came from, for resolving relative links.
    public let baseURL: URL?
    /// False when the page has more nodes than the parse was allowed: the tree holds only the
    /// first of them, and what reads it must not take it for the whole page.
    public let isComplete: Bool

    /// Nodes (elements and runs of text) a page may have. Each costs some 700 bytes parsed, so
    /// this bounds a page's memory near 350 MB however its 16 MiB are spent; news pages have
    /// a few thousand.
    public static let maximumNodes = 500_000

    /// Parses decoded page text.
    /// - Parameters:
    ///   - html: The page as text.
    ///   - baseURL: The page's address.
    ///   - maximumNodes: Nodes converted before the parse stops (see ``isComplete``).
    public init(html: String, baseURL: URL? = nil, maximumNodes: Int = HTMLDocument.maximumNodes) {
        self.baseURL = baseURL
        var text = html
        let parsed = text.withUTF8 { bytes in
            guard let mended = UnclosedElements.closing(in: bytes) else {
                return HTMLDocument.parse(bytes, maximumNodes: maximumNodes)
            }
            return mended.withUnsafeBufferPointer { HTMLDocument.parse($0, maximumNodes: maximumNodes) }
        }
        root = parsed?.root ?? HTMLNode(name: "html")
        isComplete = parsed?.isComplete ?? true
        if let base = HTMLDocument.baseElementURL(in: root, relativeTo: baseURL) {
            resolvedBase = base
        } else {
            resolvedBase = baseURL
        }
    }

    /// The address relative links resolve against: `<base href>` when present.
    public let resolvedBase: URL?

    /// Resolves a link found in the page to an absolute address.
    public func absoluteURL(_ link: String) -> String? {
        let trimmed = link.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.lowercased().hasPrefix("javascript:") else { return nil }
        let url =
            URL(string: trimmed, relativeTo: resolvedBase)
            ?? trimmed.addingPercentEncoding(withAllowedCharacters: .urlFragmentAllowed).flatMap {
                URL(string: $0, relativeTo: resolvedBase)
            }
        // Without the page's address a relative link leads nowhere.
        guard let absolute = url?.absoluteURL, absolute.scheme != nil else { return nil }
        return absolute.absoluteString
    }
}

// MARK: - Parsing

private extension HTMLDocument {
    /// Elements deeper than this are attached at this depth, so hostile nesting cannot exhaust
    /// the stack.
    static let maximumDepth = 400

    /// Elements that never hold anything. libxml2 follows HTML 4, which lacks some of them,
    /// and nests whatever follows one of those up to its parent's end inside it.
    static let voidElements: Set<String> = [
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input",
        "keygen", "link", "meta", "param", "source", "track", "wbr",
    ]

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, maximumNodes: Int) -> (
        root: HTMLNode, isComplete: Bool
    )? {
        guard let base = bytes.baseAddress, !bytes.isEmpty, bytes.count < Int(Int32.max) else { return nil }
        // The text is already UTF-8: the page's own <meta charset> must not switch decoding.
        // Without XML_PARSE_HUGE the parser drops everything below 256 levels of nesting,
        // which browsers show; the page size cap bounds what the relaxed limits allow.
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_IGNORE_ENC.rawValue
                | XML_PARSE_HUGE.rawValue)
        let document = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { pointer in
            htmlReadMemory(pointer, Int32(bytes.count), nil, "UTF-8", options)
        }
        guard let document else { return nil }
        defer { xmlFreeDoc(document) }
        guard let rootElement = xmlDocGetRootElement(document) else { return nil }
        var names = NameTable()
        return convert(rootElement, names: &names, maximumNodes: maximumNodes)
    }

    /// The parser interns element and attribute names, so each is made a Swift string once.
    struct NameTable {
        private var strings: [UnsafeRawPointer: String] = [:]

        mutating func string(_ pointer: UnsafePointer<xmlChar>) -> String {
            if let known = strings[UnsafeRawPointer(pointer)] { return known }
            let string = String(cString: pointer).lowercased()
            strings[UnsafeRawPointer(pointer)] = string
            return string
        }
    }

    static func convert(_ rootElement: xmlNodePtr, names: inout NameTable, maximumNodes: Int)
        -> (root: HTMLNode, isComplete: Bool)
    {
        let root = HTMLNode(
            name: name(of: rootElement, names: &names), attributes: attributes(of: rootElement, names: &names)
        )
        var stack: [(xmlNodePtr?, HTMLNode, Int)] = [(rootElement.pointee.children, root, 1)]
        var converted = 1
        while let (next, parent, depth) = stack.popLast() {
            var cursor = next
            while let node = cursor {
                cursor = node.pointee.next
                converted += 1
                if converted > maximumNodes { return (root, false) }
                switch node.pointee.type {
                case XML_ELEMENT_NODE:
                    let element = HTMLNode(
                        name: name(of: node, names: &names), attributes: attributes(of: node, names: &names))
                    if voidElements.contains(element.name) {
                        // What libxml2 nested in it follows it in a browser's tree.
                        parent.append(element)
                        if node.pointee.children != nil {
                            stack.append((cursor, parent, depth))
                            stack.append((node.pointee.children, parent, depth))
                            cursor = nil
                        }
                    } else if depth < maximumDepth {
                        parent.append(element)
                        if node.pointee.children != nil {
                            stack.append((cursor, parent, depth))
                            stack.append((node.pointee.children, element, depth + 1))
                            cursor = nil
                        }
                    } else {
                        // Too deep: keep the text, flattened into the parent.
                        if node.pointee.children != nil {
                            stack.append((cursor, parent, depth))
                            stack.append((node.pointee.children, parent, depth))
                            cursor = nil
                        }
                    }
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    if let content = node.pointee.content {
                        parent.append(HTMLNode(name: "#text", text: String(cString: content)))
                    }
                default:
                    continue
                }
            }
        }
        return (root, true)
    }

    static func name(of node: xmlNodePtr, names: inout NameTable) -> String {
        guard let name = node.pointee.name else { return "" }
        return names.string(name)
    }

    static func attributes(of node: xmlNodePtr, names: inout NameTable) -> [String: String] {
        var attribute = node.pointee.properties
        guard attribute != nil else { return [:] }
        var result: [String: String] = [:]
        while let current = attribute {
            attribute = current.pointee.next
            guard let name = current.pointee.name else { continue }
            var value = ""
            var child = current.pointee.children
            while let text = child {
                if let content = text.pointee.content { value += String(cString: content) }
                child = text.pointee.next
            }
            result[names.string(name)] = value
        }
        return result
    }

    static func baseElementURL(in root: HTMLNode, relativeTo pageURL: URL?) -> URL? {
        guard let head = root.elements.first(where: { $0.name == "head" }),
            let base = head.elements.first(where: { $0.name == "base" }), let href = base["href"]
        else { return nil }
        return URL(string: href.trimmingCharacters(in: .whitespaces), relativeTo: pageURL)?.absoluteURL
    }
}
