import Crypto
import Foundation
import ParallaxStore

/// The header of a bundle (see docs/bundle-format.md).
public struct BundleHeader: Codable, Hashable, Sendable {
    /// The bundle's id.
    public var bundle: String
    /// The sending device.
    public var device: String
    /// The sender's Ed25519 public key, base64.
    public var publicKey: String
    /// When it was written.
    public var created: String
    /// `deflate`.
    public var codec = "deflate"
    /// `none` or `chacha20-poly1305`.
    public var encryption = "none"
    /// The bundle holds every change with a counter above these.
    public var since: [String: Int]
    /// What the sender had seen.
    public var vector: [String: Int]
    /// How many change records and bodies the payload holds.
    public var records: Int, bodies: Int
    /// How many images the payload holds (from version 3; 0 before).
    public var assets = 0
    /// The payload's size decompressed.
    public var payloadBytes: Int

    enum CodingKeys: String, CodingKey {
        case bundle, device, created, codec, encryption, since, vector, records, bodies, assets
        case publicKey = "public_key"
        case payloadBytes = "payload_bytes"
    }

    /// A header with its counts.
    public init(
        bundle: String, device: String, publicKey: String, created: String, since: [String: Int],
        vector: [String: Int], records: Int, bodies: Int, assets: Int = 0, payloadBytes: Int
    ) {
        self.bundle = bundle
        self.device = device
        self.publicKey = publicKey
        self.created = created
        self.since = since
        self.vector = vector
        self.records = records
        self.bodies = bodies
        self.assets = assets
        self.payloadBytes = payloadBytes
    }

    /// Reads a header; `assets` is absent from bundles written before version 3.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        bundle = try container.decode(String.self, forKey: .bundle)
        device = try container.decode(String.self, forKey: .device)
        publicKey = try container.decode(String.self, forKey: .publicKey)
        created = try container.decode(String.self, forKey: .created)
        codec = try container.decode(String.self, forKey: .codec)
        encryption = try container.decode(String.self, forKey: .encryption)
        since = try container.decode([String: Int].self, forKey: .since)
        vector = try container.decode([String: Int].self, forKey: .vector)
        records = try container.decode(Int.self, forKey: .records)
        bodies = try container.decode(Int.self, forKey: .bodies)
        assets = try container.decodeIfPresent(Int.self, forKey: .assets) ?? 0
        payloadBytes = try container.decode(Int.self, forKey: .payloadBytes)
    }
}

/// The bytes of bundle format version 3 (versions 1 and 2 are still read).
enum BundleFormat {
    static let magic: [UInt8] = [0x50, 0x58, 0x42, 0x4E, 0x44, 0x4C, 0x0D, 0x0A]
    /// The version written. Version 2 merges reading state with progress, by epoch (see
    /// docs/bundle-format.md); a reader of version 1 would merge it otherwise, so it must refuse it.
    /// Version 3 carries an item's HTML (an `html` field naming a document sent with the bodies),
    /// which a version 2 reader would refuse record by record as an unknown field.
    static let version: UInt16 = 3
    /// The versions read: a version 1 bundle carries no epoch on reading state, which reads as 0,
    /// and bundles before version 3 carry no HTML, which leaves an item without it.
    static let readableVersions: ClosedRange<UInt16> = 1...3
    static let maximumHeaderBytes = 65_536
    static let maximumPayloadBytes = 1 << 30
    static let maximumRatio = 1_000
    static let trailerBytes = 32 + 64

