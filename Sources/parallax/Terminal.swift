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

    private static let usesColor = isInteractive && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    // Emphasis travels as private-use marks until the text is written: the text is cleaned of
    // every control character first (see ``visible(_:keepingLayout:)``), then the marks become
    // the only escape sequences that reach the terminal.
    private static let boldMark: Character = "\u{E000}"
    private static let dimMark: Character = "\u{E001}"
    private static let plainMark: Character = "\u{E002}"

    static func bold(_ text: String) -> String {
        usesColor ? "\(boldMark)\(text)\(plainMark)" : text
    }

    static func dim(_ text: String) -> String {
        usesColor ? "\(dimMark)\(text)\(plainMark)" : text
    }

    /// Text as it may reach a terminal: every control character made visible (C0 as its control
    /// picture, such as ␛ for ESC; DEL, C1 and bidirectional overrides as �), so a title, note or
    /// device id from outside can neither move the cursor, set the window title, nor hide text.
    /// Newlines and tabs stay when `keepingLayout`.
    static func visible(_ text: String, keepingLayout: Bool = true) -> String {
        guard text.unicodeScalars.contains(where: needsReplacing) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if keepingLayout && (scalar == "\n" || scalar == "\t") || !needsReplacing(scalar) {
                result.append(scalar)
            } else if scalar.value < 0x20 {
                result.append(Unicode.Scalar(0x2400 + scalar.value)!)
            } else {
                result.append("\u{FFFD}")
            }
        }
        return String(result)
    }

    private static func needsReplacing(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// What the CLI writes to standard output: cleaned and emphasised on a terminal, as it is elsewhere.
    static func forStandardOutput(_ text: String) -> String {
        guard isInteractive else { return text }
        var cleaned = visible(text)
        guard usesColor else { return cleaned }
        for (mark, sequence) in [(boldMark, "\u{1B}[1m"), (dimMark, "\u{1B}[2m"), (plainMark, "\u{1B}[0m")] {
            cleaned = cleaned.replacingOccurrences(of: String(mark), with: sequence)
        }
        return cleaned
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(
            Data("parallax: error: \(visible(message, keepingLayout: false))\n".utf8))
    }

    static func printWarning(_ message: String) {
        FileHandle.standardError.write(Data("parallax: \(visible(message, keepingLayout: false))\n".utf8))
    }

    /// Rewrites one progress line on stderr; does nothing when stderr is not a terminal.
    static func progress(_ message: String) {
        guard errorIsInteractive else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(visible(message, keepingLayout: false))".utf8))
    }

    /// A bar of 24 cells filled in proportion, e.g. `[#########...............]  37%`.
    static func progressBar(done: Int, total: Int) -> String {
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        let filled = Int((fraction * 24).rounded(.down))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 24 - filled) + "] "
            + String(format: "%3.0f%%", fraction * 100)
    }

    /// Asks for a secret on the terminal without echoing it; nil when standard input is not a
    /// terminal, so a script fails with a clear error instead of waiting.
    static func askSecret(_ prompt: String) -> String? {
        guard isatty(STDIN_FILENO) == 1 else { return nil }
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return nil }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        FileHandle.standardError.write(Data(prompt.utf8))
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true)
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

// MARK: - Standard output

extension Terminal {
    /// Writes one line to standard output. Every line the CLI prints goes through here, so no
    /// command can print text from outside to a terminal uncleaned (``forStandardOutput(_:)``).
    static func line(_ text: String = "") { write(text + "\n") }

    /// Writes text to standard output as it is, cleaned and emphasised on a terminal.
    static func write(_ text: String) { Swift.print(forStandardOutput(text), terminator: "") }
}
