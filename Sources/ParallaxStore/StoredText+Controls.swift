import Foundation

/// The characters no stored text keeps: C0 controls (U+0000–U+001F), DEL (U+007F), C1 controls
/// (U+0080–U+009F) and the bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E,
/// U+2066–U+2069).
///
/// Titles, sources and bodies come from pages and feeds anyone writes: a title holding
/// `ESC ]0;…` sets a terminal's title when `parallax list | head` passes it through, and a
/// right-to-left override shows a line other than the one stored. Newline and tab are kept
/// where a field has lines (bodies, notes, quotes) and become spaces where it has one.
extension StoredText {
    /// The text without controls, keeping newline and tab; CR LF and a lone CR become LF.
    public static func multiLine(_ text: String) -> String { cleaned(text, lines: .kept) }

    /// The text without controls, with newline and tab each a space (CR LF one space).
    public static func singleLine(_ text: String) -> String { cleaned(text, lines: .spaces) }

    /// The text without controls, newline and tab dropped as well, as browsers read an address.
    public static func address(_ text: String) -> String { cleaned(text, lines: .dropped) }

    /// Whether the text holds a character the cleaning removes or changes: with `keepingLines`,
    /// newline and tab are not counted (a CR is).
    public static func holdsControls(_ text: String, keepingLines: Bool) -> Bool {
        var text = text
        return text.withUTF8 { scan($0, keepingLines: keepingLines) }
    }

    /// The start of a value for a message: its first 40 characters, controls removed, and `…`
    /// when there is more, so a refused 40 MB title is not printed whole.
    public static func excerpt(_ text: String) -> String {
        let head = text.prefix(81)
        let start = singleLine(String(head.prefix(80)))
        return start.count > 40 || head.count > 80 ? String(start.prefix(40)) + "…" : start
    }

    /// Whether a scalar is one of the controls no stored text keeps (newline and tab included).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}

private extension StoredText {
    /// What becomes of newline, tab and CR.
    enum LineRule { case kept, spaces, dropped }

    static func cleaned(_ text: String, lines: LineRule) -> String {
        guard holdsControls(text, keepingLines: lines == .kept) else { return text }
        var scalars = String.UnicodeScalarView()
        var afterCR = false
        for scalar in text.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            switch scalar {
            case "\n", "\r", "\t":
                switch lines {
                case .kept:
                    // CR LF is one line break, already written for the CR.
                    if scalar == "\t" {
                        scalars.append(scalar)
                    } else if !(scalar == "\n" && afterCR) {
                        scalars.append("\n")
                    }
                case .spaces: if !(scalar == "\n" && afterCR) { scalars.append(" ") }
                case .dropped: break
                }
            default:
                if !isControl(scalar) { scalars.append(scalar) }
            }
        }
        return String(scalars)
    }

    /// Scans UTF-8 eight bytes at a time: a word of printable ASCII (every byte from 0x20 to
    /// 0x7E) holds none of the controls, and otherwise the scan goes straight to its first other
    /// byte (the lowest flagged one is exact: borrows and carries only rise from a flagged byte)
    /// and steps over that character whole. Every control is a byte below 0x20, 0x7F, or one of
    /// the sequences C2 80–9F, D8 9C, E2 80 8E–8F, E2 80 AA–AE and E2 81 A6–A9. Bodies of up to
    /// 32 MiB pass through here on every add.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, keepingLines: Bool) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        var index = 0
        while index < count {
            if index + 8 <= count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let below = (word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080
                let above = ((word &+ 0x0101_0101_0101_0101) | word) & 0x8080_8080_8080_8080
                let flagged = below | above
                guard flagged != 0 else {
                    index += 8
                    continue
                }
                index += flagged.trailingZeroBitCount >> 3
            }
            let byte = bytes[index]
            switch byte {
            case 0x0A, 0x09:
                if !keepingLines { return true }
                index += 1
            case 0x00..<0x20, 0x7F:
                return true
            case 0xC2:
                if index + 1 < count, (0x80...0x9F).contains(bytes[index + 1]) { return true }
                index += 2
            case 0xD8:
                if index + 1 < count, bytes[index + 1] == 0x9C { return true }
                index += 2
            case 0xE2:
                if index + 2 < count {
                    let (second, third) = (bytes[index + 1], bytes[index + 2])
                    if second == 0x80, third == 0x8E || third == 0x8F || (0xAA...0xAE).contains(third) {
                        return true
                    }
                    if second == 0x81, (0xA6...0xA9).contains(third) { return true }
                }
                index += 3
            case 0xC3...0xDF: index += 2
            case 0xE0...0xEF: index += 3
            case 0xF0...0xFF: index += 4
            default: index += 1
            }
        }
        return false
    }
}
