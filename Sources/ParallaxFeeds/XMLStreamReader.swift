import CLibXML2
import Foundation

/// A pull reader of an XML file over libxml2's `xmlTextReader`: one node at a time, so a feed
/// of any length is read in the memory of its largest element. It never loads a DTD or anything
/// over the network and never expands an entity the document declares (so neither "billion
/// laughs" nor an external entity pointing at a local file reaches the text), and it reports
/// nothing on stderr.
///
/// It is used by one parse at a time; ``XMLReaderPool`` hands a finished one to the next parse.
final class XMLStreamReader: @unchecked Sendable {
    /// An element's name: its namespace and local name, in lower case, since feeds written by
    /// hand and read by iTunes and feedparser do not keep to XML's case.
    struct Name: Hashable {
        var namespace: String
        var local: String
        /// A number for the name, the same at each of its uses in a document, so a reader can
        /// remember what it decided about it; -1 for a name met past the remembered ones.
        var id: Int
    }

    /// One node of the document, as the feed reader needs it.
    enum Node {
        /// An element starts; `isEmpty` when it has no content and no end node follows.
        case start(Name, isEmpty: Bool)
        case end(Name)
        /// Text or CDATA, which ``text`` reads: most text between a feed's elements is white
        /// space nobody reads, and making a string of each cost a tenth of a parse.
        case text
    }

    /// Why the document cannot be read further.
    enum Failure: Error {
        /// The file cannot be opened.
        case unreadable
        /// The document is not well-formed XML (truncated, or not XML at all).
        case malformed
    }

    private let reader: xmlTextReaderPtr
    /// The document, when it is read from memory.
    private var document: DocumentInput?
    /// The reader already stands on the node `next()` returns next.
    private var positioned = false
    /// The reader has passed the document's end.
    private var finished = false

    /// A reader of an open file from where it stands; the caller closes it after the reader.
    /// - Parameters:
    ///   - base: The address the document came from, which relative links resolve against.
    ///   - encoding: The encoding to read it in, overriding its prolog (an HTTP header's charset).
    init(descriptor: Int32, base: String?, encoding: String?) throws {
        guard let reader = xmlReaderForFd(descriptor, base, encoding, Self.options(encoding: encoding))
        else { throw Failure.unreadable }
        self.reader = reader
        Self.silence(reader)
    }

    /// A reader of a whole document held in memory.
    ///
    /// Neither initializer gives libxml2 an empty base for a document without one: it asks the
    /// system for the working folder of a base without a slash, a tenth of a small feed's parse.
    /// - Parameters:
    ///   - base: The address the document came from, which relative links resolve against.
    ///   - encoding: The encoding to read it in, overriding its prolog (an HTTP header's charset).
    ///   - isUTF8: Whether the document is known to be UTF-8, which libxml2 then reads in place;
    ///     any other is read through callbacks, since libxml2 cannot switch a document it reads
    ///     in place to an encoding its prolog declares (EUC-KR, say).
    init(document bytes: [UInt8], isUTF8: Bool, base: String?, encoding: String?) throws {
        let document = DocumentInput(bytes)
        let options = Self.options(encoding: encoding)
        let reader =
            isUTF8
            ? xmlReaderForMemory(document.start, document.count, base, encoding, options)
            : xmlReaderForIO(
                DocumentInput.read, DocumentInput.close, document.context, base, encoding, options)
        guard let reader else { throw Failure.unreadable }
        self.reader = reader
        self.document = document
        Self.silence(reader)
    }

    /// Makes a reader that read a UTF-8 document in place read another, keeping libxml2's
    /// parser and dictionary and the names met so far: setting them up anew was a fifth of a
    /// one-kilobyte feed's parse. (A reader restarted on a document in another encoding could
    /// not read it: libxml2 keeps something of the last document's encoding.)
    func restart(utf8Document bytes: [UInt8], base: String?) throws {
        let document = DocumentInput(bytes)
        // libxml2 lets go of the last document's input here, while it is still kept alive.
        let status = xmlReaderNewMemory(
            reader, document.start, document.count, base, nil, Self.options(encoding: nil))
        guard status == 0 else { throw Failure.unreadable }
        self.document = document
        positioned = false
        finished = false
        Self.silence(reader)
    }

    /// Whether the reader has met few enough names to be worth keeping for another document.
    var isWorthKeeping: Bool { rememberedNames.count <= 256 }

    deinit {
        xmlFreeTextReader(reader)
    }

