import Crypto
import Foundation
import ParallaxStore

/// Where a bundle's bytes are read from: memory, or a file read a chunk at a time.
protocol BundleSource {
    /// The bundle's size.
    var count: Int { get }
    /// `length` bytes from `offset`; fewer only at the end.
    func read(at offset: Int, length: Int) throws -> Data
}

extension Data: BundleSource {
    func read(at offset: Int, length: Int) throws -> Data {
        let start = startIndex + Swift.min(offset, count)
        return subdata(in: start..<(start + Swift.min(length, count - (start - startIndex))))
    }
}

/// A bundle file, read a chunk at a time.
final class BundleFile: BundleSource {
    private let handle: FileHandle
    let count: Int

    /// - Parameter name: How messages name the file; its path when nil.
    /// - Throws: ``SyncError/malformed(path:reason:)`` when the file is missing, unreadable or
    ///   not a regular file.
    init(path: String, name: String? = nil) throws {
        try LibrarySync.checkRegularFile(path, name: name ?? path)
        guard let handle = FileHandle(forReadingAtPath: path),
            let size = try? handle.seekToEnd()
        else { throw SyncError.malformed(path: name ?? path, reason: "it cannot be read") }
        self.handle = handle
        count = Int(size)
    }

    deinit { try? handle.close() }

    func read(at offset: Int, length: Int) throws -> Data {
        try handle.seek(toOffset: UInt64(offset))
        return try handle.read(upToCount: length) ?? Data()
    }
}

// MARK: - Reading

/// A bundle whose framing, checksum, signature and signer were checked once: its header, where
/// its payload lies, and the digest its signed bytes had, so the payload can be read later
/// without hashing and verifying the file a second time first.
struct VerifiedBundle: Sendable {
    /// The header, as the signature covers it.
    let header: BundleHeader
    let version: UInt16
    let flags: UInt16
    let headerLength: Int
    let payloadLength: Int
    /// The SHA-256 of every signed byte, which the signature was checked against.
    let digest: Data

    /// Where the payload starts: after the magic, version, flags, header and payload length.
    var payloadStart: Int { 24 + headerLength }
    /// How many bytes the signature covers.
    var signedLength: Int { payloadStart + payloadLength }
    /// Whether the payload is sealed.
    var isEncrypted: Bool { flags & 1 == 1 || header.encryption != "none" }
}

extension BundleFormat {
    /// Reads and checks a bundle in a stream: its framing, checksum and signature over every
    /// byte first, then its signer (`trust`), then its payload entry by entry into `entries`,
    /// checking each record and the counts the header declares. With no `entries`, only the
    /// header is checked and the payload is not read.
    ///
    /// Nothing reaches `entries` before the signature verifies; a payload damaged past that
    /// point throws part-way, and a caller that applies entries as they come must roll back.
    static func read(
        _ source: any BundleSource, path: String, encryptionKey: SymmetricKey?, now: Date = Date(),
        trust: (BundleHeader) throws -> Void, entries: ((ChangeEntry) throws -> Void)?
    ) throws -> BundleHeader {
        let bundle = try verify(source, path: path, trust: trust)
        guard let entries else { return bundle.header }
        try readPayload(
            of: bundle, from: source, path: path, encryptionKey: encryptionKey, now: now, trust: trust,
            entries: entries)
        return bundle.header
    }

