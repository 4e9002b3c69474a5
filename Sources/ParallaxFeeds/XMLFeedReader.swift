import Foundation

/// The namespaces feeds use, by what they are.
enum FeedNamespace {
    static let atom = "http://www.w3.org/2005/Atom"
    static let atom03 = "http://purl.org/atom/ns#"
    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let rss10 = "http://purl.org/rss/1.0/"
    static let rss090 = "http://my.netscape.com/rdf/simple/0.9/"
    static let content = "http://purl.org/rss/1.0/modules/content/"
    static let dublinCore = "http://purl.org/dc/elements/1.1/"
    static let dublinCoreTerms = "http://purl.org/dc/terms/"
    static let syndication = "http://purl.org/rss/1.0/modules/syndication/"
    static let feedBurner = "http://rssnamespace.org/feedburner/ext/1.0"
    static let media = "http://search.yahoo.com/mrss/"
    static let iTunes = "http://www.itunes.com/DTDs/Podcast-1.0.dtd"
    /// UserLand once put RSS 2.0 in namespaces of its own.
    static let userLandRSS = ["http://backend.userland.com/rss2", "http://backend.userland.com/rss"]
}

/// Reads an RSS, RDF, Atom or OPML document from an ``XMLStreamReader`` into a ``ParsedFeed``,
/// one node at a time: only the entry being read and the text of the element being read are
/// held, and past ``FeedLimits/maximumEntries`` entries are counted, not kept.
struct XMLFeedReader {
    private let reader: XMLStreamReader
    private var feed = ParsedFeed(kind: .rss)
    /// The depth at which the feed's own fields sit (a channel's or feed's children).
    private var feedFieldDepth = 1
    /// The entry being read, while `inEntry`, and the depth of its fields. It is changed in
    /// place: copying an optional entry out and back for each field was a tenth of a parse.
    private var entry = FeedEntry()
    private var inEntry = false
    private var entryFieldDepth = 0
    private var entryIsPermalinkGUID = false
    private var entryHasAlternateLink = false
    private var sawEntry = false
    private var updatePeriod: TimeInterval?
    private var updateFrequency: Double?
    /// What each name of the document means inside an entry, by its ``XMLStreamReader/Name/id``.
    private var entryFields: [EntryField?] = []
    /// Whether the element being read is empty (`<title/>`): it has no text to read.
    private var currentIsEmpty = false
    /// The root element's namespace: an Atom feed's elements are in it, whatever it is.
    private var rootNamespace = ""

    init(reader: XMLStreamReader) {
        self.reader = reader
    }

    /// Reads the whole document.
    /// - Throws: ``NotAFeed`` when its root is no feed's;
    ///   ``XMLStreamReader/Failure`` when it is not well-formed.
    mutating func read() throws -> ParsedFeed {
        guard let root = try firstElement() else { throw NotAFeed(reason: "it holds no XML element") }
        rootNamespace = root.namespace
        switch (root.namespace, root.local) {
        case (_, "rss"): (feed.kind, feedFieldDepth) = (.rss, 2)
        case (FeedNamespace.rdf, "rdf"): (feed.kind, feedFieldDepth) = (.rdf, 2)
        case (_, "feed"): (feed.kind, feedFieldDepth) = (.atom, 1)
        case (_, "opml"): feed.kind = .opml
        case (_, "channel"): (feed.kind, feedFieldDepth) = (.rss, 1)
        case (_, "html"):
            throw IsWebPage()
        default:
            throw NotAFeed(reason: "its root element <\(root.local)> is no feed's")
        }
        while let node = try reader.next() {
            guard case .start(let name, let isEmpty) = node else {
                if case .end(let name) = node, inEntry, isEntry(name),
                    reader.depth == entryFieldDepth - 1
                {
                    finishEntry()
                }
                continue
            }
            currentIsEmpty = isEmpty
            if feed.kind == .opml {
                if name.local == "outline" { readOutline() }
                continue
            }
            if !inEntry, isEntry(name) {
                startEntry(isEmpty: isEmpty)
                continue
            }
            if inEntry, reader.depth == entryFieldDepth {
                try readEntryField(name)
            } else if !inEntry, reader.depth == feedFieldDepth {
                try readFeedField(name)
            } else if inEntry, name.local == "name", reader.depth == entryFieldDepth + 1, entry.author == nil
            {
                // Atom's <author><name>.
                let name = FeedText.line(try text())
                entry.author = name
            }
        }
        if let updatePeriod { feed.minimumInterval = updatePeriod / max(1, updateFrequency ?? 1) }
        return feed
    }

