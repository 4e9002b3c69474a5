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
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
            let opening = Self.opening(of: descriptor)
        else { throw FeedError.unreadable(path: name) }
        guard Int(status.st_size) <= FeedLimits.maximumBytes else { throw FeedError.tooLarge(path: name) }
        do {
            switch Self.syntax(of: opening) {
            case .json:
                guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw FeedError.unreadable(path: name) }
                var reader = JSONFeedReader(
                    descriptor: descriptor, expectedBytes: Int(status.st_size), base: address)
                return try reader.read()
            case .xml:
                if CrowdedTagScan.hasCrowdedTag(descriptor: descriptor, opening: opening) {
                    throw FeedError.malformed(
                        path: name,
                        reason: "an element has more than \(CrowdedTagScan.maximumAttributes) attributes")
                }
                let encoding = Self.encoding(declared: charset) ?? Self.prologEncoding(opening)
                guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw FeedError.unreadable(path: name) }
                var reader = XMLFeedReader(
                    reader: try XMLStreamReader(descriptor: descriptor, base: address, encoding: encoding))
                return try reader.read()
            case nil:
                throw NotAFeed(reason: opening.isEmpty ? "it is empty" : "it is neither XML nor JSON")
            }
        } catch let problem as NotAFeed {
            throw FeedError.notAFeed(path: name, reason: problem.reason)
        } catch is IsWebPage {
            throw Self.webPage(at: path, name: name, address: address)
        } catch XMLStreamReader.Failure.unreadable {
            throw FeedError.unreadable(path: name)
        } catch XMLStreamReader.Failure.malformed {
            // A web page is rarely well-formed XML; saying what it is helps more than saying that.
            if Self.isWebPage(opening) { throw Self.webPage(at: path, name: name, address: address) }
            throw FeedError.malformed(path: name, reason: "it is truncated or not well-formed XML")
        } catch JSONEventReader.Failure.truncated {
            throw FeedError.malformed(path: name, reason: "it is truncated")
        } catch JSONEventReader.Failure.malformed(let offset) {
            throw FeedError.malformed(path: name, reason: "it is not valid JSON at byte \(offset)")
        }
    }

    private enum Syntax { case xml, json }

    /// The first kilobyte of an open file, or nil when it cannot be read.
    private static func opening(of descriptor: Int32) -> Data? {
        var bytes = [UInt8](repeating: 0, count: 1_024)
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
        return Data(bytes.prefix(count))
    }

    /// XML or JSON, by the first character after a byte-order mark and white space.
    private static func syntax(of opening: Data) -> Syntax? {
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
    private static func webPage(at path: String, name: String, address: String?) -> FeedError {
        let html = (try? Data(contentsOf: URL(fileURLWithPath: path))).map {
            String(decoding: $0, as: UTF8.self)
        }
        return .webPage(
            path: name, declared: html.map { FeedDiscovery.feeds(inPage: $0, address: address) } ?? [])
    }

    /// Whether a document opens as an HTML page does.
    private static func isWebPage(_ opening: Data) -> Bool {
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

    /// The override for a prolog that declares Latin-1; any other encoding libxml2 reads from
    /// the prolog itself.
    private static func prologEncoding(_ opening: Data) -> String? {
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
        let encoding = Self.encoding(declared: String(decoding: value, as: UTF8.self))
        return encoding == "windows-1252" ? encoding : nil
    }

    /// Where `pattern` first starts in `bytes`.
    private static func position(of pattern: StaticString, in bytes: ArraySlice<UInt8>) -> Int? {
        let pattern = UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount)
        return bytes.indices.first { bytes[$0...].starts(with: pattern) }
    }
}
