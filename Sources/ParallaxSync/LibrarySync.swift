import Crypto
import Foundation
import ParallaxFiles
import ParallaxStore

/// What importing one bundle did.
public struct BundleImport: Sendable {
    /// The bundle's path.
    public var path: String
    /// Its header.
    public var header: BundleHeader
    /// What merging it changed.
    public var summary: ApplySummary
    /// Whether it was a dry run (nothing was changed).
    public var dryRun: Bool
}

/// What `sync status` shows.
public struct SyncStatus: Codable, Sendable {
    /// This device's id.
    public var device: String
    /// Its key's fingerprint.
    public var fingerprint: String
    /// What this library has seen of each device.
    public var vector: VersionVector
    /// Trusted devices with their fingerprints.
    public var trusted: [TrustedPeer]
    /// What each peer had seen when it last sent a bundle.
    public var peers: [SyncPeer]
    /// The newest imports.
    public var receipts: [BundleReceipt]
}

/// A trusted device as `sync status` lists it.
public struct TrustedPeer: Codable, Sendable {
    /// Its device id.
    public var device: String
    /// Its key's fingerprint.
    public var fingerprint: String
    /// Whether it was revoked.
    public var revoked: Bool
}

/// Sync for one library: bundles out and in, keys and trust.
public final class LibrarySync: Sendable {
    /// The library.
    public let library: Library
    private let signingKeyBytes: Data
    var signingKey: Curve25519.Signing.PrivateKey {
        // The bytes were checked in init, so this cannot fail.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: signingKeyBytes)
    }

    /// Prepares sync for a library, making its signing key on first use.
    public init(library: Library) throws {
        self.library = library
        signingKeyBytes = try SyncLedger(library: library).signingKey {
            Curve25519.Signing.PrivateKey().rawRepresentation
        }
        guard (try? Curve25519.Signing.PrivateKey(rawRepresentation: signingKeyBytes)) != nil else {
            throw LibraryError.database(
                path: library.path, operation: "read the signing key", message: "the stored key is damaged")
        }
    }

    /// Sync's own records: key, trust, peers, receipts.
    var ledger: SyncLedger { SyncLedger(library: library) }

    // MARK: - Keys and trust

    /// This device's key as one line to give to a peer: `parallax-key:DEVICE:BASE64`.
    public var publicKeyLine: String {
        "parallax-key:\(library.deviceID):\(signingKey.publicKey.rawRepresentation.base64EncodedString())"
    }

    /// This device's key fingerprint.
    public var fingerprint: String { Self.fingerprint(of: signingKey.publicKey.rawRepresentation) }

    /// A key's fingerprint: the first 16 bytes of its SHA-256, in groups of four hex digits.
    public static func fingerprint(of publicKey: Data) -> String {
        let hex = SHA256.hash(data: publicKey).prefix(16).map { String(format: "%02x", $0) }.joined()
        return stride(from: 0, to: hex.count, by: 4).map { offset in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return String(hex[start..<hex.index(start, offsetBy: 4)])
        }.joined(separator: ":")
    }

    /// Trusts the device that signed a bundle (its signature must verify).
    /// - Returns: The device id and its key's fingerprint.
    /// A published vector (`.pxv`) names its signer too, so a device seen on a remote only by
    /// its vector can be trusted from it.
    public func trust(bundleAt path: String) throws -> (device: String, fingerprint: String) {
        let (device, publicKey): (String, String)
        if path.hasSuffix(".\(AppliedVector.fileExtension)") {
            let note = try AppliedVector.decode(Self.readFile(path), name: path)
            (device, publicKey) = (note.device, note.publicKey)
        } else {
            let header = try BundleFormat.read(
                BundleFile(path: path), path: path, encryptionKey: nil, trust: { _ in }, entries: nil)
            (device, publicKey) = (header.device, header.publicKey)
        }
        guard let key = Data(base64Encoded: publicKey) else {
            throw SyncError.malformed(path: path, reason: "it has no signer")
        }
        try ledger.trust(device: device, publicKey: key)
        return (device, Self.fingerprint(of: key))
    }

