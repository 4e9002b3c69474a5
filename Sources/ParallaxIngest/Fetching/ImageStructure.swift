import Foundation
import ParallaxStore

/// Whether an image's bytes hold the whole of its structure, from the header to the format's
/// end mark, so that the dimensions its header declares can be trusted and a download cut short
/// (or padded out behind a valid header) is not kept as an image.
///
/// The walk reads each format's framing without decoding pixels: PNG chunks to `IEND` (lengths
/// in bounds, the header's checksum), JPEG segments and scans to `EOI` behind a sane frame, GIF
/// blocks to the trailer, the RIFF size and chunks of a WebP, the top-level boxes of an AVIF.
/// Every step is bounded by the bytes there are, so a hostile file costs one pass at most.
enum ImageStructure {
    /// True when `data`, an image of `type`, is complete.
    static func isComplete(_ data: Data, type: ImageType) -> Bool {
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            switch type {
            case .png: return png(bytes)
            case .jpeg: return jpeg(bytes)
            case .gif: return gif(bytes)
            case .webp: return webp(bytes)
            case .avif: return avif(bytes)
            }
        }
    }
}

private extension ImageStructure {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    static func bigEndian(_ bytes: Bytes, _ offset: Int, _ count: Int) -> Int {
        bytes[offset..<offset + count].reduce(0) { $0 << 8 | Int($1) }
    }

    static func littleEndian(_ bytes: Bytes, _ offset: Int, _ count: Int) -> Int {
        bytes[offset..<offset + count].reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    /// The signature, `IHDR` first with its checksum right, at least one `IDAT`, then `IEND`.
    static func png(_ bytes: Bytes) -> Bool {
        guard bytes.count >= 8 + 25, bigEndian(bytes, 8, 4) == 13,
            Array(bytes[12..<16]) == Array("IHDR".utf8),
            UInt32(bigEndian(bytes, 29, 4)) == crc32(bytes[12..<29])
        else { return false }
        var offset = 8
        var sawData = false
        while offset + 12 <= bytes.count {
            let length = bigEndian(bytes, offset, 4)
            guard length <= 0x7FFF_FFFF, length <= bytes.count - offset - 12 else { return false }
            let type = bigEndian(bytes, offset + 4, 4)
            if type == 0x4944_4154 { sawData = true }  // IDAT
            if type == 0x4945_4E44 { return sawData }  // IEND
            offset += 12 + length
        }
        return false
    }

    /// Segments to the first scan behind a frame header that makes sense, then the scans (and
    /// the tables between them in a progressive JPEG) to `EOI`.
    static func jpeg(_ bytes: Bytes) -> Bool {
        var offset = 2
        var (sawFrame, sawScan) = (false, false)
        while offset + 1 < bytes.count {
            guard bytes[offset] == 0xFF else { return false }
            let marker = bytes[offset + 1]
            switch marker {
            case 0xFF:
                offset += 1  // fill byte
                continue
            case 0xD9: return sawScan
            case 0xD8, 0x00: return false
            case 0x01, 0xD0...0xD7:
                offset += 2
                continue
            default: break
            }
            guard offset + 4 <= bytes.count else { return false }
            let length = bigEndian(bytes, offset + 2, 2)
            guard length >= 2, offset + 2 + length <= bytes.count else { return false }
            let isFrame = (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
            if isFrame {
                guard length >= 8 else { return false }
                let components = Int(bytes[offset + 9])
                guard (1...4).contains(components), length == 8 + 3 * components,
                    bigEndian(bytes, offset + 5, 2) > 0, bigEndian(bytes, offset + 7, 2) > 0
                else { return false }
                sawFrame = true
            }
            offset += 2 + length
            if marker == 0xDA {
                guard sawFrame, let next = endOfScan(bytes, from: offset) else { return false }
                (offset, sawScan) = (next, true)
            }
        }
        return false
    }

    /// Where the entropy-coded data after a scan header ends: the next marker that is not a
    /// stuffed byte or a restart.
    static func endOfScan(_ bytes: Bytes, from start: Int) -> Int? {
        var offset = start
        while offset + 1 < bytes.count {
            if bytes[offset] == 0xFF {
                let next = bytes[offset + 1]
                if next != 0x00 && next != 0xFF && !(0xD0...0xD7).contains(next) { return offset }
                offset += next == 0xFF ? 1 : 2
            } else {
                offset += 1
            }
        }
        return nil
    }

    /// The screen descriptor and colour table, then extensions and images to the trailer.
    static func gif(_ bytes: Bytes) -> Bool {
        guard bytes.count >= 14 else { return false }
        var offset = 13 + colorTable(flags: bytes[10])
        var sawImage = false
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x3B: return sawImage
            case 0x21:
                offset += 2
            case 0x2C:
                guard offset + 10 < bytes.count else { return false }
                offset += 10 + colorTable(flags: bytes[offset + 9]) + 1  // and the LZW code size
                sawImage = true
            default: return false
            }
            // Data sub-blocks, each led by its size, to an empty one.
            while true {
                guard offset < bytes.count else { return false }
                let size = Int(bytes[offset])
                offset += 1 + size
                if size == 0 { break }
            }
        }
        return false
    }

    static func colorTable(flags: UInt8) -> Int {
        flags & 0x80 == 0 ? 0 : 3 << (Int(flags & 0x07) + 1)
    }

    /// The RIFF size within the file, and chunks that fill it exactly, one of them an image.
    static func webp(_ bytes: Bytes) -> Bool {
        guard bytes.count >= 20 else { return false }
        let end = 8 + littleEndian(bytes, 4, 4)
        guard end <= bytes.count, end >= 20 else { return false }
        var offset = 12
        var sawImage = false
        while offset < end {
            guard offset + 8 <= end else { return false }
            let name = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = littleEndian(bytes, offset + 4, 4)
            guard size <= end - offset - 8 else { return false }
            let body = offset + 8
            switch name {
            // Each bitstream opens with its signature: a lossless one's byte, a lossy key frame's start code.
            case "VP8L": guard size >= 5, bytes[body] == 0x2F else { return false }
            case "VP8 ":
                guard size >= 10, Array(bytes[body + 3..<body + 6]) == [0x9D, 0x01, 0x2A] else {
                    return false
                }
            default: break
            }
            if ["VP8 ", "VP8L", "ANMF"].contains(name) { sawImage = true }
            offset += 8 + size + (size & 1)
        }
        return offset == end && sawImage
    }

    /// Top-level boxes that fill the file exactly: `ftyp` first, a `meta` and the media data.
    static func avif(_ bytes: Bytes) -> Bool {
        var offset = 0
        var names: [String] = []
        while offset < bytes.count {
            guard offset + 8 <= bytes.count else { return false }
            var size = bigEndian(bytes, offset, 4)
            var header = 8
            if size == 1 {
                guard offset + 16 <= bytes.count, bytes[offset + 8] == 0 else { return false }
                size = bigEndian(bytes, offset + 8, 8)
                header = 16
            } else if size == 0 {
                size = bytes.count - offset
            }
            guard size >= header, size <= bytes.count - offset else { return false }
            names.append(String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self))
            offset += size
        }
        return names.first == "ftyp" && names.contains("meta") && names.contains("mdat")
    }

    /// The CRC-32 of PNG chunks (the same as zlib's).
    static func crc32(_ bytes: Slice<Bytes>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
