import Foundation
import ParallaxStore

/// An image's width and height, read from its header without decoding it, so a decompression
/// bomb (a small file that claims 50,000 × 50,000 pixels) is refused before anything opens it.
struct ImageDimensions: Equatable {
    var width: Int
    var height: Int

    init(width: Int, height: Int) {
        (self.width, self.height) = (width, height)
    }

    /// The dimensions the header declares; nil when the header cannot be read.
    init?(of data: Data, type: ImageType) {
        let bytes = [UInt8](data.prefix(256 << 10))
        guard let size = Self.read(bytes, type: type), size.width > 0, size.height > 0 else { return nil }
        (width, height) = size
    }

    private static func read(_ bytes: [UInt8], type: ImageType) -> (width: Int, height: Int)? {
        switch type {
        case .png:
            // The signature, then the IHDR chunk: length, "IHDR", width, height.
            guard bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
            return (bigEndian(bytes, 16, 4), bigEndian(bytes, 20, 4))
        case .gif:
            guard bytes.count >= 10 else { return nil }
            return (Int(bytes[6]) | Int(bytes[7]) << 8, Int(bytes[8]) | Int(bytes[9]) << 8)
        case .jpeg: return jpeg(bytes)
        case .webp: return webp(bytes)
        case .avif: return avif(bytes)
        }
    }

    private static func bigEndian(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> Int {
        bytes[offset..<offset + count].reduce(0) { $0 << 8 | Int($1) }
    }

    private static func littleEndian(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> Int {
        bytes[offset..<offset + count].reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    /// Walks the JPEG's segments to the first start-of-frame marker.
    private static func jpeg(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        var offset = 2
        while offset + 9 < bytes.count {
            guard bytes[offset] == 0xFF else { return nil }
            let marker = bytes[offset + 1]
            if marker == 0xFF {
                offset += 1
                continue
            }
            let length = bigEndian(bytes, offset + 2, 2)
            let isFrame = (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
            if isFrame { return (bigEndian(bytes, offset + 7, 2), bigEndian(bytes, offset + 5, 2)) }
            guard length >= 2 else { return nil }
            offset += 2 + length
        }
        return nil
    }

    /// Reads the first chunk of a RIFF WebP: lossy (`VP8 `), lossless (`VP8L`) or extended (`VP8X`).
    private static func webp(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        guard bytes.count >= 30 else { return nil }
        switch String(decoding: bytes[12..<16], as: UTF8.self) {
        case "VP8 ":
            return (littleEndian(bytes, 26, 2) & 0x3FFF, littleEndian(bytes, 28, 2) & 0x3FFF)
        case "VP8L":
            let bits = littleEndian(bytes, 21, 4)
            return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        case "VP8X":
            return (littleEndian(bytes, 24, 3) + 1, littleEndian(bytes, 27, 3) + 1)
        default: return nil
        }
    }

    /// Finds the image spatial extents (`ispe`) property of an AVIF's primary image.
    private static func avif(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        let marker = Array("ispe".utf8)
        guard bytes.count >= 20 else { return nil }
        for offset in 4..<(bytes.count - 15) where Array(bytes[offset..<offset + 4]) == marker {
            return (bigEndian(bytes, offset + 8, 4), bigEndian(bytes, offset + 12, 4))
        }
        return nil
    }
}
