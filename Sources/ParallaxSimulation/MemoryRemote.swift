import Foundation
import ParallaxSync

/// A remote held in memory, that counts what is asked of it: for tests and the bench, where a
/// folder would add only file-system noise to what is measured.
public final class MemoryRemote: SyncTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var files: [String: Data] = [:]
    private var counts = (reads: 0, writes: 0, readBytes: 0, writtenBytes: 0)

    /// An empty remote.
    public init() {}

    /// Files read so far.
    public var reads: Int { lock.withLock { counts.reads } }
    /// Files written so far.
    public var writes: Int { lock.withLock { counts.writes } }
    /// Bytes read and written so far.
    public var transferredBytes: (read: Int, written: Int) {
        lock.withLock { (counts.readBytes, counts.writtenBytes) }
    }
    /// The bytes of every file held now.
    public var storedBytes: Int { lock.withLock { files.values.reduce(0) { $0 + $1.count } } }
    /// The names of the files held now.
    public var names: [String] { lock.withLock { files.keys.sorted() } }

    /// An address no other remote has.
    public var address: String { "memory:\(ObjectIdentifier(self).hashValue)" }

    /// The files held now.
    public func list() throws -> [RemoteFile] {
        lock.withLock { files.map { RemoteFile(name: $0.key, bytes: $0.value.count) } }
    }

    /// A file's bytes; counted.
    public func read(_ name: String) throws -> Data {
        try lock.withLock {
            guard let data = files[name] else {
                throw SyncError.missingBundle(path: name)
            }
            counts.reads += 1
            counts.readBytes += data.count
            return data
        }
    }

    /// Stores a file whole; counted.
    public func write(_ name: String, _ data: Data) throws {
        lock.withLock {
            counts.writes += 1
            counts.writtenBytes += data.count
            files[name] = data
        }
    }

    /// Deletes a file; one already gone is no error.
    public func delete(_ name: String) throws { _ = lock.withLock { files.removeValue(forKey: name) } }

    /// How messages name a file.
    public func location(of name: String) -> String { "memory:\(name)" }

    /// Replaces a file's bytes behind the syncing libraries' backs, as a damaged or hostile
    /// server would.
    public func replace(_ name: String, with data: Data) { lock.withLock { files[name] = data } }
}
