/// The byte-level work of ``Markup/html(_:)``: `& < > " '` become references, and the
/// characters XML does not allow go (controls other than tab, newline and carriage return, and
/// U+FFFE and U+FFFF, written EF BF BE and EF BF BF). Only ASCII bytes and whole three-byte
/// sequences change, so valid UTF-8 stays valid.
enum HTMLEscaping {
    /// How many bytes a byte (and the bytes after it) becomes: 0 when dropped, 1 when kept.
    @inline(__always)
    private static func width(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        switch bytes[index] {
        case UInt8(ascii: "&"): 5
        case UInt8(ascii: "<"), UInt8(ascii: ">"): 4
        case UInt8(ascii: "\""): 6
        case UInt8(ascii: "'"): 5
        case 0x09, 0x0A, 0x0D: 1
        case 0x00..<0x20: 0
        case 0xEF: isNonCharacter(at: index, in: bytes) ? 0 : 1
        default: 1
        }
    }

    /// Whether the bytes at `index` spell U+FFFE or U+FFFF.
    @inline(__always)
    private static func isNonCharacter(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        index + 2 < bytes.count && bytes[index + 1] == 0xBF
            && (bytes[index + 2] == 0xBE || bytes[index + 2] == 0xBF)
    }

    /// The length of the escaped text, and whether it differs from the text at all (drops can
    /// make up for what grows, so the length alone does not tell).
    static func escapedLength(of bytes: UnsafeBufferPointer<UInt8>) -> (length: Int, changes: Bool) {
        var length = 0
        var index = 0
        // Most texts are kept as they are: each byte is looked up in a table, and only a text
        // with a byte that may change is read again, byte by byte.
        var special = 0
        Self.isSpecial.withUnsafeBufferPointer { isSpecial in
            for byte in bytes { special &+= Int(isSpecial[Int(byte)]) }
        }
        guard special > 0 else { return (bytes.count, false) }
        var changes = false
        while index < bytes.count {
            let width = width(at: index, in: bytes)
            length += width
            changes = changes || width != 1
            // A dropped non-character is three bytes long.
            index += width == 0 && bytes[index] == 0xEF ? 3 : 1
        }
        return (length, changes)
    }

    /// 1 for each byte that may change: `& < > " '`, controls, and the lead byte EF of
    /// U+FFFE and U+FFFF.
    private static let isSpecial: [UInt8] = (0...255).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"),
            0x00..<0x20, 0xEF:
            1
        default: 0
        }
    }

    /// Writes the escaped text into `output`, sized by ``escapedLength(of:)``; returns its length.
    static func write(_ bytes: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>)
        -> Int
    {
        var written = 0
        var index = 0
        func put(_ reference: StaticString) {
            for offset in 0..<reference.utf8CodeUnitCount {
                output[written + offset] = reference.utf8Start[offset]
            }
            written += reference.utf8CodeUnitCount
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "&"): put("&amp;")
            case UInt8(ascii: "<"): put("&lt;")
            case UInt8(ascii: ">"): put("&gt;")
            case UInt8(ascii: "\""): put("&quot;")
            case UInt8(ascii: "'"): put("&#39;")
            case 0x09, 0x0A, 0x0D:
                output[written] = byte
                written += 1
            case 0x00..<0x20: break
            case 0xEF where isNonCharacter(at: index, in: bytes): index += 2
            default:
                output[written] = byte
                written += 1
            }
            index += 1
        }
        return written
    }
}
