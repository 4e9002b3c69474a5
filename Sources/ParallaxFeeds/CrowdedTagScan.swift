import Foundation

/// A linear look at an XML document's tags before libxml2 reads it. libxml2 2.9 checks each of
/// an element's attributes against all the others, so one element with 200,000 attributes keeps
/// a core busy for many minutes; no feed has an element with more than a few dozen. Comments,
/// CDATA sections, declarations and processing instructions are passed over, as are quoted values.
///
/// The scan runs before every parse, so it works on raw bytes with plain state: `memchr` jumps
/// over text, values and skipped sections, and no state holds an array (a first version that
/// did read feeds at a third of libxml2's speed).
struct CrowdedTagScan {
    /// The most attributes an element of a feed may have.
    static let maximumAttributes = 256

    fileprivate enum Mode {
        case text
        /// After `<`, deciding what follows.
        case opening
        case tag
        case quoted
        /// Inside `<!…>`, `<!--…-->`, `<![CDATA[…]]>` or `<?…?>`, up to its terminator.
        case skipping
        /// After `<!`, reading the few bytes that say what it is.
        case declaration
    }

    /// How a skipped section ends.
    fileprivate enum Terminator {
        case processing, comment, cdata, declaration

        var bytes: StaticString {
            switch self {
            case .processing: "?>"
            case .comment: "-->"
            case .cdata: "]]>"
            case .declaration: ">"
            }
        }
    }

    private var mode = Mode.text
    private var attributes = 0
    private var quote: UInt8 = 0
    private var terminator = Terminator.declaration
    /// Bytes of the terminator seen.
    private var matched = 0
    /// Bytes after `<!` seen, and whether they still spell the start of a comment or CDATA.
    private var declared = 0
    private var declaredComment = false
    private var declaredCDATA = false

    private static let comment = Array("--".utf8)
    private static let cdata = Array("[CDATA[".utf8)

    /// Whether an open file has an element with more than ``maximumAttributes`` attributes:
    /// `opening` is what was read of it already, and the rest is read from `descriptor`.
    static func hasCrowdedTag(descriptor: Int32, opening: Data) -> Bool {
        var scan = CrowdedTagScan()
        if scan.isCrowded(after: opening) { return true }
        // One small buffer, read into again and again: a megabyte of `Data` for each read cost
        // a one-kilobyte feed more than its whole parse.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            if scan.isCrowded(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count) {
                return true
            }
        }
    }

    /// Reads the next bytes; true once an element with too many attributes is seen.
    mutating func isCrowded(after bytes: Data) -> Bool {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
            return isCrowded(base, count: buffer.count)
        }
    }
}

// MARK: - The scan

private extension CrowdedTagScan {
    mutating func isCrowded(_ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        var index = 0
        while index < count {
            // Most of a feed is text, CDATA or quoted values: jump to the byte that can end them.
            let jumpTo: UInt8? =
                switch mode {
                case .text: UInt8(ascii: "<")
                case .quoted: quote
                case .skipping where matched == 0: terminator.bytes.utf8Start[0]
                default: nil
                }
            if let jumpTo {
                guard let found = memchr(bytes + index, Int32(jumpTo), count - index) else { return false }
                index = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - bytes
            } else if mode == .tag {
                // A tag's names change nothing: go to the next byte that ends it, quotes a value
                // or counts an attribute.
                while index < count, !Self.endsTagRun(bytes[index]) { index += 1 }
                guard index < count else { return false }
            }
            if take(bytes[index]) { return true }
            index += 1
        }
        return false
    }

    static func endsTagRun(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ">") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "'")
    }

    mutating func take(_ byte: UInt8) -> Bool {
        switch mode {
        case .text:
            mode = .opening
        case .opening:
            switch byte {
            case UInt8(ascii: "!"):
                (mode, declared, declaredComment, declaredCDATA) = (.declaration, 0, true, true)
            case UInt8(ascii: "?"): skip(to: .processing)
            default: (attributes, mode) = (0, .tag)
            }
        case .declaration:
            declaredComment =
                declaredComment && declared < Self.comment.count && Self.comment[declared] == byte
            declaredCDATA = declaredCDATA && declared < Self.cdata.count && Self.cdata[declared] == byte
            declared += 1
            if declaredComment && declared == Self.comment.count {
                skip(to: .comment)
            } else if declaredCDATA && declared == Self.cdata.count {
                skip(to: .cdata)
            } else if !declaredComment && !declaredCDATA {
                if byte == UInt8(ascii: ">") { mode = .text } else { skip(to: .declaration) }
            }
        case .skipping:
            let ending = terminator.bytes.utf8Start
            let length = terminator.bytes.utf8CodeUnitCount
            if byte == ending[matched] {
                matched += 1
                if matched == length { mode = .text }
            } else if matched == 2, ending[0] == ending[1], byte == ending[1] {
                // "--->" and "]]]>": the last two of a run may still begin the end.
                matched = 2
            } else {
                matched = byte == ending[0] ? 1 : 0
            }
        case .tag:
            switch byte {
            case UInt8(ascii: ">"): mode = .text
            case UInt8(ascii: "\""), UInt8(ascii: "'"): (mode, quote) = (.quoted, byte)
            case UInt8(ascii: "="):
                attributes += 1
                return attributes > Self.maximumAttributes
            default: break
            }
        case .quoted:
            mode = .tag
        }
        return false
    }

    mutating func skip(to end: Terminator) {
        (mode, terminator, matched) = (.skipping, end, 0)
    }
}
