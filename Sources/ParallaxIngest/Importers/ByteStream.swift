import Foundation

/// A file's bytes read forward one at a time, 64 KiB from the disk at once, with one byte of
/// look-ahead: what the streaming JSON readers scan.
struct ByteStream {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var consumed = 0
    private var finished = false
    private let progress = ReadProgress.current

    /// A stream at the start of the file.
    init(path: String) throws {
        handle = try TextInput.open(path: path)
    }

    /// How many bytes have been read.
    var offset: Int { consumed + position }

    /// The next byte, left unread; nil at the end.
    mutating func peek() -> UInt8? {
        if position == buffer.count {
            guard !finished else { return nil }
            let chunk = (try? handle.read(upToCount: 1 << 16)) ?? nil
            guard let chunk, !chunk.isEmpty else {
                finished = true
                return nil
            }
            consumed += buffer.count
            progress?.advance(by: chunk.count)
            buffer = [UInt8](chunk)
            position = 0
        }
        return buffer[position]
    }

    /// Passes over the bytes before the next quote (`"`) or backslash, appending at most `room`
    /// of them to `bytes`, then consumes that byte and returns it: a string's run scanned in
    /// the buffer at once, rather than byte by byte.
    /// - Returns: The byte that ended the run (nil at the end of the file), and whether bytes
    ///   past `room` were passed over without being kept.
    mutating func run(into bytes: inout [UInt8], room: Int) -> (stop: UInt8?, overflowed: Bool) {
        var room = room
        var overflowed = false
        while peek() != nil {
            let start = position
            let end = buffer.withUnsafeBufferPointer { pointer in
                var index = start
                while index < pointer.count, pointer[index] != 0x22, pointer[index] != 0x5C { index += 1 }
                return index
            }
            let kept = min(end - start, max(room, 0))
            if kept > 0 { bytes.append(contentsOf: buffer[start..<start + kept]) }
            overflowed = overflowed || kept < end - start
            room -= kept
            position = end
            if end < buffer.count {
                position += 1
                return (buffer[end], overflowed)
            }
        }
        return (nil, overflowed)
    }

    /// The next byte; nil at the end.
    mutating func next() -> UInt8? {
        guard let byte = peek() else { return nil }
        position += 1
        return byte
    }
}
