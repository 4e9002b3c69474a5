import Foundation
import GRDB
import ParallaxStore

/// A place a library syncs through, by the name the user gave it: a folder, or a WebDAV collection.
///
/// A remote's password is never stored: it comes from the environment, `~/.netrc` or a prompt
/// each time (``RemoteCredentials``).
public struct SyncRemote: Codable, Hashable, Sendable {
    /// The name the user gave it, such as `home` or `usb`.
    public var name: String
    /// An absolute folder path, or an `http(s)://` address of a WebDAV collection.
    public var location: String
    /// The user name a WebDAV server is logged in with, if any.
    public var user: String?
    /// Whether plain `http://` to another machine was allowed when it was added.
    public var insecure: Bool
    /// The file holding the shared library key its bundles are encrypted with, if any.
    public var keyFile: String?
    /// When it was added.
    public var added: String

    /// Whether it is a WebDAV collection rather than a folder.
    public var isWebDAV: Bool { Self.isAddress(location) }

    static func isAddress(_ location: String) -> Bool {
        let lowered = location.lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
    }
}

/// The remotes of one library: what `sync remote add`, `list` and `remove` change.
public struct SyncRemotes: Sendable {
    /// The library they belong to.
    public let library: Library

    /// The remotes of a library.
    public init(library: Library) { self.library = library }

    /// Adds a remote.
    ///
    /// A folder path is made absolute, so the remote means the same folder from any directory.
    /// - Throws: ``SyncError/remoteExists(name:)`` when the name or location is taken;
    ///   ``SyncError/invalidRemote(name:reason:)`` for a name or address that cannot be used.
    @discardableResult
    public func add(
        name: String, location: String, user: String? = nil, insecure: Bool = false, keyFile: String? = nil
    ) throws -> SyncRemote {
        try Self.checkName(name)
        let remote = SyncRemote(
            name: name, location: try Self.normalized(location, name: name), user: user, insecure: insecure,
            keyFile: keyFile.map(Self.absolute), added: library.environment.timestamp())
        try library.syncTables.write("add a remote") { db in
            if let taken = try Row.fetchOne(
                db,
                sql: "SELECT name FROM sync_remote WHERE name = ? OR location = ?",
                arguments: [name, remote.location])
            {
                throw SyncError.remoteExists(name: taken[Column.name])
            }
            try db.execute(
                literal: """
                    INSERT INTO sync_remote (name, location, user, insecure, key_file, added)
                    VALUES (\(remote.name), \(remote.location), \(remote.user), \(remote.insecure),
                            \(remote.keyFile), \(remote.added))
                    """)
        }
        return remote
    }

    /// Every remote, by name.
    public func all() throws -> [SyncRemote] {
        try library.syncTables.read("read remotes") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sync_remote ORDER BY name").map(Self.remote(from:))
        }
    }

    /// Removes a remote and what was learnt about its files (those that failed too); the files
    /// themselves stay.
    /// - Throws: ``SyncError/unknownRemote(name:known:)``.
    public func remove(named name: String) throws {
        let remote = try named(name)
        try library.syncTables.write("remove a remote") { db in
            try db.execute(literal: "DELETE FROM sync_remote WHERE name = \(remote.name)")
            try db.execute(literal: "DELETE FROM sync_remote_file WHERE location = \(remote.location)")
            try db.execute(literal: "DELETE FROM sync_remote_failure WHERE location = \(remote.location)")
        }
    }

    /// The remote of that name, or the only one when `name` is nil.
    /// - Throws: ``SyncError/unknownRemote(name:known:)``, or ``SyncError/noRemoteNamed(known:)``
    ///   when no name was given and there is not exactly one remote.
    public func named(_ name: String?) throws -> SyncRemote {
        let remotes = try all()
        guard let name else {
            guard remotes.count == 1 else { throw SyncError.noRemoteNamed(known: remotes.map(\.name)) }
            return remotes[0]
        }
        guard let remote = remotes.first(where: { $0.name == name }) else {
            throw SyncError.unknownRemote(name: name, known: remotes.map(\.name))
        }
        return remote
    }

    /// Stops waiting for a device before pruning remotes: its files may then be deleted by
    /// anyone once every other device has applied them.
    public func forget(device: String) throws {
        try library.syncTables.write("forget a device") { db in
            try db.execute(
                literal: """
                    INSERT OR IGNORE INTO sync_forgotten (device, forgotten)
                    VALUES (\(device), \(library.environment.timestamp()))
                    """)
        }
    }

    /// The devices whose files were seen on any remote.
    func devicesSeenOnRemotes() throws -> Set<String> {
        try library.syncTables.read("read remotes' devices") { db in
            Set(try String.fetchAll(db, sql: "SELECT DISTINCT device FROM sync_remote_file"))
        }
    }

    /// The devices forgotten with ``forget(device:)``.
    public func forgottenDevices() throws -> Set<String> {
        try library.syncTables.read("read forgotten devices") { db in
            Set(try String.fetchAll(db, sql: "SELECT device FROM sync_forgotten"))
        }
    }
}

