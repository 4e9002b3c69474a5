import Foundation

/// A bundle or sync operation that cannot go ahead, with what a user needs to act on it.
public enum SyncError: Error, Equatable, Sendable {
    /// The file is not a bundle, or is damaged; `reason` says where.
    case malformed(path: String, reason: String)
    /// No bundle is at the path, or it went from the remote since the remote was listed.
    case missingBundle(path: String)
    /// The bundle was written by a newer format version.
    case unsupportedVersion(path: String, version: Int)
    /// The bundle's checksum does not match its bytes.
    case checksumMismatch(path: String)
    /// The signature does not verify against the key in the header.
    case badSignature(path: String)
    /// The sending device is not trusted (or was revoked, or its key changed).
    case untrusted(path: String, device: String, fingerprint: String)
    /// The sending device's key was revoked here.
    case revoked(path: String, device: String)
    /// The payload is encrypted and no key was given.
    case cannotDecrypt(path: String)
    /// The key given does not open the payload: another key, or a damaged sealed chunk.
    case keyDoesNotOpen(path: String)
    /// Other devices encrypt their bundles on this remote, and this push has no key: it would
    /// leave this device's changes readable by the server's operator.
    case remoteEncrypted(location: String)
    /// A published vector (`.pxv`) is damaged or not one; `reason` says how.
    case invalidVector(path: String, reason: String)
    /// zlib failed, or the payload is larger than allowed.
    case codec(String)
    /// A key string given to `trust` is not one `sync key` prints.
    case invalidKey(String)
    /// A remote refused a request or could not be reached; `reason` says which and why.
    case remote(location: String, reason: String)
    /// A remote refused the user name or password.
    case remoteAuthentication(location: String)
    /// No remote has that name.
    case unknownRemote(name: String, known: [String])
    /// No remote was named, and the library does not have exactly one.
    case noRemoteNamed(known: [String])
    /// A remote of that name, or at that location, exists already.
    case remoteExists(name: String)
    /// A remote's name or location cannot be used.
    case invalidRemote(name: String, reason: String)
    /// No device known here has an id starting so.
    case unknownDevice(String)
    /// Several devices known here have ids starting so.
    case ambiguousDevice(String, matches: [String])
}

extension SyncError {
    /// Whether a remote could not be reached or refused a request: the sync stops, rather than
    /// skipping the file as one that does not check.
    var isRemoteFailure: Bool {
        switch self {
        case .remote, .remoteAuthentication: true
        default: false
        }
    }
}

extension SyncError: LocalizedError {
    /// One line naming the bundle and the problem.
    public var errorDescription: String? {
        switch self {
        case .malformed(let path, let reason): "\(path) is not a valid Parallax bundle: \(reason)"
        case .missingBundle(let path): "\(path): no such file"
        case .unsupportedVersion(let path, let version):
            version > BundleFormat.readableVersions.upperBound
                ? "\(path) is a version \(version) bundle; this Parallax reads versions 1 to \(BundleFormat.readableVersions.upperBound) (upgrade Parallax)"
                : "\(path) is not a valid Parallax bundle: it claims format version \(version)"
        case .checksumMismatch(let path): "\(path) is damaged: its checksum does not match"
        case .badSignature(let path): "\(path) has an invalid signature: it was altered or forged"
        case .untrusted(let path, let device, let fingerprint):
            "\(path) comes from device \(device.prefix(10)) (key \(fingerprint)), which this library does not trust; "
                + "if that fingerprint is your device's, run 'parallax sync trust \(path)'"
        case .revoked(let path, let device):
            "\(path) comes from device \(device.prefix(10)), whose key was revoked on this library; "
                + "its bundles are refused (trust it again only if you revoked it by mistake)"
        case .cannotDecrypt(let path):
            "\(path) is encrypted: it needs the shared library key it was written with (--key-file)"
        case .keyDoesNotOpen(let path):
            "\(path) does not open with the shared key given: it was written with another key, or a sealed part of it is damaged"
        case .invalidVector(let path, let reason): "\(path) is not a valid published vector: \(reason)"
        case .remoteEncrypted(let location):
            "\(location): the other devices encrypt their bundles there, and no shared key was given; "
                + "add the remote again with --key-file, so this device's changes are not left readable"
        case .codec(let reason): reason
        case .invalidKey(let key): "'\(key)' is not a Parallax device key (see 'parallax sync key')"
        case .remote(let location, let reason): "\(location): \(reason)"
        case .remoteAuthentication(let location):
            "\(location): the server refused the user name or password (PARALLAX_DAV_PASSWORD)"
        case .unknownRemote(let name, let known):
            "no remote is named '\(name)'"
                + (known.isEmpty
                    ? "; add one with 'parallax sync remote add NAME LOCATION'"
                    : " (remotes: \(known.joined(separator: ", ")))")
        case .noRemoteNamed(let known):
            known.isEmpty
                ? "this library has no remote; add one with 'parallax sync remote add NAME LOCATION'"
                : "this library has several remotes; name one of \(known.joined(separator: ", "))"
        case .remoteExists(let name): "a remote named '\(name)' already has that name or location"
        case .invalidRemote(let name, let reason): "cannot use remote '\(name)': \(reason)"
        case .unknownDevice(let prefix):
            "no device known to this library has an id starting '\(prefix)' (see 'parallax sync status')"
        case .ambiguousDevice(let prefix, let matches):
            "'\(prefix)' starts the ids of \(matches.count) devices (\(matches.map { String($0.prefix(12)) }.joined(separator: ", "))); give more of it"
        }
    }
}
