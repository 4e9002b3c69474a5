import Crypto
import Foundation
import ParallaxStore

/// Bytes held in memory until they pass a threshold, then in a temporary file: a payload a few
/// kilobytes long costs no file, and one of a gigabyte costs no memory.
final class PayloadSpool {
    private let folder: String
    private var memory = Data()
    private var file: FileHandle?
    private var path: String?
    private(set) var count = 0

    static let memoryLimit = 8 << 20

    /// - Parameter folder: Where the temporary file goes when one is needed.
    init(folder: String = NSTemporaryDirectory()) { self.folder = folder }

    deinit { discard() }

    func write(_ data: Data) throws {
        count += data.count
        if let file { return try file.write(contentsOf: data) }
        memory.append(data)
        guard memory.count > Self.memoryLimit else { return }
        let path = (folder as NSString).appendingPathComponent(".parallax-spool-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forUpdatingAtPath: path)
        else { throw LibraryError.notWritable(path: folder) }
        self.path = path
        file = handle
        try handle.write(contentsOf: memory)
        memory = Data()
    }

    /// Hands on the bytes in order, in chunks of at most 1 MiB.
    func forEachChunk(_ body: (Data) throws -> Void) throws {
        guard let file else {
            var offset = 0
            while offset < memory.count {
                let end = min(offset + (1 << 20), memory.count)
                try body(memory.subdata(in: offset..<end))
                offset = end
            }
            return
        }
        try file.seek(toOffset: 0)
        while let chunk = try file.read(upToCount: 1 << 20), !chunk.isEmpty { try body(chunk) }
    }

    /// All the bytes at once: for a payload sealed whole.
    func whole() throws -> Data {
        var data = Data(capacity: count)
        try forEachChunk { data.append($0) }
        return data
    }

    func discard() {
        try? file?.close()
        file = nil
        if let path { try? FileManager.default.removeItem(atPath: path) }
        path = nil
        memory = Data()
    }
}

// MARK: - Writing

extension BundleFormat {
    /// Writes a signed bundle of the entries `produce` hands on, in a stream: the payload is
    /// compressed into a spool as it is produced, and the bundle is then written to `output` in
    /// chunks with its header (which needs the counts), checksum and signature.
    ///
    /// Memory stays bounded: an encrypted payload is sealed a chunk at a time (version 4).
    /// - Parameters:
    ///   - produce: Hands each entry to the closure it is given, in bundle order, and returns
    ///     the vector the entries bring a receiver to.
    ///   - spoolFolder: Where a large payload waits on disk.
    ///   - output: Takes the bundle's bytes in order.
    /// - Returns: The header as written.
    static func write(
        header: BundleHeader, signingKey: Curve25519.Signing.PrivateKey, encryptionKey: SymmetricKey?,
        spoolFolder: String = NSTemporaryDirectory(),
        produce: ((ChangeEntry) throws -> Void) throws -> VersionVector,
        output: (Data) throws -> Void
    ) throws -> BundleHeader {
        var header = header
        header.records = 0
        header.bodies = 0
        header.assets = 0
        header.payloadBytes = 0
        header.encryption = encryptionKey == nil ? "none" : "chacha20-poly1305"
        let spool = PayloadSpool(folder: spoolFolder)
        let deflater = try Deflate.Pipeline { try spool.write($0) }
        var writer = PayloadWriter { chunk, compressible in
            header.payloadBytes += chunk.count
            // A bundle its readers would refuse must not be written: its vector would claim changes
            // no peer could ever import, and every later bundle would wait for them.
            guard header.payloadBytes <= maximumPayloadBytes else {
                throw SyncError.codec(
                    "these changes come to more than a bundle may hold (\(maximumPayloadBytes >> 20) MiB); "
                        + "sync more often, or keep fewer images on this device")
            }
            deflater.write(chunk, compressing: compressible)
        }
        let vector = try produce { entry in
            switch entry {
            case .body: header.bodies += 1
            case .asset: header.assets += 1
            case .record: header.records += 1
            }
            try writer.add(entry)
        }
        try writer.flush()
        try deflater.finish()
        header.vector = vector.counters
        var hasher = SHA256()
        func emit(_ data: Data) throws {
            hasher.update(data: data)
            try output(data)
        }
        let headerBytes = try Library.jsonEncoder().encode(header)
        var prefix = Data(magic)
        prefix.appendInteger(version)
        prefix.appendInteger(UInt16(encryptionKey == nil ? 0 : 1))
        prefix.appendInteger(UInt32(headerBytes.count))
        prefix.append(headerBytes)
        let chunks = (spool.count + sealedChunkBytes - 1) / sealedChunkBytes
        prefix.appendInteger(UInt64(spool.count + (encryptionKey == nil ? 0 : chunks * sealedChunkOverhead)))
        try emit(prefix)
        if let encryptionKey {
            var index = 0
            try spool.forEachChunk { chunk in
                let box = try ChaChaPoly.seal(
                    chunk, using: encryptionKey,
                    authenticating: Self.chunkLabel(index, final: index == chunks - 1))
                var sealed = Data()
                sealed.appendInteger(UInt32(box.combined.count))
                sealed.append(box.combined)
                try emit(sealed)
                index += 1
            }
        } else {
            try spool.forEachChunk(emit)
        }
        let digest = Data(hasher.finalize())
        try output(digest)
        try output(try signingKey.signature(for: digest))
        return header
    }

