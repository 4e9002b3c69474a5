import Crypto
import Foundation
import ParallaxStore

/// One sync with a remote: its checked files, what was done, and the steps of a pull and a push.
struct RemoteSession {
    let sync: LibrarySync
    let remote: any SyncTransport
    let catalog: RemoteCatalog
    let progress: ((SyncProgress) -> Void)?
    /// The remote's checked files by name.
    private(set) var entries: [String: CatalogEntry] = [:]
    private(set) var report = SyncReport()
    /// Where downloaded bundles and bundles about to go up wait, beside the library.
    private let scratch: ScratchFolder
    /// New bundles of other devices downloaded while checking them, kept so they are not
    /// downloaded twice.
    private var fetched: [String: String] = [:]
    /// What checking those bundles found, so that importing them does not verify them again.
    private var verified: [String: VerifiedBundle] = [:]

    private var library: Library { sync.library }

    /// The most files not seen before that one sync checks; the others wait for the next sync.
    static let maximumChecks = 1_000

    init(sync: LibrarySync, remote: any SyncTransport, progress: ((SyncProgress) -> Void)?) throws {
        self.sync = sync
        self.remote = remote
        self.progress = progress
        catalog = RemoteCatalog(library: sync.library, location: remote.address)
        scratch = try ScratchFolder(beside: sync.library.path)
        try refresh()
    }

    // MARK: - Pull

    /// Imports the other devices' bundles this library has not applied, snapshots first and then
    /// passing again while a pass makes progress, since bundles may continue from one another in
    /// any order of names. Then publishes what this library has applied.
    mutating func pull(encryptionKey: SymmetricKey?) throws {
        var pending = try entries.values.filter { entry in
            guard entry.kind == .bundle, entry.device != library.deviceID, let bundle = entry.bundle else {
                return false
            }
            return try !sync.hasReceipt(bundle: bundle)
        }.sorted { ($0.isSnapshot ? 0 : 1, $0.name) < ($1.isSnapshot ? 0 : 1, $1.name) }
        let total = pending.count
        var reasons: [String: String] = [:]
        var progressed = true
        while progressed && !pending.isEmpty {
            progressed = false
            for entry in pending {
                progress?(SyncProgress(step: .importing, done: total - pending.count, total: total))
                let path = remote.location(of: entry.name)
                // A bundle whose changes all arrived some other way (a snapshot) need not be read.
                if try library.versionVector().covers(entry.vector) {
                    pending.removeAll { $0.name == entry.name }
                    progressed = true
                    continue
                }
                do {
                    let file =
                        try fetched[entry.name] ?? remote.localPath(of: entry.name) ?? download(entry.name)
                    fetched[entry.name] = file
                    let imported = try sync.importBundle(
                        at: file, name: path, verified: verified[entry.name], encryptionKey: encryptionKey)
                    pending.removeAll { $0.name == entry.name }
                    report.imported.append(imported)
                    progressed = true
                } catch let error as SyncError where !error.isRemoteFailure {
                    pending.removeAll { $0.name == entry.name }
                    report.skipped.append((path, error.errorDescription ?? "\(error)"))
                } catch let error as LibraryError where error.isMissingEarlierChanges {
                    reasons[entry.name] =
                        "\(path): " + (error.errorDescription ?? "it continues from changes not seen yet")
                } catch let error as LibraryError {
                    guard case .invalidChange = error else { throw error }
                    pending.removeAll { $0.name == entry.name }
                    report.skipped.append((path, "\(path): " + (error.errorDescription ?? "\(error)")))
                }
            }
        }
        for entry in pending {
            report.skipped.append(
                (remote.location(of: entry.name), reasons[entry.name] ?? "it could not be imported"))
        }
        fetched = [:]
        verified = [:]
        scratch.empty()
        try publishApplied()
    }

    /// Writes this device's applied vector, unless the remote has it already.
    private mutating func publishApplied() throws {
        let vector = try library.versionVector()
        guard
            !entries.values.contains(where: {
                $0.kind == .applied && $0.device == library.deviceID && $0.vector == vector
            })
        else { return }
        let (name, data) = try sync.appliedVector()
        try remote.write(name, data)
        try add(CatalogEntry(name: name, applied: AppliedVector.decode(data, name: name), bytes: data.count))
    }

    // MARK: - Push