    private func firstElement() throws -> XMLStreamReader.Name? {
        while let node = try reader.next() {
            if case .start(let name, _) = node { return name }
        }
        return nil
    }

    private func isEntry(_ name: XMLStreamReader.Name) -> Bool {
        feed.kind == .atom ? name.local == "entry" : name.local == "item"
    }

    /// Whether an element is Atom's: in an Atom document's namespace, or Atom's inside RSS.
    private func isAtom(_ name: XMLStreamReader.Name) -> Bool {
        name.namespace == FeedNamespace.atom || name.namespace == FeedNamespace.atom03
            || (feed.kind == .atom && name.namespace == rootNamespace)
    }

    /// Whether an element is the format's own rather than an extension's (`media:title` is not
    /// the title): no namespace, RSS 1.0's or 0.90's, or Atom's.
    private func isCore(_ name: XMLStreamReader.Name) -> Bool {
        name.namespace.isEmpty || name.namespace == rootNamespace || name.namespace == FeedNamespace.rss10
            || name.namespace == FeedNamespace.rss090 || FeedNamespace.userLandRSS.contains(name.namespace)
            || isAtom(name)
    }

    // MARK: - Entries

    private mutating func startEntry(isEmpty: Bool) {
        var started = FeedEntry()
        if feed.kind == .rdf, let about = reader.attribute("about", namespace: FeedNamespace.rdf) {
            started.id = FeedText.identifier(about)
        }
        entry = started
        inEntry = true
        entryFieldDepth = reader.depth + 1
        entryIsPermalinkGUID = false
        entryHasAlternateLink = false
        if isEmpty { finishEntry() }
    }

    private mutating func finishEntry() {
        guard inEntry else { return }
        var finished = entry
        entry = FeedEntry()
        inEntry = false
        sawEntry = true
        if finished.url == nil, entryIsPermalinkGUID, let guid = finished.id {
            finished.url = FeedText.webAddress(guid, base: nil)
        }
        guard feed.entries.count < FeedLimits.maximumEntries else { return feed.entriesLeftOut += 1 }
        feed.entries.append(finished)
    }

    private mutating func readEntryField(_ name: XMLStreamReader.Name) throws {
        switch entryField(name) {
        case .encodedContent:
            entry.content = FeedText.body(try text())
        case .atomContent:
            entry.content = try atomText()
        case .originalLink:
            if let link = FeedText.webAddress(try text(), base: reader.baseURI) { entry.url = link }
        case .author:
            if entry.author == nil { entry.author = FeedText.line(try text()) }
        case .otherTitle:
            // Another vocabulary's title stands in for a missing one and never replaces it.
            let title = FeedText.line(FeedText.plain(fromHTML: try text()))
            if entry.title == nil { entry.title = title }
        case .publishedUnlessKnown:
            if entry.published == nil { entry.published = FeedDate.parse(try text()) }
        case .published:
            entry.published = FeedDate.parse(try text())
        case .updated:
            entry.updated = FeedDate.parse(try text())
        case .title(let atom):
            entry.title = try title(atom: atom)
        case .atomLink:
            readAtomLink()
        case .link:
            if !entryHasAlternateLink, let link = FeedText.webAddress(try text(), base: reader.baseURI) {
                entry.url = link
                entryHasAlternateLink = true
            }
        case .guid:
            let permalink = reader.attribute("isPermaLink")?.lowercased() != "false"
            entry.id = FeedText.identifier(try text())
            entryIsPermalinkGUID = permalink
        case .atomID:
            entry.id = FeedText.identifier(try text())
        case .description:
            entry.summary = FeedText.body(try text())
        case .atomSummary:
            entry.summary = try atomText()
        case .other:
            break
        }
    }

