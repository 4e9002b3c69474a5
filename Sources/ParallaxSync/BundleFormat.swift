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

/// The bytes of bundle format version 5 (versions 1 to 4 are still read).
enum BundleFormat {
    static let magic: [UInt8] = [0x50, 0x58, 0x42, 0x4E, 0x44, 0x4C, 0x0D, 0x0A]
    /// The version written. Version 2 merges reading state with progress, by epoch (see
    /// docs/bundle-format.md); a reader of version 1 would merge it otherwise, so it must refuse it.
    /// Version 3 carries an item's HTML (an `html` field naming a document sent with the bodies),
    /// which a version 2 reader would refuse record by record as an unknown field. Version 4
    /// seals an encrypted payload in chunks of 1 MiB rather than as one box, so it is sealed and
    /// opened in a stream. Version 5 carries followed feeds (entity `feed`) and an item's place
    /// on the reader's list and feed entry (`listed`, `feed`, `entry`), with merge rules of
    /// their own (docs/bundle-format.md); a version 4 reader would refuse their records one by
    /// one, or apply a feed's creation over a removal, so it refuses the version instead.
    static let version: UInt16 = 5
    /// The first version that seals an encrypted payload in chunks.
    static let chunkedSealingVersion: UInt16 = 4
    /// The versions read: a version 1 bundle carries no epoch on reading state, which reads as 0,
    /// bundles before version 3 carry no HTML, which leaves an item without it, and bundles
    /// before version 5 only articles saved by hand.
    static let readableVersions: ClosedRange<UInt16> = 1...5
    /// The compressed bytes each sealed chunk of a version 4 payload holds, at most.
    static let sealedChunkBytes = 1 << 20
    /// What sealing adds to a chunk: its length (4 bytes), nonce (12) and tag (16).
    static let sealedChunkOverhead = 4 + 12 + 16
    static let maximumHeaderBytes = 65_536
    static let maximumPayloadBytes = 1 << 30
    static let maximumRatio = 1_000
    static let trailerBytes = 32 + 64
    /// The largest file a bundle may be: a payload may not inflate to more than 1 GiB, and a
    /// stored image is not smaller compressed, so neither is the file.
    static let maximumFileBytes = 24 + maximumHeaderBytes + maximumPayloadBytes + (1 << 20) + trailerBytes

}
