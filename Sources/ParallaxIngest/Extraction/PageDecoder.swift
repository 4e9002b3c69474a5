import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns the bytes of a web page into text, finding the character set the way browsers do.
public enum PageDecoder {
    /// Decodes page bytes; invalid bytes become U+FFFD, never an error.
    ///
    /// The character set comes from a byte-order mark, then the HTTP `Content-Type` header, then
    /// `<meta charset>` in the first 4 KiB; without any, UTF-8 when the bytes are valid UTF-8 and
    /// Windows-1252 otherwise.
    /// - Parameters:
    ///   - data: The page as downloaded or read from disk.
    ///   - contentType: The HTTP `Content-Type` header, when the page was fetched.
    /// - Returns: The text and the name of the character set used.
    public static func decode(_ data: Data, contentType: String? = nil) -> (text: String, charset: String) {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return (String(decoding: bytes.dropFirst(3), as: UTF8.self), "utf-8")
        }
        if bytes.starts(with: [0xFF, 0xFE]) { return decode(bytes.dropFirst(2), charset: "utf-16le") }
        if bytes.starts(with: [0xFE, 0xFF]) { return decode(bytes.dropFirst(2), charset: "utf-16be") }
        let declared =
            contentType.flatMap(charsetParameter(in:)) ?? metaCharset(in: bytes.prefix(4096))
        if let declared { return decode(bytes[...], charset: declared) }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, "utf-8") }
        return decode(bytes[...], charset: "windows-1252")
    }

    /// The `charset=` parameter of a `Content-Type` value.
    public static func charsetParameter(in contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2,
                pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset"
            else { continue }
            let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'")).lowercased()
            return value.isEmpty ? nil : value
        }
        return nil
    }
}

// MARK: - Sniffing and converting

private extension PageDecoder {
    static func metaCharset(in head: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: head, as: UTF8.self).lowercased()
        var searchStart = text.startIndex
        while let meta = text.range(of: "<meta", range: searchStart..<text.endIndex) {
            let end = text[meta.upperBound...].firstIndex(of: ">") ?? text.endIndex
            let tag = text[meta.upperBound..<end]
            searchStart = end
            guard let charset = tag.range(of: "charset=") else { continue }
            let value = tag[charset.upperBound...].drop { $0 == "\"" || $0 == "'" || $0 == " " }
                .prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ":" || $0 == "." }
            guard !value.isEmpty else { continue }
            // A page that can declare its charset in ASCII is not UTF-16: browsers read such a
            // declaration as UTF-8 (the WHATWG prescan), and x-user-defined as windows-1252.
            if value.hasPrefix("utf-16") { return "utf-8" }
            return value == "x-user-defined" ? "windows-1252" : String(value)
        }
        return nil
    }

    static func decode(_ bytes: ArraySlice<UInt8>, charset label: String) -> (text: String, charset: String) {
        let charset = canonicalName(label)
        if charset == "utf-8" { return (String(decoding: bytes, as: UTF8.self), charset) }
        if let text = convert(bytes, from: charset) { return (text, charset) }
        // An unknown label: the bytes are most likely UTF-8 after all.
        return (String(decoding: bytes, as: UTF8.self), "utf-8")
    }

    /// Browsers read these labels as other encodings (the WHATWG Encoding Standard).
    static func canonicalName(_ label: String) -> String {
        let label = label.trimmingCharacters(in: .whitespaces).lowercased()
        switch label {
        case "utf8", "utf-8", "unicode-1-1-utf-8": return "utf-8"
        case "iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii", "cp1252", "windows-1252",
            "x-cp1252":
            return "windows-1252"
        case "gb2312", "gbk", "x-gbk": return "gb18030"
        case "shift-jis", "sjis", "x-sjis", "ms_kanji": return "shift_jis"
        case "utf-16": return "utf-16le"
        default: return label
        }
    }

    /// Converts with iconv, replacing each byte it cannot read with U+FFFD.
    static func convert(_ bytes: ArraySlice<UInt8>, from charset: String) -> String? {
        let descriptor = iconv_open("UTF-8", charset)
        guard let descriptor, descriptor != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(descriptor) }
        var input = Array(bytes)
        var output = [UInt8]()
        output.reserveCapacity(input.count + input.count / 2)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var consumed = 0
        input.withUnsafeMutableBufferPointer { inputBuffer in
            chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                let inputBase = UnsafeMutableRawPointer(inputBuffer.baseAddress)
                let chunkBase = UnsafeMutableRawPointer(chunkBuffer.baseAddress!)
                while consumed < inputBuffer.count {
                    var inPointer: UnsafeMutablePointer<CChar>? = inputBase?.advanced(by: consumed)
                        .assumingMemoryBound(to: CChar.self)
                    var inLeft = inputBuffer.count - consumed
                    var outPointer: UnsafeMutablePointer<CChar>? = chunkBase.assumingMemoryBound(
                        to: CChar.self)
                    var outLeft = chunkBuffer.count
                    let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                    output.append(contentsOf: chunkBuffer[0..<(chunkBuffer.count - outLeft)])
                    consumed = inputBuffer.count - inLeft
                    if result == -1 {
                        if errno == E2BIG { continue }
                        // An invalid or truncated sequence: replace one byte and go on.
                        output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                        consumed += 1
                        iconv(descriptor, nil, nil, nil, nil)
                    }
                }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