    /// What an element of an entry holds, decided once for each name of a document (the
    /// namespaces compared for each element were a tenth of a parse).
    private mutating func entryField(_ name: XMLStreamReader.Name) -> EntryField {
        guard name.id >= 0 else { return classify(name) }
        if name.id >= entryFields.count {
            entryFields.append(contentsOf: repeatElement(nil, count: name.id + 1 - entryFields.count))
        }
        if let known = entryFields[name.id] { return known }
        let field = classify(name)
        entryFields[name.id] = field
        return field
    }

    private func classify(_ name: XMLStreamReader.Name) -> EntryField {
        let isAtom = isAtom(name)
        // The format's own elements match by local name; an extension's only by its namespace.
        switch (isCore(name) ? "" : name.namespace, name.local) {
        case (FeedNamespace.content, "encoded"): return .encodedContent
        case (FeedNamespace.feedBurner, "origlink"): return .originalLink
        case (FeedNamespace.dublinCore, "creator"), (FeedNamespace.dublinCore, "author"),
            (FeedNamespace.iTunes, "author"),
            ("", "author") where !isAtom:
            return .author
        case (FeedNamespace.dublinCore, "title"), (FeedNamespace.media, "title"): return .otherTitle
        case (FeedNamespace.dublinCoreTerms, "issued"), (FeedNamespace.dublinCoreTerms, "created"),
            ("", "created"):
            return .publishedUnlessKnown
        // feedparser reads dc:date as the updated date; an entry without another date shows it.
        case (FeedNamespace.dublinCore, "date"), (FeedNamespace.dublinCoreTerms, "modified"): return .updated
        case ("", "title"): return .title(atom: isAtom)
        case ("", "link") where isAtom: return .atomLink
        case ("", "link"): return .link
        case ("", "guid"): return .guid
        case ("", "id") where isAtom: return .atomID
        case ("", "pubdate"), ("", "published"), ("", "issued"): return .published
        case ("", "updated"), ("", "modified"): return .updated
        case ("", "description"): return .description
        case ("", "summary") where isAtom: return .atomSummary
        case ("", "content") where isAtom: return .atomContent
        default: return .other
        }
    }

    /// An Atom `<link>`: the alternate one (of HTML, when several) is the article's address.
    private mutating func readAtomLink() {
        let relation = reader.attribute("rel") ?? "alternate"
        guard relation == "alternate", let href = reader.attribute("href"),
            let link = FeedText.webAddress(href, base: reader.baseURI)
        else { return }
        let type = reader.attribute("type") ?? "text/html"
        let isPage = type == "text/html" || type == "application/xhtml+xml"
        if !entryHasAlternateLink || (isPage && entry.url == nil) {
            entry.url = link
            entryHasAlternateLink = isPage
        }
    }

    // MARK: - The feed's own fields

    private mutating func readFeedField(_ name: XMLStreamReader.Name) throws {
        let isAtom = isAtom(name)
        switch (isCore(name) ? "" : name.namespace, name.local) {
        case ("", "title"):
            feed.title = try title(atom: isAtom)
        case (FeedNamespace.dublinCore, "title"):
            let title = FeedText.line(FeedText.plain(fromHTML: try text()))
            if feed.title == nil { feed.title = title }
        case ("", "link") where isAtom:
            let relation = reader.attribute("rel") ?? "alternate"
            guard let href = reader.attribute("href") else { return }
            if relation == "self" {
                feed.selfURL = FeedText.webAddress(href, base: reader.baseURI)
            } else if relation == "alternate", feed.home == nil {
                feed.home = FeedText.webAddress(href, base: reader.baseURI)
            }
        case ("", "link"):
            if let home = FeedText.webAddress(try text(), base: reader.baseURI) { feed.home = home }
        case ("", "ttl"):
            if let minutes = Double(FeedText.trimmedWhitespace(try text())), minutes > 0 {
                feed.minimumInterval = min(minutes, 7 * 24 * 60) * 60
            }
        case (FeedNamespace.syndication, "updateperiod"):
            let periods: [String: TimeInterval] = [
                "hourly": 3_600, "daily": 86_400, "weekly": 604_800, "monthly": 2_592_000,
                "yearly": 31_536_000,
            ]
            updatePeriod = periods[FeedText.trimmedWhitespace(try text()).lowercased()]
        case (FeedNamespace.syndication, "updatefrequency"):
            updateFrequency = Double(FeedText.trimmedWhitespace(try text()))
        default:
            break
        }
    }

    // MARK: - OPML

