import Crypto
import Foundation
import ParallaxStore

// MARK: - Writing bundles

extension LibrarySync {
    /// Writes a bundle of what `device` has not seen (everything when nil or unknown).
    ///
    /// A bundle is written even when it carries no change: its header tells the peer what this
    /// library has seen, so the peer's next bundle can leave that out.
    public func exportBundle(for device: String? = nil, encryptionKey: SymmetricKey? = nil) throws -> (
        Data, BundleHeader
    ) {
        // allowEmpty makes the result non-nil.
        try exportBundle(since: peerVector(device), encryptionKey: encryptionKey, allowEmpty: true)!
    }

    /// Writes a bundle of the changes above `since`, in memory; nil when there are none and
    /// `allowEmpty` is false.
    public func exportBundle(since: VersionVector, encryptionKey: SymmetricKey? = nil, allowEmpty: Bool)
        throws -> (Data, BundleHeader)?
    {
        var data = Data()
        guard
            let header = try writeBundle(
                since: since, encryptionKey: encryptionKey, allowEmpty: allowEmpty,
                spoolFolder: NSTemporaryDirectory(), output: { data.append($0) })
        else { return nil }
        return (data, header)
    }

    /// Writes a bundle of what `device` has not seen to a file, in a stream: memory stays bounded
    /// however large the library. The file is written beside `path` and renamed into place.
    @discardableResult
    public func exportBundle(for device: String? = nil, to path: String, encryptionKey: SymmetricKey? = nil)
        throws -> BundleHeader
    {
        try exportBundle(since: peerVector(device), to: path, encryptionKey: encryptionKey, allowEmpty: true)!
    }

    /// Writes a bundle of the changes above `since` to a file, in a stream; nil, and no file,
    /// when there are none and `allowEmpty` is false.
    public func exportBundle(
        since: VersionVector, to path: String, encryptionKey: SymmetricKey? = nil, allowEmpty: Bool
    ) throws -> BundleHeader? {
        var header: BundleHeader?
        guard try allowEmpty || library.hasChanges(since: since) else { return nil }
        try Self.bundleFile(at: path).write { url in
            guard FileManager.default.createFile(atPath: url.path, contents: nil),
                let handle = FileHandle(forWritingAtPath: url.path)
            else { throw LibraryError.notWritable(path: path) }
            defer { try? handle.close() }
            header = try writeBundle(
                since: since, encryptionKey: encryptionKey, allowEmpty: true,
                spoolFolder: url.deletingLastPathComponent().path,
                output: { try handle.write(contentsOf: $0) })
        }
        return header
    }

    private func peerVector(_ device: String?) throws -> VersionVector {
        try device.flatMap { device in try ledger.peers().first { $0.device == device }?.vector }
            ?? VersionVector()
    }

    private func writeBundle(
        since: VersionVector, encryptionKey: SymmetricKey?, allowEmpty: Bool, spoolFolder: String,
        output: (Data) throws -> Void
    ) throws -> BundleHeader? {
        guard try allowEmpty || library.hasChanges(since: since) else { return nil }
        let header = BundleHeader(
            bundle: library.environment.makeID(), device: library.deviceID,
            publicKey: signingKey.publicKey.rawRepresentation.base64EncodedString(),
            created: library.environment.timestamp(), since: since.counters, vector: [:], records: 0,
            bodies: 0,
            payloadBytes: 0)
        return try BundleFormat.write(
            header: header, signingKey: signingKey, encryptionKey: encryptionKey, spoolFolder: spoolFolder,
            produce: { emit in try library.streamChanges(since: since, emit).vector }, output: output)
    }
}

// MARK: - Reading bundles

extension LibrarySync {
    /// Checks a bundle file and merges it in one transaction, reading it a chunk at a time: its
    /// checksum and signature over every byte first, then its payload into the merge.
    /// - Throws: ``SyncError`` for a bundle that fails any check; the library is then unchanged.
    public func importBundle(at path: String, dryRun: Bool = false, encryptionKey: SymmetricKey? = nil) throws
        -> BundleImport
    {
        try importBundle(at: path, name: path, dryRun: dryRun, encryptionKey: encryptionKey)
    }

