/// Byte-level scans of UTF-8 text. Extraction runs these over every node of every page, where
/// `Character` properties (grapheme breaking, Unicode tables) cost more than the parse itself.
enum TextScan {
    /// The text with each run of white space (ASCII, no-break and typographic spaces) made one
    /// space, zero-width spaces dropped, and no space at either end.
    static func collapsingWhitespace(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let width = whitespaceWidth(bytes, at: index)
            if width > 0 {
                // U+200B ZERO WIDTH SPACE separates nothing a reader sees.
                if !(width == 3 && bytes[index + 2] == 0x8B && bytes[index] == 0xE2) { pendingSpace = true }
                index += width
                continue
            }
            if pendingSpace && !output.isEmpty { output.append(0x20) }
            pendingSpace = false
            output.append(bytes[index])
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether the text holds nothing but white space.
    static func isBlank(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let width = whitespaceWidth(bytes, at: index)
            if width == 0 { return false }
            index += width
        }
        return true
    }

    /// The number of words: runs of anything but white space.
    static func wordCount(_ text: String) -> Int {
        let bytes = Array(text.utf8)
        var count = 0
        var inWord = false
        var index = 0
        while index < bytes.count {
            let width = whitespaceWidth(bytes, at: index)
            if width > 0 {
                inWord = false
                index += width
            } else {
                if !inWord { count += 1 }
                inWord = true
                index += 1
            }
        }
        return count
    }

    /// Commas, counting the full-width and ideographic ones of CJK text.
    static func commaCount(_ text: String) -> Int {
        var count = 0
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in text.utf8 {
            if byte == 0x2C {
                count += 1
            } else if (previous == (0xEF, 0xBC) && byte == 0x8C) || (previous == (0xE3, 0x80) && byte == 0x81)
            {
                count += 1
            }
            previous = (previous.1, byte)
        }
        return count
    }

    /// The length in bytes of the white-space character at `index`, 0 when it is not one.
    private static func whitespaceWidth(_ bytes: [UInt8], at index: Int) -> Int {
        switch bytes[index] {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D: return 1
        case 0xC2 where index + 1 < bytes.count && (bytes[index + 1] == 0xA0 || bytes[index + 1] == 0x85):
            return 2
        case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80:
            let last = bytes[index + 2]
            return (0x80...0x8B).contains(last) || last == 0xA8 || last == 0xA9 || last == 0xAF ? 3 : 0
        case 0xE3 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && bytes[index + 2] == 0x80:
            return 3
        default: return 0
        }
    }
}