// MARK: - Columns and checks

private extension SyncRemotes {
    enum Column {
        static let name = "name"
        static let location = "location"
        static let user = "user"
        static let insecure = "insecure"
        static let keyFile = "key_file"
        static let added = "added"
    }

    static func remote(from row: Row) -> SyncRemote {
        SyncRemote(
            name: row[Column.name], location: row[Column.location], user: row[Column.user],
            insecure: row[Column.insecure], keyFile: row[Column.keyFile], added: row[Column.added])
    }

    /// A name is a short word, so that `sync NAME` cannot be taken for a path or an option.
    static func checkName(_ name: String) throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard !name.isEmpty, name.count <= 64, !name.hasPrefix("-"), !name.hasPrefix("."),
            name.unicodeScalars.allSatisfy(allowed.contains)
        else {
            throw SyncError.invalidRemote(
                name: name, reason: "a remote's name is up to 64 letters, digits, '-', '_' or '.'")
        }
    }

    static func normalized(_ location: String, name: String) throws -> String {
        guard SyncRemote.isAddress(location) else {
            guard !location.isEmpty, !location.contains("://") else {
                throw SyncError.invalidRemote(
                    name: name, reason: "'\(location)' is neither a folder nor an http(s) address")
            }
            return absolute(location)
        }
        guard let url = URL(string: location), url.host?.isEmpty == false else {
            throw SyncError.invalidRemote(name: name, reason: "'\(location)' is not a valid address")
        }
        guard url.user == nil && url.password == nil else {
            throw SyncError.invalidRemote(
                name: name,
                reason: "the address holds a user name or password; give --user, and the password "
                    + "through PARALLAX_DAV_PASSWORD or ~/.netrc, so it is never stored")
        }
        return url.absoluteString.hasSuffix("/") ? url.absoluteString : url.absoluteString + "/"
    }

    static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        guard !expanded.hasPrefix("/") else { return (expanded as NSString).standardizingPath }
        let joined = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(expanded)
        return (joined as NSString).standardizingPath
    }
}

// MARK: - Connecting

extension SyncRemote {
    /// The transport that reaches this remote; a WebDAV collection is checked, and made when
    /// missing, as it connects.
    ///
    /// - Throws: ``SyncError`` when the server cannot be reached or refuses the credentials;
    ///   ``LibraryError`` when a folder cannot be made.
    /// - Parameter creating: Whether a missing folder or collection is made: when the remote is
    ///   added, not when it is synced (a missing folder is then an unmounted drive).
    public func connect(with credentials: RemoteCredentials, creating: Bool = false) throws
        -> any SyncTransport
    {
        guard isWebDAV else { return try FolderTransport(path: location, creating: creating) }
        guard let url = URL(string: location) else {
            throw SyncError.invalidRemote(name: name, reason: "'\(location)' is not a valid address")
        }
        return try WebDAVTransport(
            url: url, user: credentials.user, password: credentials.password, insecure: insecure)
    }
}