    /// Imports a bundle file named otherwise in messages (the remote address it came from).
    /// - Parameter verified: The bundle as a listing already verified it, so its signature is not
    ///   checked again; its bytes are still hashed as the merge reads them.
    func importBundle(
        at path: String, name: String, verified: VerifiedBundle? = nil, dryRun: Bool = false,
        encryptionKey: SymmetricKey?
    ) throws -> BundleImport {
        try importBundle(
            from: BundleFile(path: path, name: name), name: name, verified: verified, dryRun: dryRun,
            encryptionKey: encryptionKey)
    }

    /// Checks a bundle's bytes, wherever they came from, and merges them in one transaction.
    /// - Parameter name: How messages name the bundle: its path or address.
    /// - Throws: ``SyncError`` for a bundle that fails any check; the library is then unchanged.
    public func importBundle(
        _ data: Data, name path: String, dryRun: Bool = false, encryptionKey: SymmetricKey? = nil
    ) throws -> BundleImport {
        try importBundle(from: data, name: path, verified: nil, dryRun: dryRun, encryptionKey: encryptionKey)
    }

    /// Verifies the bundle once (unless a listing did), then merges its payload in one
    /// transaction as a second thread reads, inflates and checks it.
    private func importBundle(
        from source: any BundleSource, name path: String, verified: VerifiedBundle?, dryRun: Bool,
        encryptionKey: SymmetricKey?
    ) throws -> BundleImport {
        // Read before the merge's transaction: the library is not read again inside it.
        let check = try trustCheck(path: path)
        let bundle = try verified ?? BundleFormat.verify(source, path: path, trust: check)
        let header = bundle.header
        if !dryRun { try checkNotBehind(VersionVector(counters: header.vector), peer: header.device) }
        let now = library.environment.now()
        let summary = try library.apply(
            incoming: Self.incoming(header),
            ledger: BundleReceiptLedger(header: header, timestamp: library.environment.timestamp()),
            dryRun: dryRun
        ) { intake in
            // The payload is read, inflated and checked on its own thread while this one merges;
            // its bytes are hashed as they are read, and a change since they were verified throws.
            let channel = EntryChannel()
            let done = DispatchSemaphore(value: 0)
            let job = UncheckedSendable((source: source, key: encryptionKey, trust: check))
            Thread.detachNewThread {
                do {
                    try BundleFormat.readPayload(
                        of: bundle, from: job.value.source, path: path, encryptionKey: job.value.key,
                        now: now,
                        trust: job.value.trust, entries: channel.put)
                    channel.finish(nil)
                } catch {
                    channel.finish(error)
                }
                done.signal()
            }
            defer { done.wait() }
            do {
                while case let entries = try channel.take(), !entries.isEmpty {
                    for entry in entries { try intake.add(entry) }
                }
            } catch {
                channel.cancel()
                throw error
            }
        }
        return BundleImport(path: path, header: header, summary: summary, dryRun: dryRun)
    }

    /// Where a bundle's changes came from, as the merge needs it.
    static func incoming(_ header: BundleHeader) -> IncomingChanges {
        IncomingChanges(
            bundle: header.bundle, since: VersionVector(counters: header.since),
            senderVector: VersionVector(counters: header.vector))
    }

    /// Reads and checks a bundle file without applying it.
    public func verifiedBundle(at path: String, encryptionKey: SymmetricKey? = nil) throws -> (
        BundleHeader, ChangeSet
    ) {
        try verifiedBundle(of: Self.readFile(path), name: path, encryptionKey: encryptionKey)
    }

    /// Checks a bundle's bytes without applying them.
    public func verifiedBundle(of data: Data, name path: String, encryptionKey: SymmetricKey? = nil) throws
        -> (BundleHeader, ChangeSet)
    {
        try BundleFormat.decode(
            data, path: path, encryptionKey: encryptionKey, now: library.environment.now(),
            trust: trustCheck(path: path))
    }

    /// Reads a bundle's header once its checksum, signature and signer are checked, without
    /// reading its payload.
    public func verifiedHeader(of data: Data, name path: String) throws -> BundleHeader {
        try BundleFormat.read(
            data, path: path, encryptionKey: nil, trust: trustCheck(path: path), entries: nil)
    }

    /// Checks a bundle file as ``verifiedHeader(of:name:)`` does, a chunk at a time, and keeps
    /// what the check found, so that an import of the same file need not check it again.
    func verifiedBundle(at path: String, name: String) throws -> VerifiedBundle {
        try BundleFormat.verify(BundleFile(path: path, name: name), path: name, trust: trustCheck(path: name))
    }
}

/// A value handed to one other thread, which alone uses it until the handing thread waits for it.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) { self.value = value }
}
