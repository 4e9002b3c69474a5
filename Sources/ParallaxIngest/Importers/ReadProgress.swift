import Foundation
import ParallaxStore

/// How far an import has read its file, so a terminal can show the time left.
///
/// The file readers an importer makes (``LineReader``, the streaming JSON readers) find the
/// importer's progress as ``current`` when they are made and count each chunk they read.
public final class ReadProgress: Sendable {
    /// The progress the readers made now count into.
    @TaskLocal static var current: ReadProgress?

    /// The file's size in bytes.
    public let totalBytes: Int64
    private let read = LockedValue<Int64>(0)

    /// Progress through a file of `totalBytes`.
    public init(totalBytes: Int64) { self.totalBytes = totalBytes }

    /// The bytes read so far.
    public var bytesRead: Int64 { read.value }

    /// The share of the file read, from 0 to 1; nil for an empty file.
    public var fraction: Double? {
        totalBytes > 0 ? min(1, Double(bytesRead) / Double(totalBytes)) : nil
    }

    func advance(by count: Int) { read.withLock { $0 += Int64(count) } }
}
