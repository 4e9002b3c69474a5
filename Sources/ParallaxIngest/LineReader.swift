import Foundation

/// Reads a file one line at a time in bounded memory.
public struct LineReader: Sequence, IteratorProtocol {
    private let handle: FileHandle
    private var buffer = Data()
    private var finished = false
    /// The number of the line last returned, from 1.
    public private(set) var lineNumber = 0

    /// Opens a file for reading, or standard input for `-`.
    /// - Throws: ``IngestError`` when the file is missing, a folder or unreadable.
    public init(path: String) throws {
        if path == "-" {
            handle = .standardInput
            return
        }
        handle = try TextInput.open(path: path)
    }

    /// The next line without its newline, or nil at the end.
    public mutating func next() -> Data? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = buffer[(newline + 1)...]
                lineNumber += 1
                return Data(line)
            }
            if finished {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = Data() }
                lineNumber += 1
                return Data(buffer)
            }
            let chunk = (try? handle.read(upToCount: 1 << 16)) ?? nil
            if let chunk, !chunk.isEmpty { buffer.append(chunk) } else { finished = true }
        }
    }
}