    /// Checks a bundle's framing, its checksum and signature over every byte, and its signer,
    /// without reading its payload as entries.
    static func verify(_ source: any BundleSource, path: String, trust: (BundleHeader) throws -> Void)
        throws -> VerifiedBundle
    {
        func malformed(_ reason: String) -> SyncError { .malformed(path: path, reason: reason) }
        let start = try source.read(at: 0, length: 16)
        guard start.count == 16, Array(start.prefix(8)) == magic else {
            let opening = Array(start.prefix(8))
            throw opening == Array(magic.prefix(opening.count))
                ? malformed("it is truncated") : malformed("it does not start with a bundle's magic bytes")
        }
        var fields = ByteReader(data: start.suffix(8))
        let version = fields.readInteger(UInt16.self)!
        guard readableVersions.contains(version) else {
            throw SyncError.unsupportedVersion(path: path, version: Int(version))
        }
        let flags = fields.readInteger(UInt16.self)!
        guard flags & ~1 == 0 else { throw malformed("unknown flags") }
        let headerLength = Int(fields.readInteger(UInt32.self)!)
        guard headerLength <= maximumHeaderBytes else { throw malformed("the header length is out of range") }
        let headerAndLength = try source.read(at: 16, length: headerLength + 8)
        guard headerAndLength.count == headerLength + 8 else { throw malformed("it is truncated") }
        let headerBytes = headerAndLength.prefix(headerLength)
        var lengthField = ByteReader(data: headerAndLength.suffix(8))
        let payloadLength = lengthField.readInteger(UInt64.self)!
        guard payloadLength <= UInt64(source.count) else { throw malformed("it is truncated") }
        let signedLength = 24 + headerLength + Int(payloadLength)
        let expectedSize = signedLength + trailerBytes
        guard source.count == expectedSize else {
            throw malformed(
                source.count < expectedSize ? "it is truncated" : "it has bytes after its signature")
        }
        var hasher = SHA256()
        var offset = 0
        while offset < signedLength {
            let chunk = try source.read(at: offset, length: min(1 << 20, signedLength - offset))
            guard !chunk.isEmpty else { throw malformed("it is truncated") }
            hasher.update(data: chunk)
            offset += chunk.count
        }
        let trailer = try source.read(at: signedLength, length: trailerBytes)
        let digest = trailer.prefix(32)
        guard Data(hasher.finalize()) == digest else { throw SyncError.checksumMismatch(path: path) }
        guard let header = try? JSONDecoder().decode(BundleHeader.self, from: headerBytes) else {
            throw malformed("the header is not valid JSON")
        }
        guard ItemID.isValidDeviceID(header.device), ItemID.isValidDeviceID(header.bundle),
            header.since.keys.allSatisfy(ItemID.isValidDeviceID),
            header.vector.keys.allSatisfy(ItemID.isValidDeviceID)
        else { throw malformed("the header names a device or bundle id with characters ids never have") }
        guard let keyBytes = Data(base64Encoded: header.publicKey),
            let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes),
            publicKey.isValidSignature(trailer.suffix(64), for: digest)
        else { throw SyncError.badSignature(path: path) }
        try trust(header)
        return VerifiedBundle(
            header: header, version: version, flags: flags, headerLength: headerLength,
            payloadLength: Int(payloadLength), digest: Data(digest))
    }

    /// Reads a verified bundle's payload entry by entry into `entries`, checking each record and
    /// the counts its header declares. The bytes are hashed again as they are read, in the same
    /// pass: the source may have changed since it was verified, and then this throws once its
    /// last byte is read, so a caller applying entries as they come must roll back on a throw.
    static func readPayload(
        of bundle: VerifiedBundle, from source: any BundleSource, path: String, encryptionKey: SymmetricKey?,
        now: Date = Date(), trust: (BundleHeader) throws -> Void,
        entries: @escaping (ChangeEntry) throws -> Void
    ) throws {
        func malformed(_ reason: String) -> SyncError { .malformed(path: path, reason: reason) }
        let header = bundle.header
        try trust(header)
        guard source.count == bundle.signedLength + trailerBytes else {
            throw malformed("it changed while being read")
        }
        guard header.codec == "deflate" else { throw malformed("unknown codec '\(header.codec)'") }
        guard header.payloadBytes >= 0, header.payloadBytes <= maximumPayloadBytes,
            header.payloadBytes <= max(1, bundle.payloadLength) * maximumRatio
        else { throw malformed("its declared payload size \(header.payloadBytes) exceeds the limits") }
        var signed = SignedBytes(source: source, path: path, end: bundle.signedLength)
        _ = try signed.next(bundle.payloadStart)
        let inflater = try Deflate.Inflater(limit: header.payloadBytes)
        var parser = PayloadParser(header: header, now: now, malformed: malformed, entries: entries)
        func inflate(_ compressed: Data) throws {
            do {
                try inflater.feed(compressed) { try parser.consume($0) }
            } catch let error as SyncError {
                guard case .codec(let reason) = error else { throw error }
                throw malformed(reason)
            }
        }
        if bundle.isEncrypted && bundle.version >= chunkedSealingVersion {
            guard let encryptionKey else { throw SyncError.cannotDecrypt(path: path) }
            var index = 0
            while signed.offset < bundle.signedLength {
                var lengthReader = ByteReader(data: try signed.next(4))
                guard let length = lengthReader.readInteger(UInt32.self).map(Int.init),
                    length >= sealedChunkOverhead - 4, length <= sealedChunkBytes + sealedChunkOverhead,
                    signed.offset + length <= bundle.signedLength
                else { throw malformed("a sealed chunk of its payload is damaged") }
                let final = signed.offset + length == bundle.signedLength
                guard
                    let box = try? ChaChaPoly.SealedBox(combined: signed.next(length)),
                    let opened = try? ChaChaPoly.open(
                        box, using: encryptionKey, authenticating: Self.chunkLabel(index, final: final))
                else { throw SyncError.keyDoesNotOpen(path: path) }
                try inflate(opened)
                index += 1
            }
        } else if bundle.isEncrypted {
            // Version 3 seals the compressed payload whole, so it is opened whole.
            guard let encryptionKey else { throw SyncError.cannotDecrypt(path: path) }
            guard
                let box = try? ChaChaPoly.SealedBox(
                    combined: signed.next(bundle.payloadLength)),
                let opened = try? ChaChaPoly.open(box, using: encryptionKey)
            else { throw SyncError.keyDoesNotOpen(path: path) }
            try inflate(opened)
        } else {
            while signed.offset < bundle.signedLength {
                try inflate(signed.next(1 << 20))
            }
        }
        do {
            try inflater.finish()
        } catch let error as SyncError {
            throw malformed(error.errorDescription ?? "the payload cannot be decompressed")
        }
        guard inflater.produced == header.payloadBytes else {
            throw malformed("the payload's size differs from its header")
        }
        try parser.finish()
        guard signed.digest() == bundle.digest else { throw malformed("it changed while being read") }
    }

    /// Reads and checks a bundle held in memory, whole.
    static func decode(
        _ data: Data, path: String, encryptionKey: SymmetricKey?, now: Date = Date(),
        trust: (BundleHeader) throws -> Void
    ) throws -> (BundleHeader, ChangeSet) {
        var set = ChangeSet()
        let header = try read(data, path: path, encryptionKey: encryptionKey, now: now, trust: trust) {
            entry in
            switch entry {
            case .body(let text): set.bodies[ContentHash.of(text)] = text
            case .asset(let asset): set.assets[asset.hash] = asset
            case .record(let record): set.records.append(record)
            }
        }
        return (header, set)
    }
}

