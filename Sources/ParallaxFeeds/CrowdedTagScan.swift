import Foundation

/// A linear look at an XML document's tags before libxml2 reads it. libxml2 2.9 checks each of
/// an element's attributes against all the others, so one element with 200,000 attributes keeps
/// a core busy for many minutes; no feed has an element with more than a few dozen.
///
/// The scan skips nothing: comments, CDATA sections and declarations are read like the rest, so
/// that no quote or `>` in a declaration libxml2 reads differently can hide a tag from it (a
/// first version skipped them, and `<!DOCTYPE rss SYSTEM "><!--">` hid every tag after it).
/// A `<` followed by anything that can start a name begins a tag; in a tag, an `=` outside
/// quotes followed by a quoted value is an attribute, and the tag ends at `>` outside quotes or at the next `<`, which no
/// attribute value may hold (libxml2 stops reading a tag's attributes there too). So every
/// attribute libxml2 reads is counted; the price is that a tag-like run inside a comment or
/// CDATA section counts as well, and more than 256 of them there refuses the document.
struct CrowdedTagScan {
    /// The most attributes an element of a feed may have.
    static let maximumAttributes = 256

    /// After a `<`, deciding whether a tag starts.
    private var afterOpening = false
    /// Inside a tag (or what may be one), counting its attributes.
    private var inTag = false
    /// The quote a value in the tag is open with, or 0.
    private var quote: UInt8 = 0
    /// After an `=` outside quotes, until what follows it shows whether it began a value.
    private var afterEquals = false
    private var attributes = 0

    /// Whether an open file has an element with more than ``maximumAttributes`` attributes:
    /// `opening` is what was read of it already, and the rest is read from `descriptor`.
    static func hasCrowdedTag(descriptor: Int32, opening: [UInt8]) -> Bool {
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

    /// Whether a whole document held in memory has an element with more than
    /// ``maximumAttributes`` attributes.
    static func hasCrowdedTag(in document: [UInt8]) -> Bool {
        var scan = CrowdedTagScan()
        return scan.isCrowded(after: document)
    }

    /// Reads the next bytes; true once an element with too many attributes is seen.
    mutating func isCrowded(after bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
            return isCrowded(base, count: buffer.count)
        }
    }
}

// MARK: - The scan

extension CrowdedTagScan {
    mutating func isCrowded(_ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        var index = 0
        while index < count {
            if !inTag && !afterOpening {
                // Text, or the inside of a comment, CDATA or declaration: jump to the next `<`.
                guard let found = memchr(bytes + index, Int32(UInt8(ascii: "<")), count - index) else {
                    return false
                }
                index = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - bytes + 1
                afterOpening = true
                continue
            }
            let byte = bytes[index]
            index += 1
            if afterOpening {
                afterOpening = byte == UInt8(ascii: "<")
                if Self.canStartName(byte) { (inTag, quote, attributes, afterEquals) = (true, 0, 0, false) }
                continue
            }
            if byte == UInt8(ascii: "<") {
                (inTag, afterOpening) = (false, true)
            } else if quote != 0 {
                if byte == quote { quote = 0 }
            } else {
                switch byte {
                case UInt8(ascii: ">"): inTag = false
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    // An attribute is an `=` and a quoted value; libxml2 stops a tag's attributes
                    // at any other, so script in a CDATA section (`x = 1`) counts none.
                    if afterEquals {
                        attributes += 1
                        if attributes > Self.maximumAttributes { return true }
                    }
                    quote = byte
                default: break
                }
                // White space may stand between an `=` and its value; anything else ends the wait.
                if byte == UInt8(ascii: "=") {
                    afterEquals = true
                } else if !Self.isSpace(byte) {
                    afterEquals = false
                }
            }
        }
        return false
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Whether a byte after `<` may start an element's name: anything but what starts a
    /// comment, declaration, instruction or end tag, white space, and markup.
    private static func canStartName(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: "/"), UInt8(ascii: "<"), UInt8(ascii: ">"),
            UInt8(ascii: "="), UInt8(ascii: "\""), UInt8(ascii: "'"), 0x09, 0x0A, 0x0D, 0x20:
            false
        default: true
        }
    }
}