    /// The parser's options: recovering, never the network, no messages. An encoding given
    /// replaces the prolog's, which libxml2 would otherwise switch to.
    private static func options(encoding: String?) -> Int32 {
        Int32(
            XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
                | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue
                | (encoding == nil ? 0 : XML_PARSE_IGNORE_ENC.rawValue))
    }

    /// Some of libxml2's errors (a text node past its 10 MB limit) ignore XML_PARSE_NOERROR and
    /// print three lines of the document; a handler of the reader's own hears them instead, and
    /// the parse's failure says what went wrong in one line.
    private static func silence(_ reader: xmlTextReaderPtr) {
        xmlTextReaderSetStructuredErrorHandler(reader, { _, _ in }, nil)
    }

    /// The next node the feed reader needs (comments, processing instructions, white space and
    /// entity references are passed over), or nil at the end of the document.
    func next() throws -> Node? {
        while !finished {
            if positioned {
                positioned = false
            } else {
                switch xmlTextReaderRead(reader) {
                case 1: break
                case 0: return nil
                default: throw Failure.malformed
                }
            }
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                return .start(name, isEmpty: xmlTextReaderIsEmptyElement(reader) == 1)
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                return .end(name)
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
                return .text
            default:
                continue
            }
        }
        return nil
    }

    /// The text of the current text node.
    var text: String { Self.string(xmlTextReaderConstValue(reader)) ?? "" }

    /// How deep the current node is: 0 for the root element.
    var depth: Int { Int(xmlTextReaderDepth(reader)) }

    /// How many attributes the current element has, its namespace declarations among them.
    var attributeCount: Int { Int(xmlTextReaderAttributeCount(reader)) }

    /// An attribute of the current element without a namespace.
    func attribute(_ name: String) -> String? {
        Self.taking(xmlTextReaderGetAttribute(reader, name))
    }

    /// An attribute of the current element in a namespace (`rdf:about`).
    func attribute(_ local: String, namespace: String) -> String? {
        Self.taking(xmlTextReaderGetAttributeNs(reader, local, namespace))
    }

    /// The base address of the current node: the document's, as its `xml:base` attributes move it.
    var baseURI: String? { Self.taking(xmlTextReaderBaseUri(reader)) }

    /// The markup inside the current element, as written (Atom's XHTML content), after which
    /// the reader moves past the element's end.
    func innerXML() throws -> String {
        let inner = Self.taking(xmlTextReaderReadInnerXml(reader)) ?? ""
        // Next moves onto the node after the element, which the following `next()` returns.
        switch xmlTextReaderNext(reader) {
        case 1: positioned = true
        case 0: finished = true
        default: throw Failure.malformed
        }
        return inner
    }

    /// Names met so far, by their ids: a feed names the same few elements thousands of times,
    /// and making two strings for each node was most of the reader's own time. They are found by
    /// the addresses of libxml2's strings for them, which its dictionary keeps for the reader's
    /// life; each hit is checked against the bytes all the same, kept in `rememberedBytes`.
    private var rememberedNames: [Name] = []
    /// Where each remembered name's namespace and local name lie in `rememberedBytes`, apart
    /// from the names so that looking at them copies no strings.
    private var rememberedSpans: [NameSpans] = []
    private var rememberedBytes: [UInt8] = []
    /// Room for a feed's few dozen names from the start, so that the first document read does
    /// not grow it several times.
    private var idsByKey = [NameKey: Int](minimumCapacity: 64)
    /// The most names remembered, so a document of endless distinct names costs no more memory.
    private static let mostRememberedNames = 4_096

    private struct NameSpans {
        let namespace: Range<Int>
        let local: Range<Int>
    }

    private struct NameKey: Hashable {
        let namespace: UInt
        let local: UInt
    }

    /// The ids of names met last, in slots picked by their addresses and looked at before
    /// `idsByKey`: each of a feed's few names keeps a slot, and finding it there costs no hashing
    /// and no reference counting.
    private var recentIDs = [(key: NameKey, id: Int)](
        repeating: (NameKey(namespace: 0, local: 0), -1), count: 64)

    private var name: Name {
        let namespace = xmlTextReaderConstNamespaceUri(reader)
        let local = xmlTextReaderConstLocalName(reader)
        let key = NameKey(namespace: UInt(bitPattern: namespace), local: UInt(bitPattern: local))
        let mixed = (key.local ^ (key.namespace &<< 7)) &* 0x9E37_79B9_7F4A_7C15
        let slot = Int(truncatingIfNeeded: mixed >> 58)
        var id = recentIDs[slot].key == key ? recentIDs[slot].id : -1
        if id < 0, let known = idsByKey[key] {
            id = known
            recentIDs[slot] = (key, known)
        }
        if id >= 0, holds(namespace, rememberedSpans[id].namespace), holds(local, rememberedSpans[id].local) {
            return rememberedNames[id]
        }
        let isRemembered = rememberedNames.count < Self.mostRememberedNames
        let made = Name(
            namespace: Self.string(namespace) ?? "", local: Self.lowercasedString(local) ?? "",
            id: isRemembered ? rememberedNames.count : -1)
        if isRemembered {
            idsByKey[key] = rememberedNames.count
            recentIDs[slot] = (key, rememberedNames.count)
            rememberedNames.append(made)
            rememberedSpans.append(NameSpans(namespace: keep(namespace), local: keep(local)))
        }
        return made
    }

    /// Copies a C string's bytes into `rememberedBytes`.
    private func keep(_ characters: UnsafePointer<xmlChar>?) -> Range<Int> {
        let start = rememberedBytes.count
        if let characters {
            rememberedBytes.append(
                contentsOf: UnsafeBufferPointer(start: characters, count: strlen(characters)))
        }
        return start..<rememberedBytes.count
    }

    /// Whether a C string holds exactly the remembered bytes in `range`.
    private func holds(_ characters: UnsafePointer<xmlChar>?, _ range: Range<Int>) -> Bool {
        guard let characters else { return range.isEmpty }
        return rememberedBytes.withUnsafeBufferPointer { bytes in
            // strncmp stops at the C string's end (the kept bytes hold no NUL), so a shorter
            // string is never read past.
            (range.isEmpty
                || characters.withMemoryRebound(to: CChar.self, capacity: range.count) { text in
                    (bytes.baseAddress! + range.lowerBound).withMemoryRebound(
                        to: CChar.self, capacity: range.count
                    ) {
                        strncmp(text, $0, range.count) == 0
                    }
                }) && characters[range.count] == 0
        }
    }

    private static func string(_ characters: UnsafePointer<xmlChar>?) -> String? {
        characters.map { String(cString: $0) }
    }

    /// A C string in lower case, made from its bytes when it is ASCII (as element names are).
    private static func lowercasedString(_ characters: UnsafePointer<xmlChar>?) -> String? {
        guard let characters else { return nil }
        let length = strlen(characters)
        let bytes = UnsafeBufferPointer(start: characters, count: length)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return String(cString: characters).lowercased() }
        return String(unsafeUninitializedCapacity: length) { text in
            for index in 0..<length {
                let byte = bytes[index]
                text[index] = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
            }
            return length
        }
    }

    /// A string libxml2 allocated for the caller, freed once copied. libxml2 allocates with
    /// malloc unless a program replaces its allocator, which Parallax never does.
    private static func taking(_ characters: UnsafeMutablePointer<xmlChar>?) -> String? {
        guard let characters else { return nil }
        defer { free(characters) }
        return String(cString: characters)
    }
}

