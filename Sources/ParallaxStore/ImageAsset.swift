import Foundation

/// The image formats a library keeps, told by their first bytes rather than by what a server
/// or a file name claims. SVG is not among them: it is a document that can carry scripts.
public enum ImageType: String, CaseIterable, Codable, Sendable {
    case jpeg = "image/jpeg"
    case png = "image/png"
    case gif = "image/gif"
    case webp = "image/webp"
    case avif = "image/avif"

    /// The format the bytes are in, nil when they are none of these (HTML served as
    /// `image/png`, say).
    public init?(detecting data: Data) {
        let bytes = [UInt8](data.prefix(32))
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        if starts([0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) {
            self = .gif
        } else if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) {
            self = .webp
        } else if starts(Array("ftyp".utf8), at: 4)
            && (starts(Array("avif".utf8), at: 8) || starts(Array("avis".utf8), at: 8))
        {
            self = .avif
        } else {
            return nil
        }
    }

    /// The usual file extension.
    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .gif: "gif"
        case .webp: "webp"
        case .avif: "avif"
        }
    }
}

/// An image kept in the library: its bytes and their format, stored once by SHA-256 however
/// many items show it.
public struct ImageAsset: Hashable, Sendable, Codable {
    /// The format, checked against the bytes.
    public var type: ImageType
    /// The bytes.
    public var data: Data

    /// An image in a format already checked.
    init(type: ImageType, data: Data) {
        self.type = type
        self.data = data
    }

    /// An image whose format is read from its bytes; nil when they are not an image the library keeps.
    public init?(data: Data) {
        guard let type = ImageType(detecting: data) else { return nil }
        self.type = type
        self.data = data
    }

    /// The SHA-256 of the bytes, which names the asset.
    public var hash: String { ContentHash.of(bytes: data) }

    /// The largest image a library keeps.
    public static let maximumBytes = 16 << 20
}

/// An image an article shows, fetched: the address its HTML names and the bytes found there.
public struct ArticleImageAsset: Hashable, Sendable {
    /// The address, as the article's HTML names it.
    public var url: String
    /// The image.
    public var asset: ImageAsset

    /// An image at an address.
    public init(url: String, asset: ImageAsset) {
        self.url = url
        self.asset = asset
    }
}

/// The value of an item's `images` field: which asset each image address of its HTML shows.
///
/// Stored and synced as canonical JSON (an object, keys sorted), so equal maps are equal values.
public struct ImageReferences: Hashable, Sendable {
    /// Asset hash by image address.
    public var assets: [String: String]

    /// A map of addresses to asset hashes.
    public init(_ assets: [String: String]) {
        self.assets = assets
    }

    /// Reads a field value; nil when it is not a JSON object of addresses to SHA-256 hashes.
    public init?(json: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            return nil
        }
        var assets: [String: String] = [:]
        for (address, value) in object {
            guard let hash = value as? String, ContentHash.isHash(hash) else {
                return nil
            }
            assets[address] = hash
        }
        self.assets = assets
    }

    /// The canonical JSON text.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(assets)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The most images one item may name.
    public static let maximumCount = 500
}
