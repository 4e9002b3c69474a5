import Foundation
import ParallaxStore

#if canImport(Glibc)
    import Glibc
#endif

/// Presentation for a terminal: widths, wrapping, emphasis and the two output streams.
enum Terminal {
    /// Whether standard output is a terminal (and so gets colour and wrapping to its width).
    static let isInteractive = isatty(STDOUT_FILENO) == 1
    /// Whether standard error is a terminal (and so gets progress lines).
    static let errorIsInteractive = isatty(STDERR_FILENO) == 1

    /// The width to wrap text to: $COLUMNS, the terminal's width, or 80; at most 100 for reading comfort.
    static var width: Int {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 20 {
            return min(columns, 100)
        }
        var size = winsize()
        if isInteractive, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 {
            return min(Int(size.ws_col), 100)
        }
        return 80
    }

    static func bold(_ text: String) -> String {
        isInteractive && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }

    static func dim(_ text: String) -> String {
        isInteractive && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            ? "\u{1B}[2m\(text)\u{1B}[0m" : text
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("parallax: error: \(message)\n".utf8))
    }

    static func printWarning(_ message: String) {
        FileHandle.standardError.write(Data("parallax: \(message)\n".utf8))
    }

    /// Rewrites one progress line on stderr; does nothing when stderr is not a terminal.
    static func progress(_ message: String) {
        guard errorIsInteractive else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(message)".utf8))
    }

    /// A bar of 24 cells filled in proportion, e.g. `[#########...............]  37%`.
    static func progressBar(done: Int, total: Int) -> String {
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        let filled = Int((fraction * 24).rounded(.down))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 24 - filled) + "] "
            + String(format: "%3.0f%%", fraction * 100)
    }

    static func endProgress() {
        guard errorIsInteractive else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    /// Wraps paragraphs (separated by blank lines) to `width` columns.
    static func wrap(_ text: String, width: Int, indent: String = "") -> String {
        text.components(separatedBy: "\n\n").map { paragraph in
            var lines: [String] = []
            var line = indent
            for word in paragraph.split(whereSeparator: \.isWhitespace) {
                if line.count > indent.count && line.count + 1 + word.count > width {
                    lines.append(line)
                    line = indent
                }
                line += (line.count > indent.count ? " " : "") + word
            }
            if line.count > indent.count { lines.append(line) }
            return lines.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    /// Shortens text to `width` characters with an ellipsis.
    static func truncate(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(1, width - 1))) + "…"
    }

    /// Pads text to `width` characters.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Prints a value as pretty JSON with sorted keys.
    static func printJSON(_ value: some Encodable) throws {
        let data = try Library.jsonEncoder(pretty: true).encode(value)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}
