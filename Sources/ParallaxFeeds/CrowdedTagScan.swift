import Foundation

/// A linear look at an XML document's tags before libxml2 reads it. libxml2 2.9 checks each of
/// an element's attributes against all the others, so one element with 200,000 attributes keeps
/// a core busy for many minutes; no feed has an element with more than a few dozen. Comments,
/// CDATA sections, declarations and processing instructions are passed over, as are quoted values.
struct CrowdedTagScan {
    /// The most attributes an element of a feed may have.
    static let maximumAttributes = 256

    private enum State {
        case text
        /// After `<`, deciding what follows.
        case opening
        case tag
        case quoted(UInt8)
        /// Inside `<!…>` or `<?…?>`, up to `terminator`; `matched` bytes of it seen.
        case skipping(terminator: [UInt8], matched: Int)
        /// After `<!`, reading the few bytes that say what it is.
        case declaration(seen: [UInt8])
    }

    private var state = State.text
    private var attributes = 0

    /// Whether the file at `path` has an element with more than ``maximumAttributes`` attributes.
    static func hasCrowdedTag(path: String) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        var scan = CrowdedTagScan()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            if scan.isCrowded(after: chunk) { return true }
        }
        return false
    }

    /// Reads the next bytes; true once an element with too many attributes is seen.
    mutating func isCrowded(after bytes: Data) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            // Most of a feed is text, CDATA or quoted values: jump to the byte that can end them.
            switch state {
            case .text:
                guard let open = bytes[index...].firstIndex(of: UInt8(ascii: "<")) else { return false }
                state = .opening
                index = open + 1
                continue
            case .skipping(let terminator, 0):
                guard let start = bytes[index...].firstIndex(of: terminator[0]) else { return false }
                index = start
            case .quoted(let quote):
                guard let end = bytes[index...].firstIndex(of: quote) else { return false }
                index = end
            default:
                break
            }
            if take(bytes[index]) { return true }
            index += 1
        }
        return false
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        switch state {
        case .text:
            if byte == UInt8(ascii: "<") { state = .opening }
        case .opening:
            switch byte {
            case UInt8(ascii: "!"): state = .declaration(seen: [])
            case UInt8(ascii: "?"): state = .skipping(terminator: Array("?>".utf8), matched: 0)
            default:
                attributes = 0
                state = .tag
            }
        case .declaration(var seen):
            seen.append(byte)
            if seen == Array("--".utf8) {
                state = .skipping(terminator: Array("-->".utf8), matched: 0)
            } else if seen == Array("[CDATA[".utf8) {
                state = .skipping(terminator: Array("]]>".utf8), matched: 0)
            } else if Array("--".utf8).starts(with: seen) || Array("[CDATA[".utf8).starts(with: seen) {
                state = .declaration(seen: seen)
            } else {
                state =
                    byte == UInt8(ascii: ">") ? .text : .skipping(terminator: [UInt8(ascii: ">")], matched: 0)
            }
        case .skipping(let terminator, let matched):
            if byte == terminator[matched] {
                state =
                    matched + 1 == terminator.count
                    ? .text : .skipping(terminator: terminator, matched: matched + 1)
            } else if matched == 2, terminator[0] == terminator[1], byte == terminator[1] {
                // "--->" and "]]]>": the last two of a run may still begin the end.
                state = .skipping(terminator: terminator, matched: 2)
            } else {
                state = .skipping(terminator: terminator, matched: byte == terminator[0] ? 1 : 0)
            }
        case .tag:
            switch byte {
            case UInt8(ascii: ">"): state = .text
            case UInt8(ascii: "\""), UInt8(ascii: "'"): state = .quoted(byte)
            case UInt8(ascii: "="):
                attributes += 1
                return attributes > Self.maximumAttributes
            default: break
            }
        case .quoted(let quote):
            if byte == quote { state = .tag }
        }
        return false
    }
}
