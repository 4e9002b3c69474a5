import Foundation
import ParallaxStore
import ParallaxSync
import ParallaxTestSupport
import Testing

/// A library with its sync façade, for tests.
final class Replica: @unchecked Sendable {
    let directory: TemporaryDirectory
    let library: Library
    let sync: LibrarySync

    /// A new library, on the system's clock or a test's.
    init(environment: LibraryEnvironment = .system) throws {
        directory = TemporaryDirectory()
        library = try Library.create(at: directory.path("library.sqlite"), environment: environment)
        sync = try LibrarySync(library: library)
    }

    /// A copy of another replica's library file, opened where it was copied to, as a user who
    /// copies `library.sqlite` to a second machine would.
    init(copyOf original: Replica, environment: LibraryEnvironment) throws {
        directory = TemporaryDirectory()
        try original.library.backUp(to: directory.path("library.sqlite"))
        library = try Library.open(at: directory.path("library.sqlite"), environment: environment)
        sync = try LibrarySync(library: library)
    }

    /// Trusts every other replica, as pairing would.
    static func pairedGroup(_ count: Int, environments: [LibraryEnvironment]? = nil) throws -> [Replica] {
        let replicas = try (0..<count).map { try Replica(environment: environments?[$0] ?? .system) }
        for replica in replicas {
            for other in replicas where other !== replica { try replica.trust(other) }
        }
        return replicas
    }

    func trust(_ other: Replica) throws { _ = try sync.trust(keyLine: other.sync.publicKeyLine) }

    func export(includeDeleted: Bool = true) throws -> String {
        try TemporaryLibrary.export(library, includeDeleted: includeDeleted)
    }

    /// Writes a bundle of everything `receiver` is known to lack and returns its path.
    func bundle(for receiver: Replica? = nil, name: String = "out.pxb") throws -> String {
        let (data, _) = try sync.exportBundle(for: receiver?.library.deviceID)
        return directory.write("\(UUID().uuidString)-\(name)", data)
    }

    /// Sends what `receiver` lacks, by bundle, and imports it there.
    func send(to receiver: Replica) throws {
        _ = try receiver.sync.importBundle(at: try bundle(for: receiver))
    }

    /// Everything two replicas that saw the same changes must share: each field's value with its
    /// clock, counter and epoch, the version vector, and the export.
    func state() throws -> ReplicaState {
        ReplicaState(
            changes: try library.changes(), vector: try library.versionVector(), export: try export())
    }
}

/// What ``Replica/state()`` compares.
struct ReplicaState: Equatable {
    var changes: ChangeSet
    var vector: VersionVector
    var export: String
}

/// Sends bundles both ways until neither has anything the other lacks.
func exchange(_ first: Replica, _ second: Replica) throws {
    let fromFirst = try first.bundle(for: second)
    let fromSecond = try second.bundle(for: first)
    _ = try second.sync.importBundle(at: fromFirst)
    _ = try first.sync.importBundle(at: fromSecond)
}
