import Foundation
import ParallaxStore

/// A file directly in a remote, as its listing names it.
public struct RemoteFile: Hashable, Sendable {
    /// Its name.
    public var name: String
    /// Its size in bytes, when the listing says.
    public var bytes: Int?

    /// A file of a listing.
    public init(name: String, bytes: Int?) {
        self.name = name
        self.bytes = bytes
    }
}

/// A place bundles are exchanged through: a folder (a USB stick, a folder kept in step by
/// Syncthing or Dropbox) or a WebDAV collection.
///
/// A remote is a flat set of immutable, content-named bundle files. Each device writes only its
/// own files, under a temporary name moved into place, so a reader never sees half a file and
/// no lock is needed (docs/bundle-format.md, "Remotes").
public protocol SyncTransport: Sendable {
    /// Where the remote is: a folder's path or a collection's address. What this library learns
    /// about a remote's files is kept under it.
    var address: String { get }
    /// The files directly in the remote; a name that is not one plain file name
    /// (``RemoteFileName``) is left out, and a sync reads only the names Parallax writes.
    func list() throws -> [RemoteFile]
    /// A file's bytes.
    func read(_ name: String) throws -> Data
    /// A file's first `limit` bytes, and one more when it is longer: enough to refuse a small
    /// file that is too long without holding all of it.
    func read(_ name: String, prefix limit: Int) throws -> Data
    /// Writes a file under a temporary name and moves it into place.
    func write(_ name: String, _ data: Data) throws
    /// Deletes a file; one already gone is no error.
    func delete(_ name: String) throws
    /// How messages name a file of the remote: a path or an address.
    func location(of name: String) -> String
    /// Copies a file of the remote to a local path, without holding it in memory.
    func download(_ name: String, to path: String) throws
    /// Writes a local file to the remote as ``write(_:_:)`` does, without holding it in memory.
    func upload(_ name: String, from path: String) throws
    /// The file's path on this machine when it can be read in place (a folder remote), so it is
    /// not copied first; nil otherwise.
    func localPath(of name: String) -> String?
}

extension SyncTransport {
    /// Files are read through ``download(_:to:)``.
    public func localPath(of name: String) -> String? { nil }

    /// Reads the file whole and keeps its start: for remotes whose listing tells a file's true
    /// size, which a sync checks first.
    public func read(_ name: String, prefix limit: Int) throws -> Data {
        try read(name).prefix(limit + 1)
    }

    /// Reads the file whole, then writes it: for remotes whose files are small, or in memory.
    public func download(_ name: String, to path: String) throws {
        let data = try read(name)
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw LibraryError.notWritable(path: path)
        }
    }

    /// Reads the local file whole, then writes it.
    public func upload(_ name: String, from path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LibraryError.notWritable(path: path)
        }
        try write(name, data)
    }
}

/// A folder on this machine as a remote: the layout `sync dir` has always used. Whoever can
/// write to the folder chooses its names, so a file is only ever reached by a plain name in it.
public struct FolderTransport: SyncTransport {
    /// The folder.
    public let path: String

    /// A folder remote, made when it does not exist yet and `creating`.
    ///
    /// A remote that was added is not made again when it is gone: a USB stick that is not
    /// mounted must not turn into an empty folder that bundles are written to.
    /// - Throws: ``LibraryError`` when the path is a file or the folder cannot be made;
    ///   ``SyncError/remote(location:reason:)`` when it is gone and not `creating`.
    public init(path: String, creating: Bool = true) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard creating else {
                throw SyncError.remote(
                    location: path,
                    reason: "the folder is not there (is the drive mounted?); to start a new one, remove the "
                        + "remote and add it again")
            }
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw LibraryError.notWritable(path: path)
            }
        } else if !isDirectory.boolValue {
            throw LibraryError.invalidValue(
                field: "folder", value: path, reason: "it is a file, not a folder")
        }
    }

    /// The folder's path.
    public var address: String { (path as NSString).standardizingPath }

    /// The files in the folder, with their sizes.
    public func list() throws -> [RemoteFile] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
            throw LibraryError.notWritable(path: path)
        }
        return names.filter(RemoteFileName.isPlain).map { name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: location(of: name))
            return RemoteFile(name: name, bytes: (attributes?[.size] as? NSNumber)?.intValue)
        }
    }

    /// A file's bytes.
    public func read(_ name: String) throws -> Data {
        try LibrarySync.readFile(file(name))
    }

    /// Writes a bundle beside its name and renames it into place.
    public func write(_ name: String, _ data: Data) throws {
        // OutputFile writes beside the destination and renames, and never replaces a file that
        // is not a bundle.
        try LibrarySync.bundleFile(at: file(name)).write(data)
    }

    /// The file's path, when it is a plain name: it is read in place (a regular file only).
    public func localPath(of name: String) -> String? {
        RemoteFileName.isPlain(name) ? location(of: name) : nil
    }

    /// Copies a file of the folder.
    public func download(_ name: String, to path: String) throws {
        try LibrarySync.checkRegularFile(file(name), name: location(of: name))
        do {
            try FileManager.default.copyItem(atPath: location(of: name), toPath: path)
        } catch {
            _ = try BundleFile(path: location(of: name))
            throw LibraryError.notWritable(path: path)
        }
    }

    /// Copies a local file beside its name in the folder and renames it into place.
    public func upload(_ name: String, from path: String) throws {
        try LibrarySync.bundleFile(at: file(name)).write { url in
            try? FileManager.default.removeItem(at: url)
            try FileManager.default.copyItem(atPath: path, toPath: url.path)
        }
    }

    /// Deletes a file; one already gone is no error.
    public func delete(_ name: String) throws {
        let file = try file(name)
        do {
            try FileManager.default.removeItem(atPath: file)
        } catch CocoaError.fileNoSuchFile {
            return
        } catch {
            if FileManager.default.fileExists(atPath: location(of: name)) {
                throw LibraryError.notWritable(path: path)
            }
        }
    }

    /// The file's path.
    public func location(of name: String) -> String {
        (path as NSString).appendingPathComponent(name)
    }

    /// The path of a file directly in the folder.
    /// - Throws: ``SyncError/remote(location:reason:)`` for a name that is not one plain file name.
    private func file(_ name: String) throws -> String {
        try RemoteFileName.checkPlain(name, in: address)
        return location(of: name)
    }
}