    private mutating func readOutline() {
        guard let address = reader.attribute("xmlUrl"), feed.feeds.count < FeedLimits.maximumListedFeeds,
            let url = FeedText.webAddress(address, base: nil)
        else { return }
        let title = (reader.attribute("title") ?? reader.attribute("text")).flatMap(FeedText.line)
        if !feed.feeds.contains(where: { $0.url == url }) {
            feed.feeds.append(ListedFeed(url: url, title: title))
        }
    }

    // MARK: - Text

    /// The text of the current element, up to its end (an empty element has none).
    private func text() throws -> String {
        guard !currentIsEmpty else { return "" }
        let depth = reader.depth
        var collected = ""
        while let node = try reader.next() {
            switch node {
            case .text:
                if collected.utf8.count < FeedLimits.maximumTextBytes { collected += reader.text }
            case .end where reader.depth == depth:
                return collected
            default:
                continue
            }
        }
        return collected
    }

    /// A title: Atom says its type; RSS's may hold escaped HTML, which is read as HTML.
    private func title(atom: Bool) throws -> String? {
        guard atom else { return FeedText.line(FeedText.plain(fromHTML: try text())) }
        let (declaredType, mode) = typeAndMode()
        let declared = declaredType ?? ""
        let type = declared.isEmpty ? "text" : declared
        if Self.namesXHTML(type) || mode == "xml" {
            return FeedText.line(FeedText.plain(fromHTML: try reader.innerXML()))
        }
        var raw = try text()
        // Atom carries any type but text, HTML and XML in base64, as Atom 0.3's mode says outright.
        if mode == "base64" || (mode == nil && Self.isBase64(type: type)) {
            raw =
                Data(base64Encoded: raw, options: .ignoreUnknownCharacters)
                .flatMap { String(data: $0, encoding: .utf8) } ?? ""
        }
        return FeedText.line(type == "text" || type == "text/plain" ? raw : FeedText.plain(fromHTML: raw))
    }

    /// Whether a type attribute names XHTML (`xhtml`, `application/xhtml+xml`), looked for in
    /// its bytes: Foundation's substring search cost a twentieth of an Atom feed's parse.
    private static func namesXHTML(_ type: String) -> Bool {
        let bytes = type.utf8
        // "text" and "html", nearly every type, are too short to hold it.
        return bytes.count >= 5 && bytes.indices.contains { bytes[$0...].starts(with: "xhtml".utf8) }
    }

    /// Whether an Atom 1.0 text of this media type is base64 (RFC 4287, 4.1.3.3).
    private static func isBase64(type: String) -> Bool {
        let type = type.lowercased()
        return !["text", "html", "xhtml"].contains(type) && !type.hasPrefix("text/")
            && !type.hasSuffix("+xml")
            && !type.hasSuffix("/xml")
    }

    /// An Atom text's `type`, and its Atom 0.3 `mode`, looked for only when the element has
    /// an attribute left to be it.
    private func typeAndMode() -> (type: String?, mode: String?) {
        let count = reader.attributeCount
        guard count > 0 else { return (nil, nil) }
        let type = reader.attribute("type")
        return (type, count > (type == nil ? 0 : 1) ? reader.attribute("mode") : nil)
    }

    /// Atom's `<summary>` or `<content>`, as HTML, whatever its type.
    private func atomText() throws -> String? {
        let (declaredType, mode) = typeAndMode()
        let type = declaredType ?? "text"
        switch (Self.namesXHTML(type) ? "xhtml" : type, mode) {
        case ("xhtml", _), (_, "xml"):
            return FeedText.body(try reader.innerXML())
        case (_, "base64"):
            let decoded = Data(base64Encoded: try text(), options: .ignoreUnknownCharacters)
            return decoded.flatMap { String(data: $0, encoding: .utf8) }.flatMap(FeedText.body)
        case ("html", _), ("text/html", _), (_, "escaped"):
            return FeedText.body(try text())
        default:
            return FeedText.body(FeedText.html(fromPlain: try text()))
        }
    }
}

/// What an element inside an entry holds.
private enum EntryField {
    case encodedContent, originalLink, author, otherTitle, publishedUnlessKnown, published, updated
    case title(atom: Bool)
    case atomLink, link, guid, atomID, description, atomSummary, atomContent
    case other
}
