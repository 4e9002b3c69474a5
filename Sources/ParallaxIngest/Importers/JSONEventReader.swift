import Foundation

/// A pull parser of JSON: a document's tokens one at a time, holding no more than the string
/// being read, so a file of any size and shape is read in constant memory. The browsers'
/// bookmark trees and the top-level keys that tell an export apart are read this way.
package struct JSONEventReader {
    /// One token of the document.
    package enum Event: Equatable {
        case objectStart, objectEnd, arrayStart, arrayEnd
        /// A key of the object being read.
        case key(String)
        case string(String)
        /// A number, as written.
        case number(String)
        case bool(Bool)
        case null
        /// A string longer than the reader keeps; its content is passed over.
        case longString
    }

    /// Why the document cannot be read further.
    package enum Failure: Error, Equatable {
        /// Bytes that are not JSON, at this offset.
        case malformed(offset: Int)
        /// The file ends inside the document.
        case truncated
    }

    /// The longest string returned; longer ones come back as ``Event/longString``.
    package static let maximumStringBytes = 1 << 20

    private enum Container { case object, array }
    /// What the next token may be.
    private enum Expectation { case value, keyOrEnd, key, colon, commaOrEnd, done }

    private var stream: ByteStream
    private var containers: [Container] = []
    private var expectation = Expectation.value

    /// A reader at the start of the file.
    package init(path: String) throws {
        stream = try ByteStream(path: path)
    }

    /// A reader of an open file whose `leading` bytes were read already (all of it when
    /// `isWhole`), `expectedBytes` long as far as the caller knows; the caller closes it after
    /// the reader.
    package init(descriptor: Int32, leading: [UInt8], isWhole: Bool, expectedBytes: Int) {
        stream = ByteStream(
            descriptor: descriptor, leading: leading, isWhole: isWhole, expectedBytes: expectedBytes)
    }

    /// How deep the reader is: 0 outside the document, 1 inside its top-level container.
    package var depth: Int { containers.count }

    /// The next token, or nil once the top-level value has been read.
    package mutating func next() throws -> Event? {
        while true {
            guard expectation != .done else { return nil }
            guard let byte = nextSignificantByte() else { throw Failure.truncated }
            switch (expectation, byte) {
            case (.keyOrEnd, UInt8(ascii: "}")), (.commaOrEnd, UInt8(ascii: "}")):
                guard containers.last == .object else { throw malformed }
                return close()
            case (.commaOrEnd, UInt8(ascii: "]")), (.value, UInt8(ascii: "]")):
                // An empty array's end comes where a value could.
                guard containers.last == .array, expectation == .commaOrEnd || isAtArrayStart else {
                    throw malformed
                }
                return close()
            case (.commaOrEnd, UInt8(ascii: ",")):
                expectation = containers.last == .object ? .key : .value
                isAtArrayStart = false
            case (.keyOrEnd, UInt8(ascii: "\"")), (.key, UInt8(ascii: "\"")):
                expectation = .colon
                guard let key = try readString() else { return .key("") }
                return .key(key)
            case (.colon, UInt8(ascii: ":")):
                expectation = .value
            case (.value, _):
                return try value(startingWith: byte)
            default:
                throw malformed
            }
        }
    }

    /// Reads past the value whose first token was just returned (a container's start: to its
    /// end), without keeping it.
    package mutating func skip(_ start: Event) throws {
        guard start == .objectStart || start == .arrayStart else { return }
        let target = depth - 1
        while depth > target {
            guard try next() != nil else { return }
        }
    }

    /// After the top-level value: whether anything but white space follows (JSON Lines do).
    package mutating func hasMoreAfterDocument() -> Bool {
        nextSignificantByte() != nil
    }

    // MARK: - Values

    private var isAtArrayStart = false

    private var malformed: Failure { .malformed(offset: stream.offset - 1) }

    private mutating func value(startingWith byte: UInt8) throws -> Event {
        isAtArrayStart = false
        switch byte {
        case UInt8(ascii: "{"):
            containers.append(.object)
            expectation = .keyOrEnd
            return .objectStart
        case UInt8(ascii: "["):
            containers.append(.array)
            expectation = .value
            isAtArrayStart = true
            return .arrayStart
        case UInt8(ascii: "\""):
            let text = try readString()
            afterValue()
            return text.map(Event.string) ?? .longString
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let word = readWord(first: byte)
            afterValue()
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            default: throw malformed
            }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let number = readWord(first: byte)
            guard number.allSatisfy({ "0123456789+-.eE".contains($0) }) else { throw malformed }
            afterValue()
            return .number(number)
        default:
            throw malformed
        }
    }

    private mutating func close() -> Event {
        let closed = containers.removeLast()
        afterValue()
        return closed == .object ? .objectEnd : .arrayEnd
    }

    private mutating func afterValue() {
        expectation = containers.isEmpty ? .done : .commaOrEnd
    }

    /// A string's content after its opening quote; nil when it is over the length kept.
    private mutating func readString() throws -> String? {
        // A string within the buffered bytes without escapes (shorter than the limit, then) is
        // decoded where it lies.
        if let plain = stream.plainString() { return plain }
        var bytes: [UInt8] = []
        var tooLong = false
        while true {
            let (stop, overflowed) = stream.run(
                into: &bytes, room: tooLong ? 0 : Self.maximumStringBytes + 1 - bytes.count)
            if overflowed || bytes.count > Self.maximumStringBytes {
                tooLong = true
                bytes = []
            }
            guard let stop else { throw Failure.truncated }
            if stop == UInt8(ascii: "\"") { return tooLong ? nil : String(decoding: bytes, as: UTF8.self) }
            guard let escaped = stream.next() else { throw Failure.truncated }
            guard !tooLong else {
                var passedOver: [UInt8] = []
                try unescape(escaped, into: &passedOver)
                continue
            }
            try unescape(escaped, into: &bytes)
            if bytes.count > Self.maximumStringBytes {
                tooLong = true
                bytes = []
            }
        }
    }

    /// Appends the character an escape stands for, the byte after its backslash given.
    private mutating func unescape(_ byte: UInt8, into bytes: inout [UInt8]) throws {
        switch byte {
        case UInt8(ascii: "n"): bytes.append(0x0A)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "r"): bytes.append(0x0D)
        case UInt8(ascii: "b"): bytes.append(0x08)
        case UInt8(ascii: "f"): bytes.append(0x0C)
        case UInt8(ascii: "u"): try unescapeUnit(into: &bytes)
        default: bytes.append(byte)
        }
    }

    /// Appends the character of a `\u` escape whose `u` was just read, with the low half of a
    /// surrogate pair when one follows; a half without its other is U+FFFD.
    private mutating func unescapeUnit(into bytes: inout [UInt8]) throws {
        let unit = try hexUnit()
        let append = { (scalar: Unicode.Scalar?, bytes: inout [UInt8]) in
            UTF8.encode(scalar ?? "\u{FFFD}") { bytes.append($0) }
        }
        guard (0xD800..<0xDC00).contains(unit), stream.peek() == UInt8(ascii: "\\") else {
            return append(Unicode.Scalar(unit), &bytes)
        }
        _ = stream.next()
        guard let marker = stream.next() else { throw Failure.truncated }
        guard marker == UInt8(ascii: "u") else {
            append(nil, &bytes)
            return try unescape(marker, into: &bytes)
        }
        let low = try hexUnit()
        guard (0xDC00..<0xE000).contains(low) else {
            append(nil, &bytes)
            return append(Unicode.Scalar(low), &bytes)
        }
        append(Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)), &bytes)
    }

    private mutating func hexUnit() throws -> UInt32 {
        var unit: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = stream.next(), let digit = Character(Unicode.Scalar(byte)).hexDigitValue else {
                throw malformed
            }
            unit = unit << 4 | UInt32(digit)
        }
        return unit
    }

    /// A literal or number: the bytes up to the next delimiter.
    private mutating func readWord(first: UInt8) -> String {
        var bytes = [first]
        while let byte = stream.peek(), !Self.isDelimiter(byte), bytes.count < 400 {
            bytes.append(byte)
            _ = stream.next()
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") || isSpace(byte)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    // MARK: - Bytes

    /// The next byte that is not white space; a byte-order mark at the very start is passed over.
    private mutating func nextSignificantByte() -> UInt8? {
        while let byte = stream.next() {
            if Self.isSpace(byte) { continue }
            if stream.offset <= 3 && (byte == 0xEF || byte == 0xBB || byte == 0xBF) { continue }
            return byte
        }
        return nil
    }
}
