import Foundation
import ParallaxStore
import ParallaxSync
import ParallaxTestSupport

/// A library with its sync façade, for tests.
final class Replica: @unchecked Sendable {
    let temporary: TemporaryLibrary
    let sync: LibrarySync
    var library: Library { temporary.library }
    var directory: TemporaryDirectory { temporary.directory }

    init() throws {
        temporary = try TemporaryLibrary()
        sync = try LibrarySync(library: temporary.library)
    }

    /// Trusts every other replica, as pairing would.
    static func pairedGroup(_ count: Int) throws -> [Replica] {
        let replicas = try (0..<count).map { _ in try Replica() }
        for replica in replicas {
            for other in replicas where other !== replica {
                _ = try replica.sync.trust(keyLine: other.sync.publicKeyLine)
            }
        }
        return replicas
    }

    func export() throws -> String { try temporary.export() }

    /// Writes a bundle of everything `receiver` is known to lack and returns its path.
    func bundle(for receiver: Replica? = nil, name: String = "out.pxb") throws -> String {
        let (data, _) = try sync.exportBundle(for: receiver?.library.deviceID)
        return directory.write("\(UUID().uuidString)-\(name)", data)
    }

    /// Sends what `receiver` lacks, by bundle, and imports it there.
    func send(to receiver: Replica) throws {
        _ = try receiver.sync.importBundle(at: try bundle(for: receiver))
    }
}
