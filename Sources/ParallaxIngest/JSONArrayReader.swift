import Foundation

/// Reads the elements of a top-level JSON array one at a time, so an export of many thousands
/// of articles with their HTML is never held in memory whole.
struct JSONArrayReader: IteratorProtocol {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false
    private var started = false
    private var ended = false
    /// The number of the element last returned, from 1.
    private(set) var elementNumber = 0
    /// One element may not be larger than this.
    static let maximumElementBytes = 64 << 20

    init(path: String) throws {
        handle = try TextInput.open(path: path)
    }

    /// The next element's bytes, a reason the file is not a JSON array, or nil at its end.
    mutating func next() -> Result<Data, JSONArrayError>? {
        guard !ended else { return nil }
        if !started {
            guard let first = nextSignificantByte() else { return end(.notAnArray) }
            guard first == UInt8(ascii: "[") else { return end(.notAnArray) }
            started = true
            if peekSignificantByte() == UInt8(ascii: "]") {
                ended = true
                return nil
            }
        }
        var element: [UInt8] = []
        var depth = 0
        var inString = false
        var escaped = false
        while let byte = nextByte() {
            if inString {
                element.append(byte)
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
                    return element.allSatisfy(Self.isSpace) ? nil : .success(Data(element))
                }
                depth -= 1
            case UInt8(ascii: ",") where depth == 0:
                elementNumber += 1
                return .success(Data(element))
            default: break
            }
            element.append(byte)
            if element.count > Self.maximumElementBytes {
                return end(.elementTooLarge(element: elementNumber + 1))
            }
        }
        return end(.truncated(element: elementNumber + 1))
    }

    private mutating func end(_ error: JSONArrayError) -> Result<Data, JSONArrayError> {
        ended = true
        return .failure(error)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private mutating func nextByte() -> UInt8? {
        if position == buffer.count {
            guard !finished else { return nil }
            let chunk = (try? handle.read(upToCount: 1 << 16)) ?? nil
            guard let chunk, !chunk.isEmpty else {
                finished = true
                return nil
            }
            buffer = [UInt8](chunk)
            position = 0
        }
        defer { position += 1 }
        return buffer[position]
    }

    private mutating func nextSignificantByte() -> UInt8? {
        while let byte = nextByte() {
            if !Self.isSpace(byte) && !(byte == 0xEF || byte == 0xBB || byte == 0xBF) { return byte }
        }
        return nil
    }

    private mutating func peekSignificantByte() -> UInt8? {
        guard let byte = nextSignificantByte() else { return nil }
        position -= 1
        return byte
    }
}

/// Why a file cannot be read as a JSON array.
enum JSONArrayError: Error, Equatable {
    case notAnArray
    case truncated(element: Int)
    case elementTooLarge(element: Int)
}