    /// Writes what the remote's files do not hold (or a snapshot), then prunes.
    mutating func push(encryptionKey: SymmetricKey?, compact: Bool, prune: Bool = true) throws {
        // Every push, compaction included, while another device's encrypted bundle is there.
        if encryptionKey == nil
            && entries.values.contains(where: { $0.encrypted && $0.device != library.deviceID })
        {
            throw SyncError.remoteEncrypted(location: remote.address)
        }
        if compact {
            try writeSnapshot(encryptionKey: encryptionKey)
        } else {
            // Only this device's own bundles, and snapshots every known device has applied, say
            // what every reader of the remote can have: a reader may not trust, or not have
            // imported, another device's bundles (docs/bundle-format.md, "Remotes").
            let covered = try pruningPlan().readersHold
            // An empty vector would make a snapshot of nothing new: only write when there is a change.
            if try library.hasChanges(since: covered) {
                report.written = try upload(since: covered, encryptionKey: encryptionKey)
            }
        }
        guard prune else { return }
        var plan = try pruningPlan()
        if !compact && plan.needsSnapshot {
            try writeSnapshot(encryptionKey: encryptionKey)
            plan = try pruningPlan()
        }
        for (index, entry) in plan.deletable.sorted(by: { $0.name < $1.name }).enumerated() {
            progress?(SyncProgress(step: .pruning, done: index, total: plan.deletable.count))
            try remote.delete(entry.name)
            try catalog.remove([entry.name])
            entries[entry.name] = nil
            report.pruned.append(remote.location(of: entry.name))
        }
    }

    private mutating func writeSnapshot(encryptionKey: SymmetricKey?) throws {
        report.snapshot = try upload(since: VersionVector(), encryptionKey: encryptionKey)
    }

    /// Writes a bundle of the changes above `since` to a file and uploads it; nil when there
    /// are none (a snapshot, from an empty vector, is always written).
    private mutating func upload(since: VersionVector, encryptionKey: SymmetricKey?) throws -> String? {
        let path = scratch.path("outgoing.pxb")
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard
            let header = try sync.exportBundle(
                since: since, to: path, encryptionKey: encryptionKey, allowEmpty: since.counters.isEmpty)
        else { return nil }
        progress?(SyncProgress(step: .uploading, done: 0, total: 1))
        let name = "\(library.deviceID.prefix(10))-\(header.bundle).pxb"
        try remote.upload(name, from: path)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
        try add(CatalogEntry(name: name, header: header, bytes: bytes))
        return remote.location(of: name)
    }

