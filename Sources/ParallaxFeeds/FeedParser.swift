import Foundation
import ParallaxIngest

/// Reads a feed document of any kind Parallax follows: RSS 0.91–2.0, RSS 1.0 (RDF), Atom 1.0
/// and 0.3, JSON Feed 1.0 and 1.1, or an OPML outline of subscriptions. It tells them apart by
/// their first bytes and root element, reads them as they stream, and keeps what
/// ``ParsedFeed`` holds within ``FeedLimits``.
public enum FeedParser {
    /// Reads the feed in the file at `path`.
    /// - Parameters:
    ///   - name: How messages name the document (its address); its path when nil.
    ///   - address: Where it came from, which relative links resolve against.
    ///   - charset: The encoding an HTTP header declared, which overrides the document's own.
    /// - Throws: ``FeedError`` for a file that is missing, too large, truncated or no feed.
    public static func parse(
        file path: String, name: String? = nil, address: String? = nil, charset: String? = nil
    )
        throws -> ParsedFeed
    {
        let name = name ?? path
        // The file is opened once and asked about with one fstat, and the scan and libxml2 read
        // it through the same descriptor: FileManager's attributes (which look up owners by
        // name) and three opens cost a one-kilobyte feed more than parsing it.
        // Without blocking, so that a named pipe given as a feed is refused rather than waited on
        // (reads of a regular file never block anyway).
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw FeedError.unreadable(path: name) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw FeedError.unreadable(path: name)
        }
        let size = Int(status.st_size)
        guard size <= FeedLimits.maximumBytes else { throw FeedError.tooLarge(path: name) }
        // A feed of up to 64 KiB (most of them) is read whole in one read and parsed where it
        // lies: reading it again for libxml2 after the scan cost a one-kilobyte feed a tenth of
        // its parse. A longer one is read on from its first 64 KiB.
        let wanted = min(size + 1, Self.leadingBytes)
        guard let opening = Self.opening(of: descriptor, upTo: wanted) else {
            throw FeedError.unreadable(path: name)
        }
        let rest = opening.count < wanted ? nil : FileRest(descriptor: descriptor, size: size, path: path)
        return try read(opening: opening, rest: rest, name: name, address: address, charset: charset)
    }

    /// Reads a feed document held whole in memory (a body already downloaded, say), as
    /// ``parse(file:name:address:charset:)`` reads one from a file.
    /// - Parameters:
    ///   - name: How messages name the document (its address).
    ///   - address: Where it came from, which relative links resolve against.
    ///   - charset: The encoding an HTTP header declared, which overrides the document's own.
    /// - Throws: ``FeedError`` for a document that is too large, truncated or no feed.
    public static func parse(document: [UInt8], name: String, address: String? = nil, charset: String? = nil)
        throws -> ParsedFeed
    {
        guard document.count <= FeedLimits.maximumBytes else { throw FeedError.tooLarge(path: name) }
        return try read(opening: document, rest: nil, name: name, address: address, charset: charset)
    }

    /// The part of an open file past the bytes already read, for a feed longer than those.
    private struct FileRest {
        let descriptor: Int32
        let size: Int
        let path: String
    }

    /// Reads a feed from its opening bytes, and from the rest of its file when there is more.
    private static func read(
        opening: [UInt8], rest: FileRest?, name: String, address: String?, charset: String?
    ) throws -> ParsedFeed {
        let isWhole = rest == nil
        do {
            switch Self.syntax(of: opening) {
            case .json:
                var reader = JSONFeedReader(
                    descriptor: rest?.descriptor ?? -1, leading: opening, isWhole: isWhole,
                    expectedBytes: rest?.size ?? opening.count, base: address)
                return try reader.read()
            case .xml:
                let isCrowded =
                    rest.map { CrowdedTagScan.hasCrowdedTag(descriptor: $0.descriptor, opening: opening) }
                    ?? CrowdedTagScan.hasCrowdedTag(in: opening)
                if isCrowded {
                    throw FeedError.malformed(
                        path: name,
                        reason: "an element has more than \(CrowdedTagScan.maximumAttributes) attributes")
                }
                // A prolog that declares Latin-1 is overridden; libxml2 reads any other encoding
                // from the prolog itself.
                let declared = Self.declaredEncoding(opening)
                let encoding =
                    Self.encoding(declared: charset) ?? (declared == "windows-1252" ? declared : nil)
                guard let rest else {
                    // UTF-8 (without a UTF-16 or UTF-32 byte order) needs no conversion, which a
                    // document read in place cannot have.
                    let isUTF8 =
                        encoding == nil && (declared == nil || declared == "utf-8")
                        && ![0x00, 0xFE, 0xFF].contains(opening.first ?? 0)
                    let stream =
                        isUTF8
                        ? try XMLReaderPool.reader(utf8Document: opening, base: address)
                        : try XMLStreamReader(
                            document: opening, isUTF8: false, base: address, encoding: encoding)
                    var reader = XMLFeedReader(reader: stream)
                    let feed = try reader.read()
                    if isUTF8 { XMLReaderPool.keep(stream) }
                    return feed
                }
                guard lseek(rest.descriptor, 0, SEEK_SET) == 0 else { throw FeedError.unreadable(path: name) }
                var reader = XMLFeedReader(
                    reader: try XMLStreamReader(
                        descriptor: rest.descriptor, base: address, encoding: encoding))
                return try reader.read()
            case nil:
                throw NotAFeed(reason: opening.isEmpty ? "it is empty" : "it is neither XML nor JSON")
            }
        } catch let problem as NotAFeed {
            throw FeedError.notAFeed(path: name, reason: problem.reason)
        } catch is IsWebPage {
            throw Self.webPage(opening: opening, rest: rest, name: name, address: address)
        } catch XMLStreamReader.Failure.unreadable {
            throw FeedError.unreadable(path: name)
        } catch XMLStreamReader.Failure.malformed {
            // A web page is rarely well-formed XML; saying what it is helps more than saying that.
            if Self.isWebPage(opening) {
                throw Self.webPage(opening: opening, rest: rest, name: name, address: address)
            }
            throw FeedError.malformed(path: name, reason: "it is truncated or not well-formed XML")
        } catch JSONEventReader.Failure.truncated {
            throw FeedError.malformed(path: name, reason: "it is truncated")
        } catch JSONEventReader.Failure.malformed(let offset) {
            throw FeedError.malformed(path: name, reason: "it is not valid JSON at byte \(offset)")
        }
    }

    private enum Syntax { case xml, json }

    /// How much of a feed is read before its kind is decided: the whole of most feeds.
    private static let leadingBytes = 1 << 16

    /// The first `limit` bytes of an open file (fewer when it ends before), or nil when it
    /// cannot be read.
    private static func opening(of descriptor: Int32, upTo limit: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: limit)
        var count = 0
        while count < bytes.count {
            let read = bytes.withUnsafeMutableBytes {
                Glibc.read(descriptor, $0.baseAddress! + count, $0.count - count)
            }
            if read < 0 && errno == EINTR { continue }
            guard read >= 0 else { return nil }
            guard read > 0 else { break }
            count += read
        }
        bytes.removeLast(limit - count)
        return bytes
    }

    /// XML or JSON, by the first character after a byte-order mark and white space.
    private static func syntax(of opening: [UInt8]) -> Syntax? {
        var bytes = opening[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        // A UTF-16 or UTF-32 document is XML: JSON Feeds are UTF-8.
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.first == 0 {
            return .xml
        }
        switch bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
        case UInt8(ascii: "<"): return .xml
        case UInt8(ascii: "{"): return .json
        default: return nil
        }
    }

    /// The error for a web page, naming the feeds it declares.
    private static func webPage(opening: [UInt8], rest: FileRest?, name: String, address: String?)
        -> FeedError
    {
        let page: Data? =
            if let rest { try? Data(contentsOf: URL(fileURLWithPath: rest.path)) } else { Data(opening) }
        let html = page.map { String(decoding: $0, as: UTF8.self) }
        return .webPage(
            path: name, declared: html.map { FeedDiscovery.feeds(inPage: $0, address: address) } ?? [])
    }

    /// Whether a document opens as an HTML page does.
    private static func isWebPage(_ opening: [UInt8]) -> Bool {
        let start = String(decoding: opening.prefix(512), as: UTF8.self).lowercased()
        return start.contains("<!doctype html") || start.contains("<html")
    }

    /// The encoding to read a document in, from a declared name: Latin-1 is read as
    /// windows-1252, its superset, since that is what documents labelled Latin-1 hold.
    static func encoding(declared name: String?) -> String? {
        guard let name = name.map({ FeedText.trimmedWhitespace($0).lowercased() }), !name.isEmpty else {
            return nil
        }
        let latin1 = [
            "iso-8859-1", "iso8859-1", "iso_8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii",
        ]
        return latin1.contains(name) ? "windows-1252" : name
    }

    /// The encoding a document's prolog declares, named as ``encoding(declared:)`` names it; nil
    /// when it declares none.
    private static func declaredEncoding(_ opening: [UInt8]) -> String? {
        // Read in bytes, since this runs before every parse: the prolog starts the document, or
        // follows a byte-order mark.
        let prolog = Array(opening.prefix(200))
        guard let start = position(of: "<?xml", in: prolog[...]), start <= 4,
            let end = position(of: "?>", in: prolog[start...]),
            let attribute = position(of: "encoding", in: prolog[start..<end])
        else { return nil }
        // XML allows white space around the `=`.
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        let afterName = prolog[(attribute + 8)..<end].drop(while: isSpace)
        guard afterName.first == UInt8(ascii: "=") else { return nil }
        let value = afterName.dropFirst().drop(while: isSpace)
            .drop { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }
            .prefix { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "'") }
        return Self.encoding(declared: String(decoding: value, as: UTF8.self))
    }

    /// Where `pattern` first starts in `bytes`.
    private static func position(of pattern: StaticString, in bytes: ArraySlice<UInt8>) -> Int? {
        let pattern = UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount)
        // Candidates start where the pattern's first byte is: a prolog holds few of them.
        var start = bytes.startIndex
        while let candidate = bytes[start...].firstIndex(of: pattern[0]) {
            if bytes[candidate...].starts(with: pattern) { return candidate }
            start = candidate + 1
        }
        return nil
    }
}
