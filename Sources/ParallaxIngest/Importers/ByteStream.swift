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

    /// The next byte; nil at the end.
    mutating func next() -> UInt8? {
        guard let byte = peek() else { return nil }
        position += 1
        return byte
    }
}
