import Foundation

extension TestImages {
    /// A baseline greyscale JPEG, every block mid-grey: quantization and Huffman tables, a frame,
    /// one scan and its end mark.
    public static func jpeg(width: Int = 1, height: Int = 1) -> Data {
        var jpeg = Data([0xFF, 0xD8])
        jpeg.append(contentsOf: [0xFF, 0xDB, 0x00, 0x43, 0x00] + [UInt8](repeating: 1, count: 64))
        jpeg.append(contentsOf: [0xFF, 0xC0, 0x00, 0x0B, 0x08])
        jpeg.append(contentsOf: [
            UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF),
        ])
        jpeg.append(contentsOf: [0x01, 0x01, 0x11, 0x00])
        // One code each, "0": a DC difference of nothing, and the end of a block.
        for table: UInt8 in [0x00, 0x10] {
            jpeg.append(
                contentsOf: [0xFF, 0xC4, 0x00, 0x14, table, 0x01] + [UInt8](repeating: 0, count: 15) + [0x00])
        }
        jpeg.append(contentsOf: [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00])
        // Two zero bits a block, the last byte padded with ones.
        let bits = ((width + 7) / 8) * ((height + 7) / 8) * 2
        jpeg.append(contentsOf: [UInt8](repeating: 0, count: bits / 8))
        if bits % 8 != 0 { jpeg.append(0xFF >> UInt8(bits % 8)) }
        jpeg.append(contentsOf: [0xFF, 0xD9])
        return jpeg
    }

    /// A 1 × 1 GIF with a graphic control extension, a two-colour table and its trailer.
    public static let gif = Data([
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
        0x00, 0x00, 0x00, 0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ])

    /// A 1 × 1 lossless WebP: the RIFF header and one `VP8L` chunk, padded to an even size.
    public static let webp =
        Data("RIFF".utf8) + Data([0x1A, 0, 0, 0]) + Data("WEBPVP8L".utf8)
        + Data([0x0D, 0, 0, 0, 0x2F, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xFE, 0x07, 0x00])

    /// The boxes of an AVIF (`ftyp`, a `meta` holding the image's extents, `mdat`), with stand-in
    /// bytes for its coded pixels: enough for checks that read its structure, not for a decoder.
    public static func avif(width: Int = 2, height: Int = 2) -> Data {
        func box(_ name: String, _ body: Data) -> Data {
            let size = UInt32(8 + body.count)
            return Data([
                UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF),
            ])
                + Data(name.utf8) + body
        }
        func word(_ value: Int) -> Data {
            Data([
                UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF),
                UInt8(value & 0xFF),
            ])
        }
        let extents = box("ispe", word(0) + word(width) + word(height))
        return box("ftyp", Data("avif".utf8) + word(0) + Data("avifmif1".utf8))
            + box("meta", word(0) + box("iprp", box("ipco", extents)))
            + box("mdat", Data(repeating: 0x5A, count: 24))
    }
}
