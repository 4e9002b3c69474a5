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
        guard let entries else { return header }
        guard header.codec == "deflate" else { throw malformed("unknown codec '\(header.codec)'") }
        guard header.payloadBytes >= 0, header.payloadBytes <= maximumPayloadBytes,
            header.payloadBytes <= max(1, Int(payloadLength)) * maximumRatio
        else { throw malformed("its declared payload size \(header.payloadBytes) exceeds the limits") }
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
        let payloadStart = 24 + headerLength
        if (flags & 1 == 1 || header.encryption != "none") && version >= encryptedVersion {
            guard let encryptionKey else { throw SyncError.cannotDecrypt(path: path) }
            var offset = payloadStart
            var index = 0
            while offset < signedLength {
                let lengthBytes = try source.read(at: offset, length: 4)
                var lengthReader = ByteReader(data: lengthBytes)
                guard let length = lengthReader.readInteger(UInt32.self).map(Int.init),
                    length >= sealedChunkOverhead - 4, length <= sealedChunkBytes + sealedChunkOverhead,
                    offset + 4 + length <= signedLength
                else { throw malformed("a sealed chunk of its payload is damaged") }
                let final = offset + 4 + length == signedLength
                guard
                    let box = try? ChaChaPoly.SealedBox(
                        combined: source.read(at: offset + 4, length: length)),
                    let opened = try? ChaChaPoly.open(
                        box, using: encryptionKey, authenticating: Self.chunkLabel(index, final: final))
                else { throw SyncError.keyDoesNotOpen(path: path) }
                try inflate(opened)
                offset += 4 + length
                index += 1
            }
        } else if flags & 1 == 1 || header.encryption != "none" {
            // Version 3 seals the compressed payload whole, so it is opened whole.
            guard let encryptionKey else { throw SyncError.cannotDecrypt(path: path) }
            guard
                let box = try? ChaChaPoly.SealedBox(
                    combined: source.read(at: payloadStart, length: Int(payloadLength))),
                let opened = try? ChaChaPoly.open(box, using: encryptionKey)
            else { throw SyncError.keyDoesNotOpen(path: path) }
            try inflate(opened)
        } else {
            var offset = payloadStart
            while offset < signedLength {
                let chunk = try source.read(at: offset, length: min(1 << 20, signedLength - offset))
                try inflate(chunk)
                offset += chunk.count
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
        return header
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

/// Parses a decompressed payload as it arrives: `#body LENGTH` entries, then `#asset TYPE
/// LENGTH` entries, then newline-terminated JSON records, checking each against the header.
/// Only one entry is held at a time.
struct PayloadParser {
    let header: BundleHeader
    let now: Date
    let malformed: (String) -> SyncError
    let entries: (ChangeEntry) throws -> Void
    private var buffer = Data()
    private var bodies = 0, assets = 0, records = 0
    private let decoder = JSONDecoder()

    init(
        header: BundleHeader, now: Date, malformed: @escaping (String) -> SyncError,
        entries: @escaping (ChangeEntry) throws -> Void
    ) {
        self.header = header
        self.now = now
        self.malformed = malformed
        self.entries = entries
    }

    /// Takes the next bytes of the payload and hands on every entry they complete.
    mutating func consume(_ data: Data) throws {
        buffer.append(data)
        var offset = buffer.startIndex
        while let consumed = try nextEntry(from: offset) { offset = consumed }
        // A long body arrives over many calls; its bytes are not copied again until it is whole.
        if offset != buffer.startIndex { buffer = buffer.subdata(in: offset..<buffer.endIndex) }
    }

    /// Checks the payload ended after a whole entry, with the counts its header declares.
    func finish() throws {
        guard buffer.isEmpty else { throw malformed("the payload ends inside a line") }
        guard bodies == header.bodies, assets == header.assets, records == header.records else {
            throw malformed("the payload holds other counts than its header says")
        }
    }

    /// Parses one entry starting at `offset`; returns where the next begins, or nil when the
    /// buffer does not hold the whole entry yet.
    private mutating func nextEntry(from offset: Int) throws -> Int? {
        guard let newline = buffer[offset...].firstIndex(of: 0x0A) else { return nil }
        let line = buffer[offset..<newline]
        if bodies < header.bodies {
            guard let parsed = try entry("body", line: line, after: newline) else { return nil }
            guard let (fields, end) = parsed, fields.isEmpty else {
                throw malformed("body \(bodies + 1) is damaged")
            }
            guard let text = String(validating: buffer[(newline + 1)..<end], as: UTF8.self) else {
                throw malformed("body \(bodies + 1) is damaged")
            }
            bodies += 1
            try entries(.body(text))
            return end + 1
        }
        if assets < header.assets {
            guard
                let parsed = try entry("asset", line: line, after: newline, maximum: ImageAsset.maximumBytes)
            else { return nil }
            guard let (fields, end) = parsed else { throw malformed("image \(assets + 1) is damaged") }
            // The format is read from the bytes too: a type the bytes do not bear out is damage.
            guard fields.count == 1, let type = ImageType(rawValue: String(fields[0])),
                let asset = ImageAsset(data: buffer.subdata(in: (newline + 1)..<end)), asset.type == type
            else { throw malformed("image \(assets + 1) is damaged") }
            assets += 1
            try entries(.asset(asset))
            return end + 1
        }
        records += 1
        var record: ChangeRecord
        do {
            record = try decoder.decode(ChangeRecord.self, from: line)
        } catch {
            throw malformed("record \(records) is not a change record")
        }
        do {
            try record.validate(now: now)
        } catch let error as LibraryError {
            throw malformed("record \(records): \(error.errorDescription ?? "invalid")")
        }
        // Text an earlier or another version kept with controls is stored cleaned, the same on
        // every replica; refusing it would stop that device's sync for good.
        record = record.cleaned()
        // A record outside the range the header declares would let a receiver believe it has
        // seen changes it never got, or raise another device's counter past what it made.
        guard record.counter > header.since[record.device] ?? 0,
            record.counter <= header.vector[record.device] ?? 0
        else {
            throw malformed(
                "record \(records) has change \(record.counter) of device \(record.device.prefix(10)), "
                    + "outside the range the bundle declares")
        }
        guard records <= header.records else {
            throw malformed("the payload holds other counts than its header says")
        }
        try entries(.record(record))
        return newline + 1
    }

    /// The fields of a `#KIND … LENGTH` line and where its LENGTH bytes end (at their newline):
    /// nil when those bytes have not all arrived yet, `.some(nil)` when the line is not such an entry.
    private func entry(_ kind: String, line: Data, after newline: Int, maximum: Int = .max) throws -> (
        fields: [Substring], end: Int
    )?? {
        let prefix = Array("#\(kind) ".utf8)
        guard line.starts(with: prefix) else { return .some(nil) }
        var fields = String(decoding: line.dropFirst(prefix.count), as: UTF8.self)
            .split(separator: " ", omittingEmptySubsequences: false)
        guard let lengthField = fields.popLast(), let length = Int(lengthField), length >= 0,
            length <= maximum,
            length <= header.payloadBytes
        else { return .some(nil) }
        let end = newline + 1 + length
        guard end < buffer.endIndex else { return nil }
        guard buffer[end] == 0x0A else { return .some(nil) }
        return (fields, end)
    }
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
