import Foundation

/// Reads a file one line at a time in bounded memory, in time linear in its size.
public struct LineReader: Sequence, IteratorProtocol {
    /// The longest line an import reads: 32 MiB. A longer one is skipped and fails alone.
    public static let maximumLineBytes = 32 << 20

    /// One line of the file.
    public enum Line: Equatable {
        /// The line's bytes, without its newline.
        case text(Data)
        /// A line longer than ``LineReader/maximumLineBytes``, skipped; how long it was.
        case tooLong(bytes: Int)
    }

    private let handle: FileHandle
    private let limit: Int
    private var buffer = Data()
    /// Where the unread bytes start in `buffer`.
    private var start = 0
    /// Up to where `buffer` is known to hold no newline, so each byte is scanned once.
    private var scanned = 0
    /// The length of a line being skipped for its size, when there is one.
    private var skipped: Int?
    private var finished = false
    private let progress = ReadProgress.current
    /// The number of the line last returned, from 1.
    public private(set) var lineNumber = 0

    /// Opens a file for reading, or standard input for `-`.
    /// - Parameter limit: The longest line returned whole (tests use smaller ones).
    /// - Throws: ``IngestError`` when the file is missing, a folder or unreadable.
    public init(path: String, limit: Int = maximumLineBytes) throws {
        self.init(handle: path == "-" ? .standardInput : try TextInput.open(path: path), limit: limit)
    }

    /// Reads an open file, a pipe or a terminal.
    init(handle: FileHandle, limit: Int = maximumLineBytes) {
        self.handle = handle
        self.limit = limit
    }

    /// The index of the first newline after `scanned`, found by `memchr`: a generic search
    /// through `Data`'s indexes cost more than decoding the line.
    private func nextNewline() -> Int? {
        buffer.withUnsafeBytes { bytes -> Int? in
            let offset = scanned - buffer.startIndex
            guard let base = bytes.baseAddress, offset < bytes.count,
                let found = memchr(base + offset, 0x0A, bytes.count - offset)
            else { return nil }
            return buffer.startIndex + base.distance(to: UnsafeRawPointer(found))
        }
    }

    /// The next line, or nil at the end.
    public mutating func next() -> Line? {
        while true {
            if let newline = nextNewline() {
                defer {
                    start = newline + 1
                    scanned = start
                    lineNumber += 1
                }
                let length = (skipped ?? 0) + newline - start
                skipped = nil
                return length > limit ? .tooLong(bytes: length) : .text(Data(buffer[start..<newline]))
            }
            scanned = buffer.endIndex
            if buffer.endIndex - start > limit {
                skipped = (skipped ?? 0) + buffer.endIndex - start
                buffer = Data()
                (start, scanned) = (0, 0)
            }
            if finished {
                defer { (buffer, start, scanned, skipped) = (Data(), 0, 0, nil) }
                let length = (skipped ?? 0) + buffer.endIndex - start
                guard length > 0 else { return nil }
                lineNumber += 1
                return length > limit ? .tooLong(bytes: length) : .text(Data(buffer[start...]))
            }
            if start > 0 {
                buffer.removeSubrange(0..<start)
                (scanned, start) = (scanned - start, 0)
            }
            let count = readChunk()
            if count > 0 {
                progress?.advance(by: count)
            } else {
                finished = true
            }
        }
    }

    /// Appends what one read(2) gives, up to 64 KiB, to `buffer`; 0 at the end or on an error.
    ///
    /// One read, not FileHandle's `read(upToCount:)`, which waits until it has the whole count:
    /// on a pipe, lines that have arrived are handed on, rather than held until 64 KiB more
    /// come or the writer closes it.
    private mutating func readChunk() -> Int {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let descriptor = handle.fileDescriptor
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return 0 }
            buffer.append(contentsOf: chunk[..<count])
            return count
        }
    }
}
