import Foundation
import ParallaxStore

/// Why a command's output file could not be written.
public enum OutputFileError: Error, Equatable, Sendable {
    /// Something is at the path that the command did not write, and it is left alone.
    case inUse(path: String, reason: String)
    /// The path cannot be written.
    case notWritable(path: String, reason: String)
}

extension OutputFileError: LocalizedError {
    /// One line naming the path.
    public var errorDescription: String? {
        switch self {
        case .inUse(let path, let reason): "\(path): \(reason)"
        case .notWritable(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}

/// A file a command writes where the user says (`-o PATH`).
///
/// It replaces only an earlier output of the same kind, never another file: a user who points
/// `-o` at the wrong name loses nothing. It is written beside its path first and renamed into
/// place, so the path holds the whole new file or what it held before.
public struct OutputFile: Sendable {
    /// Where it goes.
    public let path: String
    /// What it is, for messages ("a bundle", "a framing report").
    public let kind: String
    /// Whether the first bytes of a file already there show it is an earlier output of this kind.
    public let recognizes: @Sendable (Data) -> Bool

    /// Describes an output file.
    public init(path: String, kind: String, recognizes: @escaping @Sendable (Data) -> Bool) {
        self.path = path
        self.kind = kind
        self.recognizes = recognizes
    }

    /// How many leading bytes ``recognizes`` is shown.
    public static let prefixLength = 8_192

    /// The `<meta name="generator">` that marks an HTML page as one kind of Parallax's output
    /// (`"article page"`, `"framing report"`): each kind names itself, so that `-o` replaces
    /// only a page of its own kind and never another kind's.
    public static func generatorTag(_ kind: String) -> String {
        #"<meta name="generator" content="Parallax \#(kind)">"#
    }

    /// Whether `head` is the start of an HTML page whose head holds ``generatorTag(_:)`` for
    /// `kind`; text in its body, which may quote anything, does not count.
    public static func isPage(_ head: Data, of kind: String) -> Bool {
        let text = String(decoding: head, as: UTF8.self)
        guard let tag = text.range(of: generatorTag(kind)) else { return false }
        return text.range(of: "<body")
            .map { tag.upperBound <= $0.lowerBound } ?? true
    }

    /// Checks that the path can take the file: its folder exists, and nothing is there but an
    /// earlier output of this kind.
    /// - Throws: ``OutputFileError``.
    public func checkDestination() throws {
        guard !path.isEmpty, !path.hasSuffix("/") else {
            throw OutputFileError.inUse(path: path, reason: "it names a folder; give a file name")
        }
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        let folder = FilePaths.folder(of: path)
        guard manager.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw OutputFileError.notWritable(path: path, reason: "no folder \(folder)")
        }
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        if isDirectory.boolValue {
            throw OutputFileError.inUse(path: path, reason: "it is a folder; give a file name")
        }
        let head = FileHandle(forReadingAtPath: path).flatMap { handle in
            defer { try? handle.close() }
            return try? handle.read(upToCount: Self.prefixLength)
        }
        guard let head, head.isEmpty || recognizes(head) else {
            throw OutputFileError.inUse(
                path: path,
                reason: "the file exists and is not \(kind) Parallax wrote; remove it or choose another name")
        }
    }

    /// Writes `data` to the path (see ``checkDestination()``).
    public func write(_ data: Data) throws {
        try write { try data.write(to: $0) }
    }

    /// Lets `body` write the file at a temporary URL beside the path, then renames it into place.
    public func write(_ body: (URL) throws -> Void) throws {
        try checkDestination()
        let url = URL(fileURLWithPath: path)
        let staging = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).partial-\(UUID().uuidString.prefix(8))")
        do {
            try body(staging)
            // rename(2) replaces the old file in one step, so a reader never sees neither.
            guard rename(staging.path, url.path) == 0 else {
                throw OutputFileError.notWritable(path: path, reason: String(cString: strerror(errno)))
            }
        } catch let error as CocoaError {
            try? FileManager.default.removeItem(at: staging)
            let reason = (error.underlying as? POSIXError).map { String(cString: strerror($0.code.rawValue)) }
            throw OutputFileError.notWritable(path: path, reason: reason ?? "the file system refused it")
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }
}

extension OutputFileError: CategorizedError {
    /// The kind of failure: a file the command did not write is in the way.
    public var category: FailureCategory {
        switch self {
        case .inUse: .conflict
        case .notWritable: .notWritable
        }
    }
}
