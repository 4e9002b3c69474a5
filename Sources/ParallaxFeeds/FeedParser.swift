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
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let handle = FileHandle(forReadingAtPath: path)
        else { throw FeedError.unreadable(path: name) }
        let opening = (try? handle.read(upToCount: 1_024)) ?? Data()
        try? handle.close()
        guard (attributes[.size] as? Int ?? 0) <= FeedLimits.maximumBytes else {
            throw FeedError.tooLarge(path: name)
        }
        do {
            switch Self.syntax(of: opening) {
            case .json:
                var reader = try JSONFeedReader(path: path, base: address)
                return try reader.read()
            case .xml:
                if try CrowdedTagScan.hasCrowdedTag(path: path) {
                    throw FeedError.malformed(
                        path: name,
                        reason: "an element has more than \(CrowdedTagScan.maximumAttributes) attributes")
                }
                let encoding = Self.encoding(declared: charset) ?? Self.prologEncoding(opening)
                var reader = XMLFeedReader(
                    reader: try XMLStreamReader(path: path, base: address, encoding: encoding))
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
        guard let name = name?.trimmingCharacters(in: .whitespaces).lowercased(), !name.isEmpty else {
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
        let prolog = String(decoding: opening.prefix(200), as: UTF8.self)
        guard prolog.hasPrefix("<?xml") || prolog.dropFirst().hasPrefix("<?xml"),
            let end = prolog.range(of: "?>"),
            let attribute = prolog[..<end.lowerBound].range(of: "encoding=")
        else { return nil }
        let value = prolog[attribute.upperBound..<end.lowerBound].drop { $0 == "\"" || $0 == "'" }
            .prefix { $0 != "\"" && $0 != "'" }
        let encoding = Self.encoding(declared: String(value))
        return encoding == "windows-1252" ? encoding : nil
    }
}