    /// Trusts a device by the key line its `sync key` printed.
    public func trust(keyLine: String) throws -> (device: String, fingerprint: String) {
        let parts = keyLine.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":")
        guard parts.count == 3, parts[0] == "parallax-key", ItemID.isValidDeviceID(String(parts[1])),
            let key = Data(base64Encoded: String(parts[2])),
            (try? Curve25519.Signing.PublicKey(rawRepresentation: key)) != nil
        else { throw SyncError.invalidKey(keyLine) }
        try ledger.trust(device: String(parts[1]), publicKey: key)
        return (String(parts[1]), Self.fingerprint(of: key))
    }

    /// Accepts a bundle signed by this library's own key or by a trusted, unrevoked one.
    ///
    /// Trust belongs to a key, not to a device id: a library that moved to a new device id
    /// (``DeviceSuccession``) keeps signing with its key, so its peers keep trusting it. A device
    /// id trusted with one key is never accepted with another.
    func trustCheck(path: String) throws -> (BundleHeader) throws -> Void {
        let check = try signerCheck(path: path)
        return { header in try check(header.device, header.publicKey) }
    }

    /// Accepts a device id with a base64 public key as ``trustCheck(path:)`` does a bundle's header.
    func signerCheck(path: String) throws -> (_ device: String, _ publicKey: String) throws -> Void {
        let trusted = try ledger.trustedDevices()
        let ownKey = signingKey.publicKey.rawRepresentation
        return { device, publicKey in
            let key = Data(base64Encoded: publicKey) ?? Data()
            let claimed = trusted.first { $0.id == device }
            let keyTrusted = key == ownKey || trusted.contains { $0.publicKey == key && $0.revoked == nil }
            guard keyTrusted, claimed == nil || (claimed?.publicKey == key && claimed?.revoked == nil) else {
                if trusted.contains(where: { $0.publicKey == key && $0.revoked != nil }) {
                    throw SyncError.revoked(path: path, device: device)
                }
                throw SyncError.untrusted(path: path, device: device, fingerprint: Self.fingerprint(of: key))
            }
        }
    }

    /// This device, what it has seen, its peers and its newest imports.
    public func status() throws -> SyncStatus {
        SyncStatus(
            device: library.deviceID, fingerprint: fingerprint, vector: try library.versionVector(),
            trusted: try ledger.trustedDevices().map {
                TrustedPeer(
                    device: $0.id, fingerprint: Self.fingerprint(of: $0.publicKey), revoked: $0.revoked != nil
                )
            },
            peers: try ledger.peers(), receipts: try ledger.receipts())
    }

    static func readFile(_ path: String) throws -> Data {
        try checkRegularFile(path, name: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SyncError.malformed(path: path, reason: "it cannot be read")
        }
        return data
    }
}

extension LibrarySync {
    /// Refuses what is not a regular file before it is opened: a FIFO would block the read
    /// forever, a device would never end, and a folder is not a bundle.
    /// - Parameter name: How messages name the file (the remote file a local copy stands for).
    static func checkRegularFile(_ path: String, name: String) throws {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let type = attributes[.type] as? FileAttributeType
        else { throw SyncError.missingBundle(path: name) }
        switch type {
        case .typeRegular: return
        case .typeDirectory: throw SyncError.malformed(path: name, reason: "it is a folder")
        default: throw SyncError.malformed(path: name, reason: "it is not a regular file")
        }
    }

    /// Where `sync export -o FILE` writes a bundle: it replaces only an earlier bundle.
    public static func bundleFile(at path: String) -> OutputFile {
        OutputFile(path: path, kind: "a bundle") { $0.starts(with: BundleFormat.magic) }
    }

}

// MARK: - Trust, peers and receipts

extension LibrarySync {
    /// The devices this library trusts, revoked ones included.
    public func trustedDevices() throws -> [TrustedDevice] { try ledger.trustedDevices() }

    /// Stops trusting a device and every device that signs with its key (a copy of it); false
    /// when it was not trusted.
    @discardableResult
    public func revoke(device: String) throws -> Bool { try ledger.revoke(device: device) }

    /// What each peer had seen when it last sent a bundle.
    public func peers() throws -> [SyncPeer] { try ledger.peers() }

    /// The imported bundles, newest first.
    public func receipts(limit: Int = 20) throws -> [BundleReceipt] { try ledger.receipts(limit: limit) }

    /// Whether a bundle was imported before.
    public func hasReceipt(bundle: String) throws -> Bool { try ledger.hasReceipt(bundle: bundle) }

    /// Reverts the newest import that changed anything and is not undone yet, as one new change.
    ///
    /// Only what the import changed is reverted, and only while nothing has changed it since.
    /// - Returns: Its receipt, or nil when there is nothing to undo.
    /// - Throws: ``LibraryError/cannotUndo(bundle:reason:)`` when a field the import set was
    ///   changed since, or part of the import's history was pruned; nothing is changed then.
    public func undoLastImport() throws -> BundleReceipt? { try ledger.undoLastImport() }

    /// Deletes the images nothing can need any more (``Library/collectImages(peers:)``), waiting
    /// for every trusted device to have seen what removed them.
    @discardableResult
    public func collectImages() throws -> (images: Int, bytes: Int) {
        try library.collectImages(peers: ledger.trustedPeerVectors())
    }

    /// Moves to a new device id when a peer has seen more of this device than this library has
    /// made (``Library/checkNotBehind(_:peer:acknowledged:)``), stamping again what no peer has.
    @discardableResult
    func checkNotBehind(_ vector: VersionVector, peer: String) throws -> DeviceSuccession? {
        try library.checkNotBehind(vector, peer: peer, acknowledged: ledger.peers().map(\.vector))
    }
}