/// Reads a bundle's signed bytes in order from the start, hashing each as it is read, so that
/// one pass both reads the payload and shows whether the bytes are still those verified.
private struct SignedBytes {
    let source: any BundleSource
    let path: String
    /// Where the signed bytes end.
    let end: Int
    /// How far they have been read.
    private(set) var offset = 0
    private var hasher = SHA256()

    init(source: any BundleSource, path: String, end: Int) {
        self.source = source
        self.path = path
        self.end = end
    }

    /// The next `length` bytes, fewer only where the signed bytes end.
    mutating func next(_ length: Int) throws -> Data {
        let data = try source.read(at: offset, length: min(length, end - offset))
        guard data.count == min(length, end - offset) else {
            throw SyncError.malformed(path: path, reason: "it changed while being read")
        }
        hasher.update(data: data)
        self.offset += data.count
        return data
    }

    /// The digest of what was read.
    func digest() -> Data { Data(hasher.finalize()) }
}

/// Reads big-endian integers, returning nil past the end.
struct ByteReader {
    let data: Data
    var offset = 0

    mutating func readInteger<T: FixedWidthInteger>(_: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard offset + size <= data.count else { return nil }
        defer { offset += size }
        return data[(data.startIndex + offset)..<(data.startIndex + offset + size)].reduce(T(0)) {
            $0 << 8 | T($1)
        }
    }
}
