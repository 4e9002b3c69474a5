import Foundation

/// Reads article text from files and standard input, refusing what is not text.
public enum TextInput {
    /// The largest input read, in bytes.
    public static let byteLimit = 50 * 1024 * 1024

    /// Reads a file, or standard input when `path` is `-`, as UTF-8 text.
    /// - Throws: ``IngestError`` for a missing file, a folder, binary data, invalid UTF-8 or no text.
    public static func read(path: String) throws -> String {
        try decode(readData(path: path), name: path == "-" ? "standard input" : path)
    }

    /// Reads a file's bytes, or standard input's when `path` is `-`, up to ``byteLimit``.
    /// - Throws: ``IngestError`` for a missing, unreadable or too large file, or a folder.
    public static func readData(path: String) throws -> Data {
        if path == "-" { return try FileHandle.standardInput.readToEnd() ?? Data() }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw IngestError.missingFile(path: path)
        }
        if isDirectory.boolValue { throw IngestError.isDirectory(path: path) }
        let size =
            ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        if size > byteLimit { throw IngestError.tooLarge(name: path, bytes: size, limit: byteLimit) }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw IngestError.unreadable(
                path: path, reason: (error as NSError).localizedFailureReason ?? "permission denied")
        }
    }

    /// Opens a file for reading in pieces.
    /// - Throws: ``IngestError`` when the file is missing, a folder or unreadable.
    public static func open(path: String) throws -> FileHandle {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw IngestError.missingFile(path: path)
        }
        if isDirectory.boolValue { throw IngestError.isDirectory(path: path) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw IngestError.unreadable(path: path, reason: "permission denied")
        }
        return handle
    }

    /// Decodes bytes as UTF-8 text: a byte-order mark is dropped and line ends become `\n`.
    /// - Throws: ``IngestError`` for binary data, invalid UTF-8 or no text.
    public static func decode(_ data: Data, name: String) throws -> String {
        if data.count > byteLimit {
            throw IngestError.tooLarge(name: name, bytes: data.count, limit: byteLimit)
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.contains(0) { throw IngestError.binary(name: name) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw IngestError.invalidUTF8(name: name, offset: firstInvalidOffset(bytes))
        }
        let controls = text.unicodeScalars.filter {
            $0.value < 0x20 && !["\n", "\r", "\t", "\u{0C}"].contains($0)
        }.count
        if controls > 8 && controls * 100 > text.unicodeScalars.count { throw IngestError.binary(name: name) }
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(
            of: "\r", with: "\n")
        if normalized.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw IngestError.empty(name: name)
        }
        return normalized
    }

    private static func firstInvalidOffset(_ bytes: [UInt8]) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput, .error: return offset
            }
        }
    }
}
