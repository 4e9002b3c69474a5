import Foundation

/// A folder Parallax writes whole (a Markdown export, a dataset): made beside its path and
/// swapped into place, so the path holds the whole new folder or the old one, never half.
///
/// A folder already at the path is replaced only when it is empty or holds nothing but the
/// files an earlier output of this kind wrote, as its marker file lists them: a user's own
/// folder, which may hold an `index.md` or a `manifest.json` too, is never lost.
public struct OutputFolder: Sendable {
    /// Where it goes.
    public let path: String
    /// What it is, for messages ("a Markdown export", "a dataset").
    public let kind: String
    /// The file, inside the folder, that lists every file the output wrote, one a line.
    public let markerName: String

    /// Describes an output folder.
    public init(path: String, kind: String, markerName: String) {
        self.path = path
        self.kind = kind
        self.markerName = markerName
    }

    /// Checks that the path can take the folder.
    /// - Throws: ``OutputFileError``.
    public func checkDestination() throws {
        var isDirectory: ObjCBool = false
        let manager = FileManager.default
        let destination = URL(fileURLWithPath: path)
        let parent = destination.deletingLastPathComponent().path
        guard manager.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw OutputFileError.notWritable(path: path, reason: "no folder \(parent)")
        }
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw OutputFileError.inUse(path: path, reason: "a file; \(kind) is written to a folder")
        }
        let contents = (try? manager.contentsOfDirectory(atPath: path)) ?? []
        if contents.isEmpty { return }
        let marker = destination.appendingPathComponent(markerName)
        let written = Set(
            ((try? String(contentsOf: marker, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        )
        let others = contents.filter { name in
            var isFolder: ObjCBool = false
            // A name gone since the listing is no one's file.
            let exists = manager.fileExists(
                atPath: destination.appendingPathComponent(name).path, isDirectory: &isFolder)
            return exists && name != markerName && (isFolder.boolValue || !written.contains(name))
        }
        guard written.isEmpty || !others.isEmpty else { return }
        throw OutputFileError.inUse(
            path: path,
            reason: others.isEmpty || written.isEmpty
                ? "the folder holds files Parallax did not write; choose a new or empty folder"
                : "the folder holds \(others.count) file\(others.count == 1 ? "" : "s") Parallax did not write "
                    + "(\(others.prefix(3).joined(separator: ", "))); move them or choose another folder")
    }

    /// Lets `body` fill a new folder beside the path, writes the marker listing what it holds,
    /// and swaps it into place.
    /// - Returns: What `body` returns.
    public func write<Result>(_ body: (URL) throws -> Result) throws -> Result {
        try checkDestination()
        let manager = FileManager.default
        let destination = URL(fileURLWithPath: path)
        let staging = destination.deletingLastPathComponent().appendingPathComponent(
            ".\(destination.lastPathComponent).partial-\(UUID().uuidString.prefix(8))")
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
            let result = try body(staging)
            let files = try manager.contentsOfDirectory(atPath: staging.path).sorted()
            try Data((files.joined(separator: "\n") + "\n").utf8).write(
                to: staging.appendingPathComponent(markerName))
            try moveIntoPlace(staging, destination)
            return result
        } catch let error as CocoaError {
            try? manager.removeItem(at: staging)
            let reason = (error.underlying as? POSIXError).map { String(cString: strerror($0.code.rawValue)) }
            throw OutputFileError.notWritable(path: path, reason: reason ?? "the file system refused it")
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
    }
}

private extension OutputFolder {
    func moveIntoPlace(_ staging: URL, _ destination: URL) throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: destination.path) else {
            try manager.moveItem(at: staging, to: destination)
            return
        }
        let previous = destination.deletingLastPathComponent().appendingPathComponent(
            ".\(destination.lastPathComponent).previous-\(UUID().uuidString.prefix(8))")
        try manager.moveItem(at: destination, to: previous)
        do {
            try manager.moveItem(at: staging, to: destination)
        } catch {
            try? manager.moveItem(at: previous, to: destination)
            throw error
        }
        try? manager.removeItem(at: previous)
    }
}