    /// Writes a signed bundle.
    static func encode(
        _ set: ChangeSet, header: BundleHeader, signingKey: Curve25519.Signing.PrivateKey,
        encryptionKey: SymmetricKey?
    ) throws -> (Data, BundleHeader) {
        var header = header
        header.records = set.records.count
        header.bodies = set.bodies.count
        header.assets = set.assets.count
        header.payloadBytes = 0
        header.encryption = encryptionKey == nil ? "none" : "chacha20-poly1305"
        let deflater = try Deflate.Pipeline()
        try writePayload(set) { chunk, compressible in
            header.payloadBytes += chunk.count
            deflater.write(chunk, compressing: compressible)
        }
        var compressed = try deflater.finish()
        // A bundle its readers would refuse must not be written: its vector would claim changes
        // no peer could ever import, and every later bundle would wait for them.
        guard header.payloadBytes <= maximumPayloadBytes else {
            throw SyncError.codec(
                "these changes come to \(header.payloadBytes >> 20) MiB, more than a bundle may hold "
                    + "(\(maximumPayloadBytes >> 20) MiB); sync more often, or keep fewer images on this device"
            )
        }
        if let encryptionKey { compressed = try ChaChaPoly.seal(compressed, using: encryptionKey).combined }
        let headerBytes = try Library.jsonEncoder().encode(header)
        var data = Data(magic)
        data.appendInteger(version)
        data.appendInteger(UInt16(encryptionKey == nil ? 0 : 1))
        data.appendInteger(UInt32(headerBytes.count))
        data.append(headerBytes)
        data.appendInteger(UInt64(compressed.count))
        data.append(compressed)
        let digest = Data(SHA256.hash(data: data))
        data.append(digest)
        data.append(try signingKey.signature(for: digest))
        return (data, header)
    }

