import Foundation
import ParallaxSync

/// The pixels of an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium's screenshots are), so a
/// test can look at what a browser drew.
public struct PNGPixels {
    /// Width and height.
    public let width: Int, height: Int
    private let channels: Int
    private let rows: [[UInt8]]

    /// Decodes a PNG; nil for any other kind.
    public init?(_ data: Data) {
        let bytes = [UInt8](data)
        guard bytes.count > 33, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) else { return nil }
        var offset = 8
        var header: [UInt8] = []
        var compressed = Data()
        while offset + 8 <= bytes.count {
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            guard offset + 12 + length <= bytes.count else { return nil }
            let body = bytes[offset + 8..<offset + 8 + length]
            if type == "IHDR" { header = Array(body) }
            if type == "IDAT" { compressed.append(contentsOf: body) }
            offset += 12 + length
        }
        guard header.count == 13, header[8] == 8, header[12] == 0, [2, 6].contains(header[9]) else {
            return nil
        }
        width = header[0..<4].reduce(0) { $0 << 8 | Int($1) }
        height = header[4..<8].reduce(0) { $0 << 8 | Int($1) }
        channels = header[9] == 6 ? 4 : 3
        let stride = width * channels
        guard let raw = try? Deflate.decompress(compressed, limit: height * (stride + 1)) else { return nil }
        let filtered = [UInt8](raw)
        guard filtered.count == height * (stride + 1) else { return nil }
        var rows: [[UInt8]] = []
        var previous = [UInt8](repeating: 0, count: stride)
        for y in 0..<height {
            let filter = filtered[y * (stride + 1)]
            var row = Array(filtered[(y * (stride + 1) + 1)..<((y + 1) * (stride + 1))])
            for x in 0..<stride {
                let left = x >= channels ? Int(row[x - channels]) : 0
                let up = Int(previous[x])
                let upLeft = x >= channels ? Int(previous[x - channels]) : 0
                let predictor: Int
                switch filter {
                case 1: predictor = left
                case 2: predictor = up
                case 3: predictor = (left + up) / 2
                case 4:
                    let estimate = left + up - upLeft
                    let (a, b, c) = (abs(estimate - left), abs(estimate - up), abs(estimate - upLeft))
                    predictor = a <= b && a <= c ? left : b <= c ? up : upLeft
                default: predictor = 0
                }
                row[x] = UInt8(truncatingIfNeeded: Int(row[x]) + predictor)
            }
            rows.append(row)
            previous = row
        }
        self.rows = rows
    }

    /// How many pixels are within `tolerance` of a colour on each channel.
    public func count(red: UInt8, green: UInt8, blue: UInt8, tolerance: Int = 8) -> Int {
        var count = 0
        for row in rows {
            for x in stride(from: 0, to: row.count, by: channels)
            where abs(Int(row[x]) - Int(red)) <= tolerance && abs(Int(row[x + 1]) - Int(green)) <= tolerance
                && abs(Int(row[x + 2]) - Int(blue)) <= tolerance
            {
                count += 1
            }
        }
        return count
    }
}
