import Foundation
import ParallaxSync

/// Real, decodable images made in code, so tests need no binary fixtures.
public enum TestImages {
    /// A PNG of one colour: 8-bit RGB, a filter byte per row, deflated.
    public static func png(
        width: Int = 4, height: Int = 3, red: UInt8 = 200, green: UInt8 = 40, blue: UInt8 = 40
    )
        -> Data
    {
        var pixels = Data()
        for _ in 0..<height {
            pixels.append(0)
            for _ in 0..<width { pixels.append(contentsOf: [red, green, blue]) }
        }
        return encode(width: width, height: height, pixels: pixels)
    }

    /// A PNG of noise, which compresses about as little as a photograph does; the same seed
    /// gives the same bytes.
    public static func noisePNG(width: Int, height: Int, seed: UInt64) -> Data {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var pixels = Data(capacity: height * (width * 3 + 1))
        for _ in 0..<height {
            pixels.append(0)
            for _ in 0..<(width * 3) {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                pixels.append(UInt8(truncatingIfNeeded: state))
            }
        }
        return encode(width: width, height: height, pixels: pixels)
    }

    private static func encode(width: Int, height: Int, pixels: Data) -> Data {
        var header = Data()
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header.append(contentsOf: [8, 2, 0, 0, 0])
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        png.appendChunk("IHDR", header)
        png.appendChunk("IDAT", (try? Deflate.compress(pixels)) ?? Data())
        png.appendChunk("IEND", Data())
        return png
    }
}

extension Data {
    fileprivate mutating func appendBigEndian(_ value: UInt32) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    fileprivate mutating func appendChunk(_ type: String, _ body: Data) {
        appendBigEndian(UInt32(body.count))
        let typed = Data(type.utf8) + body
        append(typed)
        appendBigEndian(Self.crc32(typed))
    }

    private static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