    /// Reads and checks a bundle whole: framing, checksum, signature, trust, payload and records.
    /// - Parameters:
    ///   - trust: Called with the header once the signature verifies; throws to refuse the device.
    static func decode(
        _ data: Data, path: String, encryptionKey: SymmetricKey?, now: Date = Date(),
        trust: (BundleHeader) throws -> Void
    ) throws -> (BundleHeader, ChangeSet) {
        func malformed(_ reason: String) -> SyncError { .malformed(path: path, reason: reason) }
        var reader = ByteReader(data: data)
        guard let magicBytes = reader.read(8), Array(magicBytes) == magic else {
            throw malformed("it does not start with a bundle's magic bytes")
        }
        guard let version = reader.readInteger(UInt16.self) else { throw malformed("it is truncated") }
        guard readableVersions.contains(version) else {
            throw SyncError.unsupportedVersion(path: path, version: Int(version))
        }
        guard let flags = reader.readInteger(UInt16.self) else { throw malformed("it is truncated") }
        guard flags & ~1 == 0 else { throw malformed("unknown flags") }
        guard let headerLength = reader.readInteger(UInt32.self), headerLength <= maximumHeaderBytes else {
            throw malformed("the header length is out of range")
        }
        guard let headerBytes = reader.read(Int(headerLength)),
            let payloadLength = reader.readInteger(UInt64.self),
            payloadLength <= UInt64(data.count)
        else { throw malformed("it is truncated") }
        let expectedSize = 24 + Int(headerLength) + Int(payloadLength) + trailerBytes
        guard data.count == expectedSize else {
            throw malformed(
                data.count < expectedSize ? "it is truncated" : "it has bytes after its signature")
        }
        let signedLength = 24 + Int(headerLength) + Int(payloadLength)
        let digest = data.subdata(in: data.startIndex + signedLength..<data.startIndex + signedLength + 32)
        guard Data(SHA256.hash(data: data.prefix(signedLength))) == digest else {
            throw SyncError.checksumMismatch(path: path)
        }
        guard let header = try? JSONDecoder().decode(BundleHeader.self, from: headerBytes) else {
            throw malformed("the header is not valid JSON")
        }
        guard ItemID.isValidDeviceID(header.device), ItemID.isValidDeviceID(header.bundle),
            header.since.keys.allSatisfy(ItemID.isValidDeviceID),
            header.vector.keys.allSatisfy(ItemID.isValidDeviceID)
        else { throw malformed("the header names a device or bundle id with characters ids never have") }
        guard let keyBytes = Data(base64Encoded: header.publicKey),
            let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes),
            publicKey.isValidSignature(data.suffix(64), for: digest)
        else { throw SyncError.badSignature(path: path) }
        try trust(header)
        var compressed = data.subdata(
            in: data.startIndex + 24 + Int(headerLength)..<data.startIndex + signedLength)
        if flags & 1 == 1 || header.encryption != "none" {
            guard let encryptionKey, let box = try? ChaChaPoly.SealedBox(combined: compressed),
                let opened = try? ChaChaPoly.open(box, using: encryptionKey)
            else { throw SyncError.cannotDecrypt(path: path) }
            compressed = opened
        }
        guard header.codec == "deflate" else { throw malformed("unknown codec '\(header.codec)'") }
        guard header.payloadBytes >= 0, header.payloadBytes <= maximumPayloadBytes,
            header.payloadBytes <= max(1, compressed.count) * maximumRatio
        else { throw malformed("its declared payload size \(header.payloadBytes) exceeds the limits") }
        let payload: Data
        do {
            payload = try Deflate.decompress(compressed, limit: header.payloadBytes)
        } catch let error as SyncError {
            throw malformed(error.errorDescription ?? "the payload cannot be decompressed")
        }
        guard payload.count == header.payloadBytes else {
            throw malformed("the payload's size differs from its header")
        }
        return (header, try decodePayload(payload, header: header, now: now, malformed: malformed))
    }

    /// Encodes the payload (bodies, images, then records) and hands it on in chunks of about
    /// 1 MiB, each marked with whether it is worth compressing.
    ///
    /// A body is written raw after a `#body LENGTH` line rather than as a JSON string, so
    /// 40 MB of article text is neither escaped on the way out nor unescaped on the way in.
    /// An image's bytes follow a `#asset TYPE LENGTH` line and are stored uncompressed in the
    /// stream: they are compressed already, and deflating them again costs time for nothing.
    private static func writePayload(_ set: ChangeSet, chunk: (Data, Bool) -> Void) throws {
        let encoder = Library.jsonEncoder()
        var data = Data()
        func flushIfFull() {
            if data.count >= 1 << 20 {
                chunk(data, true)
                data = Data()
            }
        }
        for hash in set.bodies.keys.sorted() {
            let text = Data(set.bodies[hash]!.utf8)
            data.append(contentsOf: Array("#body \(text.count)\n".utf8))
            data.append(text)
            data.append(0x0A)
            flushIfFull()
        }
        for hash in set.assets.keys.sorted() {
            let asset = set.assets[hash]!
            data.append(contentsOf: Array("#asset \(asset.type.rawValue) \(asset.data.count)\n".utf8))
            chunk(data, true)
            chunk(asset.data, false)
            data = Data([0x0A])
        }
        for record in set.records {
            data.append(try encoder.encode(record))
            data.append(0x0A)
            flushIfFull()
        }
        if !data.isEmpty { chunk(data, true) }
    }

    private static func decodePayload(
        _ payload: Data, header: BundleHeader, now: Date, malformed: (String) -> SyncError
    ) throws -> ChangeSet {
        var set = ChangeSet()
        let decoder = JSONDecoder()
        var reader = PayloadReader(payload: payload)
        for number in 1...max(1, header.bodies) where header.bodies > 0 {
            guard let text = reader.nextBody() else { throw malformed("body \(number) is damaged") }
            // Each body's hash is computed here; records name bodies by it.
            set.bodies[ContentHash.of(text)] = text
        }
        for number in 1...max(1, header.assets) where header.assets > 0 {
            // The format is read from the bytes too: a type the bytes do not bear out is damage.
            guard let asset = reader.nextAsset() else { throw malformed("image \(number) is damaged") }
            set.assets[asset.hash] = asset
        }
        var number = 0
        while let line = reader.nextLine() {
            number += 1
            let record: ChangeRecord
            do {
                record = try decoder.decode(ChangeRecord.self, from: line)
            } catch {
                throw malformed("record \(number) is not a change record")
            }
            do {
                try record.validate(now: now)
            } catch let error as LibraryError {
                throw malformed("record \(number): \(error.errorDescription ?? "invalid")")
            }
            // A record outside the range the header declares would let a receiver believe it has
            // seen changes it never got, or raise another device's counter past what it made.
            guard record.counter > header.since[record.device] ?? 0,
                record.counter <= header.vector[record.device] ?? 0
            else {
                throw malformed(
                    "record \(number) has change \(record.counter) of device \(record.device.prefix(10)), "
                        + "outside the range the bundle declares")
            }
            set.records.append(record)
        }
        guard reader.isAtEnd else { throw malformed("the payload ends inside a line") }
        guard set.bodies.count == header.bodies, set.assets.count == header.assets,
            set.records.count == header.records,
            payload.last == 0x0A || payload.isEmpty
        else { throw malformed("the payload holds other counts than its header says") }
        return set
    }
}

