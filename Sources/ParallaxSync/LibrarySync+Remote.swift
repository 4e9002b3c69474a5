import Crypto
import Foundation
import ParallaxStore

/// What a sync with a remote did.
public struct SyncReport: Sendable {
    /// Bundles from other devices imported now.
    public var imported: [BundleImport] = []
    /// Files that could not be used, with why (an untrusted device, a file still being copied…),
    /// those that wait for their next try, and, under the remote's address, how many files wait
    /// for a later sync.
    public var skipped: [(path: String, reason: String)] = []
    /// The bundle this device wrote, if it had anything new.
    public var written: String?
    /// The snapshot this device wrote, if it compacted the remote.
    public var snapshot: String?
    /// The files this device deleted from the remote, every known device having applied them.
    public var pruned: [String] = []
    /// Set when a file on the remote showed this library was a copy, and it took a new device id.
    public var succession: DeviceSuccession?
}

/// A step of a sync, for a progress line.
public struct SyncProgress: Sendable {
    /// What is being done.
    public enum Step: Sendable {
        /// Reading the headers of files not seen before.
        case checking
        /// Downloading and merging other devices' bundles.
        case importing
        /// Uploading this device's bundle or snapshot.
        case uploading
        /// Deleting files no device needs.
        case pruning
    }

    /// The step.
    public var step: Step
    /// Files done so far, and in all.
    public var done: Int, total: Int
}

extension LibrarySync {
    /// Imports every bundle of other devices this library has not applied, then publishes what
    /// it has applied, so its peers can prune.
    public func pull(
        from remote: any SyncTransport, encryptionKey: SymmetricKey? = nil,
        progress: ((SyncProgress) -> Void)? = nil
    ) throws -> SyncReport {
        var session = try RemoteSession(sync: self, remote: remote, progress: progress)
        try session.pull(encryptionKey: encryptionKey)
        return session.report
    }

    /// Writes one bundle of what the remote does not already hold, then deletes this device's
    /// files every known device has applied; `compact` writes a snapshot first.
    ///
    /// A push also writes a snapshot on its own when the bundles kept only for devices that may
    /// join later come to more than a share of the last snapshot (``PruningPlan/retainedShare``).
    ///
    /// - Parameter prune: False to leave every file in place and write no snapshot of its own:
    ///   for a remote an older Parallax also reads, or to measure what pruning saves.
    public func push(
        to remote: any SyncTransport, encryptionKey: SymmetricKey? = nil, compact: Bool = false,
        prune: Bool = true, progress: ((SyncProgress) -> Void)? = nil
    ) throws -> SyncReport {
        var session = try RemoteSession(sync: self, remote: remote, progress: progress)
        try session.push(encryptionKey: encryptionKey, compact: compact, prune: prune)
        return session.report
    }

    /// Pulls then pushes, reading the remote's listing once.
    ///
    /// The transport writes under a temporary name and renames, so no reader sees half a
    /// bundle; a file that does not verify (still arriving, or untrusted) is skipped and tried
    /// again next time.
    public func sync(
        through remote: any SyncTransport, encryptionKey: SymmetricKey? = nil, compact: Bool = false,
        prune: Bool = true, progress: ((SyncProgress) -> Void)? = nil
    ) throws -> SyncReport {
        var session = try RemoteSession(sync: self, remote: remote, progress: progress)
        try session.pull(encryptionKey: encryptionKey)
        try session.push(encryptionKey: encryptionKey, compact: compact, prune: prune)
        return session.report
    }

    /// Syncs through a shared folder (see ``sync(through:encryptionKey:compact:prune:progress:)``).
    public func syncFolder(at folder: String, encryptionKey: SymmetricKey? = nil) throws -> SyncReport {
        try sync(through: FolderTransport(path: folder), encryptionKey: encryptionKey)
    }

    /// Stops waiting for a device before pruning remotes (``SyncRemotes/forget(device:)``).
    /// - Parameter prefix: The device's id or its first characters.
    /// - Returns: The device's id.
    /// - Throws: ``SyncError/unknownDevice(_:)`` or ``SyncError/ambiguousDevice(_:matches:)``;
    ///   this device cannot be forgotten.
    @discardableResult
    public func forget(device prefix: String) throws -> String {
        let remotes = SyncRemotes(library: library)
        let known = try remotes.devicesSeenOnRemotes()
            .union(ledger.trustedDevices().map(\.id)).union(ledger.peers().map(\.device))
            .subtracting([library.deviceID])
        let matches = known.filter { $0 == prefix || (!prefix.isEmpty && $0.hasPrefix(prefix)) }.sorted()
        guard matches.count == 1, let device = matches.first else {
            throw matches.isEmpty
                ? SyncError.unknownDevice(prefix) : SyncError.ambiguousDevice(prefix, matches: matches)
        }
        try remotes.forget(device: device)
        return device
    }

    /// The signed note of what this library has applied.
    func appliedVector() throws -> (name: String, data: Data) {
        try AppliedVector(
            device: library.deviceID, publicKey: signingKey.publicKey.rawRepresentation.base64EncodedString(),
            vector: library.versionVector().counters, created: library.environment.timestamp()
        ).encoded(signingKey: signingKey)
    }
}