    /// Downloads a file of the remote into the scratch folder.
    private func download(_ name: String) throws -> String {
        let path = scratch.path(name)
        do {
            try remote.download(name, to: path)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        return path
    }

    private func pruningPlan() throws -> PruningPlan {
        let devices = try sync.trustedDevices()
        return PruningPlan(
            entries: Array(entries.values), device: library.deviceID, applied: try library.versionVector(),
            trusted: Set(devices.filter { $0.revoked == nil }.map(\.id)),
            forgotten: try SyncRemotes(library: library).forgottenDevices()
                .union(devices.filter { $0.revoked != nil }.map(\.id)))
    }

    private mutating func add(_ entry: CatalogEntry) throws {
        try catalog.record([entry])
        entries[entry.name] = entry
    }

    // MARK: - Listing

    /// Lists the remote and checks the files not seen before, at most ``maximumChecks`` of them;
    /// a file that does not check is skipped, and waits before it is tried again
    /// (``RemoteCatalog/retryDelay(failures:)``).
    private mutating func refresh() throws {
        let listing = try remote.list().filter { RemoteFileName.isListed($0.name) }
        var known = try catalog.entries()
        let listed = Dictionary(listing.map { ($0.name, $0) }) { first, _ in first }
        // A file gone, or whose size changed, is forgotten (and read again if it is there).
        let stale = known.values.filter { entry in
            guard let file = listed[entry.name] else { return true }
            return file.bytes.map { $0 != entry.bytes } ?? false
        }.map(\.name)
        try catalog.remove(stale)
        for name in stale { known[name] = nil }
        let failures = try catalog.failures()
        try catalog.forgetFailures(failures.keys.filter { listed[$0] == nil })
        let now = library.environment.now()
        let trustedKeys = Set(
            try sync.trustedDevices().filter { $0.revoked == nil }.map {
                LibrarySync.fingerprint(of: $0.publicKey)
            })
        var due: [RemoteFile] = []
        var waiting: [RemoteFailure] = []
        for file in listed.values.sorted(by: { $0.name < $1.name }) where known[file.name] == nil {
            if let failure = failures[file.name],
                failure.waits(at: Timestamp.string(from: now), listed: file, trustedKeys: trustedKeys)
            {
                waiting.append(failure)
            } else {
                due.append(file)
            }
        }
        // Files never tried go first, so files that keep failing cannot hold them back.
        due = due.filter { failures[$0.name] == nil } + due.filter { failures[$0.name] != nil }
        let checking = due.prefix(Self.maximumChecks)
        var checked: [CatalogEntry] = []
        var failed: [(file: RemoteFile, signer: String?, reason: String)] = []
        var stopped: SyncError?
        for (index, file) in checking.enumerated() {
            progress?(SyncProgress(step: .checking, done: index, total: checking.count))
            let path = remote.location(of: file.name)
            do {
                try Self.checkSize(file, path: path)
                checked.append(try check(file.name, path: path))
            } catch let error as SyncError {
                if case .remoteAuthentication = error {
                    stopped = error
                    break
                }
                failed.append((file, Self.signer(error), error.errorDescription ?? "\(error)"))
                // A server that stalls on one file stops this sync, and that file waits its turn.
                if error.isRemoteFailure {
                    stopped = error
                    break
                }
                report.skipped.append((path, error.errorDescription ?? "\(error)"))
            }
        }
        // Kept even when the remote failed midway, so the next sync goes on from there.
        try catalog.record(checked)
        try catalog.forgetFailures(checked.map(\.name))
        try catalog.recordFailures(failed, now: now)
        if let stopped { throw stopped }
        report.skipped += Self.waitingLines(waiting, remote: remote)
        if due.count > checking.count {
            report.skipped.append(
                (
                    remote.address,
                    "\(remote.address): \(due.count - checking.count) new files wait for the next sync "
                        + "(one sync checks at most \(Self.maximumChecks))"
                ))
        }
        entries = known.merging(checked.map { ($0.name, $0) }) { _, new in new }
        // A file that has seen more of this device than it has means this library is a copy.
        for entry in entries.values.sorted(by: { $0.name < $1.name }) {
            if let succession = try sync.checkNotBehind(entry.vector, peer: entry.device) {
                report.succession = succession
            }
        }
    }

    private mutating func check(_ name: String, path: String) throws -> CatalogEntry {
        if name.hasSuffix(".\(AppliedVector.fileExtension)") {
            let data = try remote.read(name, prefix: AppliedVector.maximumBytes)
            let note = try AppliedVector.decode(data, name: path)
            try sync.signerCheck(path: path)(note.device, note.publicKey)
            return CatalogEntry(name: name, applied: note, bytes: data.count)
        }
        // A folder remote's file is read where it is; another is downloaded once, and kept for
        // the import when it is another device's.
        let local = remote.localPath(of: name)
        let file = try local ?? download(name)
        let bundle: VerifiedBundle
        do {
            bundle = try sync.verifiedBundle(at: file, name: path)
        } catch {
            // Not kept until the sync ends: a listing of junk would fill the disk.
            if local == nil { try? FileManager.default.removeItem(atPath: file) }
            throw error
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int ?? 0
        let header = bundle.header
        if header.device != library.deviceID {
            fetched[name] = file
            verified[name] = bundle
        } else if local == nil {
            try? FileManager.default.removeItem(atPath: file)
        }
        return CatalogEntry(name: name, header: header, bytes: bytes)
    }

    /// Refuses, by the listing alone, a file larger than its kind may be, before reading a byte.
    static func checkSize(_ file: RemoteFile, path: String) throws {
        guard let bytes = file.bytes else { return }
        if file.name.hasSuffix(".\(AppliedVector.fileExtension)") {
            guard bytes <= AppliedVector.maximumBytes else {
                throw SyncError.invalidVector(path: path, reason: "it is larger than 1 MiB")
            }
        } else if bytes > BundleFormat.maximumFileBytes {
            throw SyncError.malformed(path: path, reason: "it is larger than a bundle may be")
        }
    }

    /// The fingerprint of the key a file was signed with, when the failure was that the key is
    /// not trusted here: once it is, the file is tried again at once.
    static func signer(_ error: SyncError) -> String? {
        guard case .untrusted(_, _, let fingerprint) = error else { return nil }
        return fingerprint
    }

    /// The most files waiting for their next try that a report names one by one.
    static let namedWaiting = 20

    /// What a report says of the files that wait for their next try.
    static func waitingLines(_ waiting: [RemoteFailure], remote: any SyncTransport) -> [(String, String)] {
        var lines = waiting.prefix(namedWaiting).map { failure in
            (
                remote.location(of: failure.name),
                "\(failure.reason) (failed \(failure.failures == 1 ? "once" : "\(failure.failures) times"); "
                    + "tried again after \(failure.nextTry))"
            )
        }
        if waiting.count > namedWaiting {
            lines.append(
                (
                    remote.address,
                    "\(remote.address): \(waiting.count - namedWaiting) more files that did not check wait "
                        + "for their next try"
                ))
        }
        return lines
    }
}

/// A folder beside the library for files on their way in or out, removed when done: a bundle
/// may be larger than memory, and beside the library it is on a disk with room for the library.
final class ScratchFolder {
    let path: String

    init(beside libraryPath: String) throws {
        let folder = FilePaths.folder(of: libraryPath)
        let parent = folder.isEmpty ? "." : folder
        Self.sweep(parent)
        path = (parent as NSString).appendingPathComponent(
            "\(Self.prefix)\(getpid())-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw LibraryError.notWritable(path: folder)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func path(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    static let prefix = ".parallax-sync-"

    /// Removes the scratch folders of syncs whose process is gone (killed, or the machine
    /// stopped): their names carry the process id, and no live sync uses them.
    static func sweep(_ parent: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }),
                pid != getpid(), kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            try? FileManager.default.removeItem(atPath: (parent as NSString).appendingPathComponent(name))
        }
    }

    /// Removes what the folder holds.
    func empty() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            try? FileManager.default.removeItem(atPath: self.path(name))
        }
    }
}
