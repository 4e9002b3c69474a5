import Foundation
import GRDB
import ParallaxStore

/// A file of a remote whose signature and signer this library has checked.
struct CatalogEntry: Hashable, Sendable {
    /// A bundle (a snapshot is one whose `since` is empty) or a published vector.
    enum Kind: String, Sendable {
        case bundle
        case applied
    }

    var name: String
    var kind: Kind
    var device: String
    /// The bundle's id; nil for a published vector.
    var bundle: String?
    var since: VersionVector
    /// What the device had applied when it wrote the file.
    var vector: VersionVector
    var bytes: Int
    /// Whether the bundle's payload is encrypted.
    var encrypted = false

    /// Whether the bundle holds the whole library as of its vector.
    var isSnapshot: Bool { kind == .bundle && since.counters.values.allSatisfy { $0 == 0 } }

    init(name: String, header: BundleHeader, bytes: Int) {
        self.name = name
        kind = .bundle
        device = header.device
        bundle = header.bundle
        since = VersionVector(counters: header.since)
        vector = VersionVector(counters: header.vector)
        self.bytes = bytes
        encrypted = header.encryption != "none"
    }

    init(name: String, applied: AppliedVector, bytes: Int) {
        self.name = name
        kind = .applied
        device = applied.device
        bundle = nil
        since = VersionVector()
        vector = VersionVector(counters: applied.vector)
        self.bytes = bytes
    }

    fileprivate init(row: Row) throws {
        name = row[RemoteCatalog.Column.name]
        guard let kind = Kind(rawValue: row[RemoteCatalog.Column.kind]) else {
            throw LibraryError.database(
                path: "", operation: "read a remote's files", message: "a file of unknown kind is recorded")
        }
        self.kind = kind
        device = row[RemoteCatalog.Column.device]
        bundle = row[RemoteCatalog.Column.bundle]
        since = try Self.vector(row[RemoteCatalog.Column.since])
        vector = try Self.vector(row[RemoteCatalog.Column.vector])
        bytes = row[RemoteCatalog.Column.bytes]
        encrypted = row[RemoteCatalog.Column.encrypted]
    }

    private static func vector(_ text: String) throws -> VersionVector {
        VersionVector(counters: try JSONDecoder().decode([String: Int].self, from: Data(text.utf8)))
    }
}

/// What this library has learnt about one remote's files, kept in `sync_remote_file` so that a
/// sync downloads only files it has not seen.
struct RemoteCatalog {
    enum Column {
        static let location = "location"
        static let name = "name"
        static let kind = "kind"
        static let device = "device"
        static let bundle = "bundle"
        static let since = "since"
        static let vector = "vector"
        static let bytes = "bytes"
        static let encrypted = "encrypted"
    }

    let library: Library
    /// The remote's address.
    let location: String

    /// The recorded files by name.
    func entries() throws -> [String: CatalogEntry] {
        try library.syncTables.read("read a remote's files") { db in
            let rows = try SQLRequest<Row>(
                literal: "SELECT * FROM sync_remote_file WHERE location = \(location)"
            )
            .fetchAll(db)
            return Dictionary(try rows.map { try CatalogEntry(row: $0) }.map { ($0.name, $0) }) { $1 }
        }
    }

    /// Records files whose signature was checked.
    func record(_ entries: [CatalogEntry]) throws {
        guard !entries.isEmpty else { return }
        let encoder = Library.jsonEncoder()
        try library.syncTables.write("record a remote's files") { db in
            for entry in entries {
                let since = String(decoding: try encoder.encode(entry.since.counters), as: UTF8.self)
                let vector = String(decoding: try encoder.encode(entry.vector.counters), as: UTF8.self)
                try db.execute(
                    literal: """
                        INSERT OR REPLACE INTO sync_remote_file
                            (location, name, kind, device, bundle, since, vector, bytes, encrypted)
                        VALUES (\(location), \(entry.name), \(entry.kind.rawValue), \(entry.device),
                                \(entry.bundle), \(since), \(vector), \(entry.bytes), \(entry.encrypted))
                        """)
            }
        }
    }

    /// Forgets files that are gone from the remote.
    func remove(_ names: [String]) throws {
        guard !names.isEmpty else { return }
        try library.syncTables.write("forget a remote's files") { db in
            for name in names {
                try db.execute(
                    literal: "DELETE FROM sync_remote_file WHERE location = \(location) AND name = \(name)")
            }
        }
    }
}

/// A file of a remote that did not check, and when it is tried again (`sync_remote_failure`).
struct RemoteFailure: Hashable, Sendable {
    var name: String
    /// The size the listing gave when it failed.
    var bytes: Int?
    /// Failures in a row.
    var failures: Int
    /// When it may be tried again, as the library stores dates.
    var nextTry: String
    /// The fingerprint of the key that signed it, when that key was not trusted.
    var signer: String?
    /// The line it was reported with.
    var reason: String

    /// Whether it waits still at `now`: a file whose size changed, or whose signing key is
    /// now trusted (by its fingerprint, since any file can claim a trusted device's id), does not.
    func waits(at now: String, listed: RemoteFile, trustedKeys: Set<String>) -> Bool {
        nextTry > now && listed.bytes == bytes && !(signer.map(trustedKeys.contains) ?? false)
    }
}

extension RemoteCatalog {
    /// How long a file that failed `failures` times in a row waits before it is tried again:
    /// 15 minutes, twice as long after each further failure, and at most a day.
    static func retryDelay(failures: Int) -> TimeInterval {
        min(15 * 60 * pow(2, Double(min(max(failures, 1), 20) - 1)), 24 * 3600)
    }

    /// The files that failed, by name.
    func failures() throws -> [String: RemoteFailure] {
        try library.syncTables.read("read a remote's failed files") { db in
            let rows = try SQLRequest<Row>(
                literal: "SELECT * FROM sync_remote_failure WHERE location = \(location)"
            ).fetchAll(db)
            return Dictionary(
                rows.map { row in
                    let failure = RemoteFailure(
                        name: row["name"], bytes: row["bytes"], failures: row["failures"],
                        nextTry: row["next_try"], signer: row["signer"], reason: row["reason"])
                    return (failure.name, failure)
                }
            ) { $1 }
        }
    }

    /// Records files that failed now, each waiting longer than after its last failure, unless
    /// its size changed since.
    func recordFailures(_ failed: [(file: RemoteFile, signer: String?, reason: String)], now: Date) throws {
        guard !failed.isEmpty else { return }
        let earlier = try failures()
        try library.syncTables.write("record a remote's failed files") { db in
            for (file, signer, reason) in failed {
                let previous = earlier[file.name].flatMap { $0.bytes == file.bytes ? $0.failures : nil } ?? 0
                let nextTry = Timestamp.string(
                    from: now.addingTimeInterval(Self.retryDelay(failures: previous + 1)))
                try db.execute(
                    literal: """
                        INSERT OR REPLACE INTO sync_remote_failure
                            (location, name, bytes, failures, next_try, signer, reason)
                        VALUES (\(location), \(file.name), \(file.bytes), \(previous + 1), \(nextTry),
                                \(signer), \(reason))
                        """)
            }
        }
    }

    /// Forgets the failures of files that checked, or are gone.
    func forgetFailures(_ names: [String]) throws {
        guard !names.isEmpty else { return }
        try library.syncTables.write("forget a remote's failed files") { db in
            for name in names {
                try db.execute(
                    literal: "DELETE FROM sync_remote_failure WHERE location = \(location) AND name = \(name)"
                )
            }
        }
    }
}