    /// What a sealed chunk of a version 4 payload authenticates besides its bytes: its place, and
    /// whether it is the last, so chunks can be neither reordered nor dropped.
    static func chunkLabel(_ index: Int, final: Bool) -> Data {
        var label = Data("parallax-chunk".utf8)
        label.appendInteger(UInt64(index))
        label.append(final ? 1 : 0)
        return label
    }

    /// Writes a signed bundle of a change set held in memory.
    static func encode(
        _ set: ChangeSet, header: BundleHeader, signingKey: Curve25519.Signing.PrivateKey,
        encryptionKey: SymmetricKey?
    ) throws -> (Data, BundleHeader) {
        var data = Data()
        let written = try write(
            header: header, signingKey: signingKey, encryptionKey: encryptionKey,
            produce: { emit in
                for hash in set.bodies.keys.sorted() { try emit(.body(set.bodies[hash]!)) }
                for hash in set.assets.keys.sorted() { try emit(.asset(set.assets[hash]!)) }
                for record in set.records { try emit(.record(record)) }
                return VersionVector(counters: header.vector)
            }, output: { data.append($0) })
        return (data, written)
    }
}

/// Encodes payload entries (docs/bundle-format.md, "Payload") and hands them on in chunks of
/// about 1 MiB, each marked with whether it is worth compressing.
///
/// A body is written raw after a `#body LENGTH` line rather than as a JSON string, so 40 MB of
/// article text is neither escaped on the way out nor unescaped on the way in. An image's bytes
/// follow a `#asset TYPE LENGTH` line and are stored uncompressed in the stream: they are
/// compressed already, and deflating them again costs time for nothing.
struct PayloadWriter {
    private let chunk: (Data, Bool) throws -> Void
    private let encoder = Library.jsonEncoder()
    private var data = Data()

    init(chunk: @escaping (Data, Bool) throws -> Void) { self.chunk = chunk }

    mutating func add(_ entry: ChangeEntry) throws {
        switch entry {
        case .body(let text):
            let bytes = Data(text.utf8)
            data.append(contentsOf: Array("#body \(bytes.count)\n".utf8))
            data.append(bytes)
            data.append(0x0A)
        case .asset(let asset):
            data.append(contentsOf: Array("#asset \(asset.type.rawValue) \(asset.data.count)\n".utf8))
            try chunk(data, true)
            try chunk(asset.data, false)
            data = Data([0x0A])
        case .record(let record):
            data.append(try encoder.encode(record))
            data.append(0x0A)
        }
        if data.count >= 1 << 20 { try flush() }
    }

    mutating func flush() throws {
        guard !data.isEmpty else { return }
        try chunk(data, true)
        data = Data()
    }
}

extension Data {
    mutating func appendInteger<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}
