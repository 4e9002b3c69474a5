import Crypto
import Foundation
import ParallaxStore

/// A remote reached: its record, the transport that moves bundles through it, and the shared key
/// its bundles are encrypted with, if it has one.
public struct ConnectedRemote {
    /// The remote as the library records it.
    public let remote: SyncRemote
    /// How bundles reach it.
    public let transport: any SyncTransport
    /// The key of its `--key-file`, read now.
    public let key: SymmetricKey?
}

extension SyncRemotes {
    /// Connects to the remote named `name`, or to the only one when `name` is nil: the one way
    /// both front ends reach a remote, so they find its password and key by the same rules.
    /// - Parameter ask: Asks the user for a WebDAV password, given a prompt; nil where no one can
    ///   be asked (the reading app), so it comes from the environment or `~/.netrc`.
    /// - Throws: ``SyncError`` when no remote has the name, or it cannot be reached or its key read.
    public func connect(named name: String?, ask: ((String) -> String?)? = nil) throws -> ConnectedRemote {
        let remote = try named(name)
        let transport = try remote.connect(with: RemoteCredentials.find(for: remote, ask: ask))
        return ConnectedRemote(
            remote: remote, transport: transport, key: try remote.keyFile.map(SharedKeyFile.read))
    }
}
