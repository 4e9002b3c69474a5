import Foundation

/// Reads the elements of a top-level JSON array one at a time, so an export of many thousands
/// of articles with their HTML is never held in memory whole; or of the array under one key of
/// a top-level object, the fields before it passed over without being kept.
struct JSONArrayReader: IteratorProtocol {
    private var stream: ByteStream
    private let key: [UInt8]?
    private let limit: Int
    private var started = false
    private var ended = false
    /// The number of the element last returned, from 1.
    private(set) var elementNumber = 0
    /// One element may not be larger than this.
    static let maximumElementBytes = 64 << 20

    /// A reader of the file's top-level array, or of the array under `key` of its top-level object.
    /// - Parameter limit: The largest element returned (tests use smaller ones).
    init(path: String, key: String? = nil, limit: Int = maximumElementBytes) throws {
        stream = try ByteStream(path: path)
        self.key = key.map { Array($0.utf8) }
        self.limit = limit
    }

    /// The next element's bytes, a reason the file is not a JSON array, or nil at its end.
    mutating func next() -> Result<Data, JSONArrayError>? {
        guard !ended else { return nil }
        if !started {
            if let key {
                guard seekArray(under: key) else { return end(.notAnArray) }
            } else {
                guard nextSignificantByte() == UInt8(ascii: "[") else { return end(.notAnArray) }
            }
            started = true
            if peekSignificantByte() == UInt8(ascii: "]") {
                ended = true
                return nil
            }
        }
        var element: [UInt8] = []
        // An element over the limit is read to its end without being kept, and fails alone.
        var oversized = false
        var depth = 0
        var inString = false
        var escaped = false
        while let byte = stream.next() {
            if inString {
                if !oversized {
                    element.append(byte)
                    if element.count > limit {
                        oversized = true
                        element = []
                    }
                }
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 {
                    // The array's closing bracket.
                    ended = true
                    elementNumber += 1
                    if oversized { return .failure(.elementTooLarge(element: elementNumber)) }
                    return element.allSatisfy(Self.isSpace) ? nil : .success(Data(element))
                }
                depth -= 1
            case UInt8(ascii: ",") where depth == 0:
                elementNumber += 1
                if oversized { return .failure(.elementTooLarge(element: elementNumber)) }
                return .success(Data(element))
            default: break
            }
            guard !oversized else { continue }
            element.append(byte)
            if element.count > limit {
                oversized = true
                element = []
            }
        }
        return end(.truncated(element: elementNumber + 1))
    }

    /// Moves past `"key": [` in the top-level object, reading the fields before it without
    /// keeping them. Returns false when the document is no object or has no array there.
    private mutating func seekArray(under key: [UInt8]) -> Bool {
        guard nextSignificantByte() == UInt8(ascii: "{") else { return false }
        while nextSignificantByte() == UInt8(ascii: "\"") {
            let name = readStringBytes()
            guard nextSignificantByte() == UInt8(ascii: ":") else { return false }
            if name == key { return nextSignificantByte() == UInt8(ascii: "[") }
            guard skipValue() else { return false }
        }
        return false
    }

    /// The bytes of a string whose opening quote was read; a name longer than any key is cut.
    private mutating func readStringBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        var escaped = false
        while let byte = stream.next() {
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                break
            }
            if bytes.count < 256 { bytes.append(byte) }
        }
        return bytes
    }

    /// Reads past one value and the comma after it; false when the object ends instead.
    private mutating func skipValue() -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        while let byte = stream.next() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return false }
                depth -= 1
            case UInt8(ascii: ",") where depth == 0: return true
            default: break
            }
        }
        return false
    }

    private mutating func end(_ error: JSONArrayError) -> Result<Data, JSONArrayError> {
        ended = true
        return .failure(error)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private mutating func nextSignificantByte() -> UInt8? {
        while let byte = stream.next() {
            if !Self.isSpace(byte) && !(byte == 0xEF || byte == 0xBB || byte == 0xBF) { return byte }
        }
        return nil
    }

    private mutating func peekSignificantByte() -> UInt8? {
        while let byte = stream.peek() {
            if !Self.isSpace(byte) && !(byte == 0xEF || byte == 0xBB || byte == 0xBF) { return byte }
            _ = stream.next()
        }
        return nil
    }
}

/// Why a file cannot be read as a JSON array.
enum JSONArrayError: Error, Equatable {
    case notAnArray
    case truncated(element: Int)
    case elementTooLarge(element: Int)
}
