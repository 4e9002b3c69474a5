import Foundation

/// A file's bytes read forward one at a time, 64 KiB from the disk at once, with one byte of
/// look-ahead: what the streaming JSON readers scan.
struct ByteStream {
    /// The file, kept open while the stream lives when the stream opened it.
    private let handle: FileHandle?
    private let descriptor: Int32
    // Read into one buffer that is reused: reading each chunk as `Data` and copying it into
    // an array cost a JSON Feed a tenth of its parse.
    private var buffer: [UInt8]
    private var count = 0
    private var position = 0
    private var consumed = 0
    private var finished = false
    private let progress = ReadProgress.current

    /// A stream at the start of the file.
    init(path: String) throws {
        let handle = try TextInput.open(path: path)
        self.handle = handle
        descriptor = handle.fileDescriptor
        buffer = [UInt8](repeating: 0, count: Self.chunkBytes)
    }

    /// A stream of an open file whose first bytes, `leading`, were read already; the caller
    /// closes it after the stream.
    /// - Parameters:
    ///   - isWhole: Whether `leading` is all of the file, which is then not read again.
    ///   - expectedBytes: How long the file is thought to be, which a smaller buffer than a
    ///     chunk then holds (clearing 64 KiB cost a one-kilobyte feed a tenth of its parse); a
    ///     file that grows is read all the same.
    init(descriptor: Int32, leading: [UInt8], isWhole: Bool, expectedBytes: Int) {
        handle = nil
        self.descriptor = descriptor
        buffer = leading
        count = leading.count
        finished = isWhole
        progress?.advance(by: leading.count)
        let size = min(Self.chunkBytes, max(expectedBytes - leading.count + 1, 4_096))
        if buffer.count < size { buffer.append(contentsOf: repeatElement(0, count: size - buffer.count)) }
    }

    /// How much is read from the disk at once.
    private static let chunkBytes = 1 << 16

    /// How many bytes have been read.
    var offset: Int { consumed + position }

    /// The next byte, left unread; nil at the end.
    mutating func peek() -> UInt8? {
        if position == count {
            guard !finished, refill() else { return nil }
        }
        return buffer[position]
    }

    /// The next byte; nil at the end.
    mutating func next() -> UInt8? {
        guard let byte = peek() else { return nil }
        position += 1
        return byte
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
            let end = stop(from: start)
            let kept = min(end - start, max(room, 0))
            if kept > 0 { bytes.append(contentsOf: buffer[start..<start + kept]) }
            overflowed = overflowed || kept < end - start
            room -= kept
            position = end
            if end < count {
                position += 1
                return (buffer[end], overflowed)
            }
        }
        return (nil, overflowed)
    }

    /// The rest of a string whose opening quote was just read, when it ends in the bytes
    /// already buffered with no escape before its closing quote (as nearly every string does),
    /// decoded from the buffer itself and consumed with its quote; nil otherwise, having
    /// consumed nothing.
    mutating func plainString() -> String? {
        guard position < count else { return nil }
        let end = stop(from: position)
        guard end < count, buffer[end] == UInt8(ascii: "\"") else { return nil }
        let string = buffer.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[position..<end]), as: UTF8.self)
        }
        position = end + 1
        return string
    }

    /// Where the first quote or backslash at or after `start` is in the buffer; `count` when
    /// neither is there. memchr finds the quote; the backslash is looked for only before it.
    private func stop(from start: Int) -> Int {
        buffer.withUnsafeBufferPointer { pointer in
            let base = pointer.baseAddress!
            let length = count - start
            let quote =
                memchr(base + start, Int32(UInt8(ascii: "\"")), length).map {
                    UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base
                } ?? count
            let backslash = memchr(base + start, Int32(UInt8(ascii: "\\")), quote - start).map {
                UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base
            }
            return backslash ?? quote
        }
    }

    /// Reads the next chunk into the buffer; false at the end of the file or on an error.
    private mutating func refill() -> Bool {
        consumed += count
        count = 0
        position = 0
        let capacity = buffer.count
        let descriptor = descriptor
        while true {
            let read = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, capacity) }
            if read < 0 && errno == EINTR { continue }
            // A regular file opened without blocking never answers EAGAIN; a read error ends
            // the stream as the end of the file does, and the reader says it is truncated.
            guard read > 0 else {
                finished = true
                return false
            }
            count = read
            progress?.advance(by: read)
            return true
        }
    }
}