/// Walks a decompressed payload: `#body LENGTH` entries, then newline-terminated JSON lines.
private struct PayloadReader {
    let payload: Data
    var offset = 0

    var isAtEnd: Bool { offset == payload.count }

    /// The next line without its newline; nil at the end or when the last line has no newline.
    mutating func nextLine() -> Data? {
        guard offset < payload.count,
            let newline = payload[(payload.startIndex + offset)...].firstIndex(of: 0x0A)
        else {
            return nil
        }
        defer { offset = newline - payload.startIndex + 1 }
        return payload[(payload.startIndex + offset)..<newline]
    }

    /// The text of the next `#body LENGTH` entry, or nil when the bytes are not one.
    mutating func nextBody() -> String? {
        guard let (fields, bytes) = nextEntry("body"), fields.isEmpty else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The image of the next `#asset TYPE LENGTH` entry, or nil when the bytes are not one or
    /// are not an image of the type the line names.
    mutating func nextAsset() -> ImageAsset? {
        guard let (fields, bytes) = nextEntry("asset", maximumLength: ImageAsset.maximumBytes),
            fields.count == 1,
            let type = ImageType(rawValue: String(fields[0])), let asset = ImageAsset(data: Data(bytes)),
            asset.type == type
        else { return nil }
        return asset
    }

    /// The fields of the next `#KIND … LENGTH` line and the LENGTH bytes after it, which end with
    /// a newline; nil, with the reader left where it was, when the bytes are not such an entry.
    private mutating func nextEntry(_ kind: String, maximumLength: Int = .max) -> (
        fields: [Substring], bytes: Data.SubSequence
    )? {
        let start = offset
        let prefix = Array("#\(kind) ".utf8)
        guard let line = nextLine(), line.starts(with: prefix) else {
            offset = start
            return nil
        }
        var fields = String(decoding: line.dropFirst(prefix.count), as: UTF8.self)
            .split(separator: " ", omittingEmptySubsequences: false)
        guard let lengthField = fields.popLast(), let length = Int(lengthField), length >= 0,
            length <= maximumLength, length < payload.count - offset,
            payload[payload.startIndex + offset + length] == 0x0A
        else {
            offset = start
            return nil
        }
        let bytes = payload[(payload.startIndex + offset)..<(payload.startIndex + offset + length)]
        offset += length + 1
        return (fields, bytes)
    }
}

/// Reads big-endian integers and byte runs, returning nil past the end.
private struct ByteReader {
    let data: Data
    var offset = 0

    mutating func read(_ count: Int) -> Data? {
        guard count >= 0, offset + count <= data.count else { return nil }
        defer { offset += count }
        return data.subdata(in: data.startIndex + offset..<data.startIndex + offset + count)
    }

    mutating func readInteger<T: FixedWidthInteger>(_: T.Type) -> T? {
        read(MemoryLayout<T>.size).map { $0.reduce(T(0)) { $0 << 8 | T($1) } }
    }
}

extension Data {
    fileprivate mutating func appendInteger<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}
