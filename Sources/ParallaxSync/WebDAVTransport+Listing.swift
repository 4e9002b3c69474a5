import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

extension WebDAVTransport {
    /// The files in the collection with their sizes, from a `PROPFIND` of depth 1.
    ///
    /// The listing is read up to ``maximumListingBytes``: a server that answers without end is
    /// refused there. Each file's name is the last segment of its href, percent-decoded; a name
    /// that is not one plain file name (``RemoteFileName/isPlain(_:)``) is left out, so no
    /// request is ever made from what a server chose to put in an href.
    /// - Throws: ``SyncError/remote(location:reason:)``.
    public func list() throws -> [RemoteFile] {
        let tooLarge = SyncError.remote(
            location: collection.absoluteString,
            reason: "the listing is larger than \(Self.maximumListingBytes >> 20) MiB, more than a "
                + "Parallax remote holds")
        let response = try request(
            "PROPFIND", collection, headers: [("Depth", "1"), ("Content-Type", "application/xml")],
            body: .bytes(Self.listingQuery), accepting: [207], limit: Self.maximumListingBytes,
            tooLarge: tooLarge)
        return MultiStatusParser.responses(in: response.body).compactMap { answer in
            guard !answer.isCollection, let name = Self.fileName(href: answer.href, in: collection) else {
                return nil
            }
            return RemoteFile(name: name, bytes: answer.length)
        }
    }

    /// The name of the file an href names directly in the collection; nil for the collection
    /// itself, a folder, or a name that is not one plain file name once decoded.
    static func fileName(href: String, in collection: URL) -> String? {
        guard let url = URL(string: href, relativeTo: collection),
            let path = URLComponents(url: url, resolvingAgainstBaseURL: true)?.percentEncodedPath,
            !path.hasSuffix("/"), let last = path.split(separator: "/").last,
            let name = String(last).removingPercentEncoding, RemoteFileName.isPlain(name)
        else { return nil }
        let own = collection.path.hasSuffix("/") ? String(collection.path.dropLast()) : collection.path
        return url.path == own ? nil : name
    }

    /// Asks only for what a listing needs, instead of every property the server keeps.
    static let listingQuery = Data(
        """
        <?xml version="1.0" encoding="utf-8"?>
        <propfind xmlns="DAV:"><prop><getcontentlength/><resourcetype/></prop></propfind>
        """.utf8)
}

/// The files of a WebDAV multi-status answer, whatever prefix its `DAV:` namespace has.
private final class MultiStatusParser: NSObject, XMLParserDelegate {
    struct Answer {
        var href = ""
        var length: Int?
        var isCollection = false
    }

    private var answers: [Answer] = []
    private var answer: Answer?
    private var text: String?

    static func responses(in data: Data) -> [Answer] {
        let delegate = MultiStatusParser()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = delegate
        parser.parse()
        return delegate.answers
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        guard namespaceURI == "DAV:" else { return }
        switch elementName {
        case "response": answer = Answer()
        case "href", "getcontentlength": text = ""
        case "collection": answer?.isCollection = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text? += string
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        guard namespaceURI == "DAV:" else { return }
        let value = text?.trimmingCharacters(in: .whitespacesAndNewlines)
        switch elementName {
        case "href":
            // Only the response's own href names the file; a later one would be inside a property.
            if answer?.href.isEmpty == true { answer?.href = value ?? "" }
        case "getcontentlength": answer?.length = value.flatMap { Int($0) }
        case "response":
            if let answer { answers.append(answer) }
            answer = nil
        default: break
        }
        if elementName == "href" || elementName == "getcontentlength" { text = nil }
    }
}