/// A document in memory that libxml2 reads in place or through callbacks, as it reads a file.
private final class DocumentInput {
    private let bytes: UnsafeMutableBufferPointer<CChar>
    private var offset = 0

    init(_ document: [UInt8]) {
        let bytes = UnsafeMutableBufferPointer<CChar>.allocate(capacity: max(document.count, 1))
        document.withUnsafeBytes { UnsafeMutableRawBufferPointer(bytes).copyMemory(from: $0) }
        self.bytes = bytes
        count = Int32(document.count)
    }

    deinit { bytes.deallocate() }

    /// Where the document starts, for libxml2 to read in place.
    var start: UnsafePointer<CChar> { UnsafePointer(bytes.baseAddress!) }
    /// The document's length.
    let count: Int32
    /// What the callbacks are given to find the document by.
    var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// libxml2's read callback: the next bytes of the document whose input is `context`.
    static let read: xmlInputReadCallback = { context, buffer, length in
        guard let context, let buffer, length > 0 else { return 0 }
        let input = Unmanaged<DocumentInput>.fromOpaque(context).takeUnretainedValue()
        let count = min(Int(length), Int(input.count) - input.offset)
        guard count > 0 else { return 0 }
        buffer.update(from: input.bytes.baseAddress! + input.offset, count: count)
        input.offset += count
        return Int32(count)
    }

    /// libxml2's close callback: the reader owns the input, so there is nothing to close.
    static let close: xmlInputCloseCallback = { _ in 0 }
}
