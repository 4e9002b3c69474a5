import Foundation

/// The shape of the web addresses that parsing as a URL and resolving against any base gives
/// back unchanged, told from their bytes: what lets a feed's entry addresses, nearly all of this
/// shape, skip URL parsing.
enum WebAddressShape {
    /// Whether `address` is `http://` or `https://` (in lower case), a host of letters, digits,
    /// dots and hyphens with an optional port of up to five digits, then a path, query and
    /// fragment of the characters RFC 3986 allows there unescaped (and `%` with two hex digits),
    /// with no dot segment and at most one `#`. Anything else may be changed by parsing (or
    /// refused), and is parsed.
    static func isUnchangedByParsing(_ address: String) -> Bool {
        var address = address
        return address.withUTF8 { bytes in
            guard var index = schemeLength(bytes) else { return false }
            guard let afterHost = host(in: bytes, from: index) else { return false }
            index = afterHost
            var inFragment = false
            var previous = UInt8(ascii: "/")
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "."):
                    // "/." may start a dot segment, which resolving removes.
                    if previous == UInt8(ascii: "/") { return false }
                case UInt8(ascii: "#"):
                    if inFragment { return false }
                    inFragment = true
                case UInt8(ascii: "%"):
                    guard index + 2 < bytes.count, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2])
                    else { return false }
                default:
                    guard isAllowedInPath(byte) else { return false }
                }
                previous = byte
                index += 1
            }
            return true
        }
    }

    /// Where the path starts after a host (and port) starting at `start`, or nil when the
    /// authority is not of the plain shape.
    private static func host(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while index < bytes.count, isHostByte(bytes[index]) { index += 1 }
        guard index > start, isLetterOrDigit(bytes[start]), isLetterOrDigit(bytes[index - 1]) else {
            return nil
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            let digits = index + 1
            index = digits
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            guard (1...5).contains(index - digits) else { return nil }
        }
        guard index == bytes.count || bytes[index] == UInt8(ascii: "/") else { return nil }
        return index
    }

    /// The length of `http://` or `https://` at the start, or nil for any other start.
    private static func schemeLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count >= 8, bytes[0] == UInt8(ascii: "h"), bytes[1] == UInt8(ascii: "t"),
            bytes[2] == UInt8(ascii: "t"), bytes[3] == UInt8(ascii: "p")
        else { return nil }
        let rest = bytes[4] == UInt8(ascii: "s") ? 5 : 4
        guard bytes[rest] == UInt8(ascii: ":"), bytes[rest + 1] == UInt8(ascii: "/"),
            bytes[rest + 2] == UInt8(ascii: "/")
        else { return nil }
        return rest + 3
    }

    /// Whether a byte is one a path, query or fragment holds as it is: an unreserved character,
    /// a sub-delimiter, `:`, `@`, `/` or `?` (RFC 3986, 3.3 to 3.5). `.`, `%` and `#` are
    /// looked at on their own.
    private static func isAllowedInPath(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "~"),
            UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
            UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "/"), UInt8(ascii: "?"):
            return true
        default:
            return false
        }
    }

    private static func isHostByte(_ byte: UInt8) -> Bool {
        isLetterOrDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
    }
}
