import Foundation
import ParallaxStore

// MARK: - Browsers' JSON bookmarks: Firefox's backup and Chrome's `Bookmarks` file

extension ImportRecords {
    /// Firefox's JSON backup (`bookmarks-YYYY-MM-DD.json`): a tree of
    /// `text/x-moz-place-container` folders and `text/x-moz-place` bookmarks with `uri`,
    /// `title`, `dateAdded` (microseconds since 1970) and `tags` (separated by commas).
    static func firefoxBackup(path: String) throws -> AnyIterator<ImportRecord> {
        try BookmarkTreeReader(path: path, dialect: .firefox).records()
    }

    /// Chrome's `Bookmarks` file (Chromium, Edge and Brave write the same): `roots` holding
    /// `bookmark_bar`, `other` and `synced` folders of `{"type": "url", "url", "name",
    /// "date_added"}` nodes, dates in microseconds since 1601.
    static func chromeBookmarks(path: String) throws -> AnyIterator<ImportRecord> {
        try BookmarkTreeReader(path: path, dialect: .chrome).records()
    }
}

/// How one browser writes its tree of bookmarks.
struct BookmarkDialect: Sendable {
    /// The file, in words for messages.
    let name: String
    /// The fields kept from each node.
    let fields: Set<String>
    /// The top-level key whose object holds the root folders (Chrome's `roots`); nil when the
    /// document is itself the root folder (Firefox).
    let rootsKey: String?
    /// The name of a folder that becomes a tag; nil for the browser's own folders.
    let folderName: @Sendable (_ fields: [String: String], _ isRoot: Bool) -> String?
    /// Whether the document's root node is this browser's (read before anything is saved).
    let isRootNode: @Sendable (_ fields: [String: String]) -> Bool
    /// What a node without children is: a bookmark's address, title, date and tags, or nil
    /// for a separator or another kind of node.
    let bookmark: @Sendable (_ fields: [String: String]) throws -> BrowserBookmark?

    static let firefox = BookmarkDialect(
        name: "Firefox bookmark backup", fields: ["type", "title", "uri", "dateAdded", "tags", "root"],
        rootsKey: nil,
        // The places root and its children carry a `root` name; they are not the user's folders.
        folderName: { fields, isRoot in isRoot || fields["root"] != nil ? nil : fields["title"] },
        isRootNode: { $0["type"] == "text/x-moz-place-container" },
        bookmark: { fields in
            guard fields["type"] == "text/x-moz-place" else { return nil }
            guard let uri = fields["uri"] else { throw ImportRecordError.missingField("uri") }
            return BrowserBookmark(
                url: uri, title: fields["title"],
                saved: try BookmarkTreeReader.date(fields, "dateAdded", since: 0),
                tags: (fields["tags"] ?? "").split(separator: ",").map(String.init))
        })

    static let chrome = BookmarkDialect(
        name: "Chrome Bookmarks file", fields: ["type", "name", "url", "date_added"], rootsKey: "roots",
        folderName: { fields, isRoot in isRoot ? nil : fields["name"] },
        isRootNode: { _ in true },
        bookmark: { fields in
            guard fields["type"] == "url" else { return nil }
            guard let url = fields["url"] else { throw ImportRecordError.missingField("url") }
            // Chrome's epoch is 1601-01-01, 11,644,473,600 seconds before 1970's.
            let saved = try BookmarkTreeReader.date(fields, "date_added", since: -11_644_473_600)
            return BrowserBookmark(url: url, title: fields["name"], saved: saved, tags: [])
        })
}

/// One bookmark as a browser wrote it.
struct BrowserBookmark {
    var url: String
    var title: String?
    var saved: String?
    var tags: [String]
}

/// Reads a browser's bookmarks tree in two streaming passes, in memory bounded by the number
/// of folders: browsers write a folder's name after its children (Chrome sorts keys), so the
/// first pass learns the folder names and checks the file, and the second yields each bookmark
/// tagged with the folders above it.
struct BookmarkTreeReader {
    /// Folders above a bookmark that become its tags, nearest first: enough for any real
    /// filing, and a bound on what a deep tree can multiply.
    static let maximumFolderTags = 4

    private let path: String
    private let dialect: BookmarkDialect
    private let folderNames: [Int: String]

    /// Reads the whole tree once, so a file that is not this browser's, or not JSON, fails
    /// before anything is saved.
    /// - Throws: ``IngestError/invalidFile(name:reason:)``.
    init(path: String, dialect: BookmarkDialect) throws {
        self.path = path
        self.dialect = dialect
        var names: [Int: String] = [:]
        var sawRoot = false
        let notThisBrowser = IngestError.invalidFile(name: path, reason: "not a \(dialect.name)")
        var walk = try TreeWalk(path: path, dialect: dialect)
        do {
            while let step = try walk.next() {
                switch step {
                case .folderEnd(let ordinal, let fields, let isRoot):
                    if isRoot && !dialect.isRootNode(fields) { throw notThisBrowser }
                    sawRoot = sawRoot || isRoot
                    if let name = dialect.folderName(fields, isRoot) { names[ordinal] = name }
                case .leaf(_, let fields, let isRoot):
                    if isRoot && !dialect.isRootNode(fields) { throw notThisBrowser }
                    sawRoot = sawRoot || isRoot
                case .folderStart: break
                }
            }
        } catch let error as JSONEventReader.Failure {
            throw IngestError.invalidFile(name: path, reason: Self.describe(error))
        }
        guard sawRoot else { throw notThisBrowser }
        folderNames = names
    }

    /// The bookmarks, as records made when they are pulled.
    func records() throws -> AnyIterator<ImportRecord> {
        var walk = try TreeWalk(path: path, dialect: dialect)
        var folders: [String?] = []
        var number = 0
        let dialect = dialect
        let folderNames = folderNames
        let name = path
        return AnyIterator {
            while true {
                let step: TreeWalk.Step?
                do {
                    step = try walk.next()
                } catch {
                    // The first pass read this file whole; it changed since.
                    number += 1
                    return ImportRecord(
                        location: "bookmark \(number)",
                        draft: .failure(
                            IngestError.invalidFile(name: name, reason: "changed while it was read")))
                }
                switch step {
                case nil: return nil
                case .folderStart(let ordinal)?: folders.append(folderNames[ordinal])
                case .folderEnd?: folders.removeLast()
                case .leaf(_, let fields, _)?:
                    let found: BrowserBookmark?
                    let tags = Array(folders.compactMap { $0 }.suffix(Self.maximumFolderTags))
                    let place = tags.isEmpty ? "" : " (\(tags.joined(separator: " › ")))"
                    do {
                        found = try dialect.bookmark(fields)
                    } catch {
                        number += 1
                        return ImportRecord(location: "bookmark \(number)\(place)", draft: .failure(error))
                    }
                    // A separator, or a node of a kind this reader does not know.
                    guard let found else { continue }
                    number += 1
                    let location = "bookmark \(number)\(place)"
                    // A bookmarklet, a smart folder or a local file is no page to save: skipped.
                    guard PageFetcher.isWebAddress(found.url) else {
                        return ImportRecord(location: location, draft: .success(nil))
                    }
                    return ImportRecord(
                        location: location,
                        draft: Result {
                            var draft = try ImportRecords.link(url: found.url, title: found.title)
                            draft.saved = found.saved
                            draft.tags = ImportRecords.tags(tags + found.tags)
                            return draft
                        })
                }
            }
        }
    }

    /// A date written as microseconds since an epoch `since` seconds after 1970's, as a number
    /// (Firefox) or as text (Chrome), under ``ImportDate``'s rule: zero or absent is no date.
    static func date(_ fields: [String: String], _ key: String, since epoch: Double) throws -> String? {
        try ImportDate.count(fields[key], field: key, unitsPerSecond: 1_000_000, since: epoch)
    }

    static func describe(_ failure: JSONEventReader.Failure) -> String {
        switch failure {
        case .malformed(let offset): "not valid JSON (at byte \(offset))"
        case .truncated: "the file ends inside its JSON document"
        }
    }
}

// MARK: - One pass over the tree

/// The nodes of a bookmarks tree in document order: each folder's start and end, each node
/// without children with the fields the dialect keeps. Containers that hold no nodes
/// (`meta_info`, annotations) are passed over.
private struct TreeWalk {
    enum Step {
        /// A folder's children begin; `ordinal` numbers every node in document order.
        case folderStart(ordinal: Int)
        /// A folder ends, its fields all read.
        case folderEnd(ordinal: Int, fields: [String: String], isRoot: Bool)
        /// A node without children.
        case leaf(ordinal: Int, fields: [String: String], isRoot: Bool)
    }

    private enum Frame {
        case node(ordinal: Int, fields: [String: String], isRoot: Bool, hasChildren: Bool)
        case children
        case document
        case roots
    }

    private var reader: JSONEventReader
    private let dialect: BookmarkDialect
    private var frames: [Frame] = []
    private var key: String?
    private var ordinal = 0

    init(path: String, dialect: BookmarkDialect) throws {
        reader = try JSONEventReader(path: path)
        self.dialect = dialect
    }

    mutating func next() throws -> Step? {
        while let event = try reader.next() {
            let pendingKey = key
            key = nil
            switch event {
            case .key(let name):
                key = name
            case .objectStart:
                switch frames.last {
                case nil:
                    frames.append(dialect.rootsKey == nil ? newNode(isRoot: true) : .document)
                case .children?:
                    frames.append(newNode(isRoot: false))
                case .roots?:
                    frames.append(newNode(isRoot: true))
                case .document? where pendingKey == dialect.rootsKey:
                    frames.append(.roots)
                default:
                    try reader.skip(event)
                }
            case .arrayStart:
                if case .node(let number, let fields, let isRoot, false)? = frames.last,
                    pendingKey == "children"
                {
                    frames[frames.count - 1] = .node(
                        ordinal: number, fields: fields, isRoot: isRoot, hasChildren: true)
                    frames.append(.children)
                    return .folderStart(ordinal: number)
                }
                try reader.skip(event)
            case .objectEnd:
                guard case .node(let number, let fields, let isRoot, let hasChildren)? = frames.popLast()
                else {
                    continue
                }
                return hasChildren
                    ? .folderEnd(ordinal: number, fields: fields, isRoot: isRoot)
                    : .leaf(ordinal: number, fields: fields, isRoot: isRoot)
            case .arrayEnd:
                frames.removeLast()
            case .string(let text): keep(text, under: pendingKey)
            case .number(let text): keep(text, under: pendingKey)
            case .bool(let value): keep(value ? "true" : "false", under: pendingKey)
            // A field over a mebibyte is no title or address; the node reads as without it.
            case .longString, .null: break
            }
        }
        return nil
    }

    private mutating func newNode(isRoot: Bool) -> Frame {
        ordinal += 1
        return .node(ordinal: ordinal, fields: [:], isRoot: isRoot, hasChildren: false)
    }

    private mutating func keep(_ value: String, under key: String?) {
        guard let key, dialect.fields.contains(key),
            case .node(let number, var fields, let isRoot, let hasChildren)? = frames.last
        else { return }
        fields[key] = value
        frames[frames.count - 1] = .node(
            ordinal: number, fields: fields, isRoot: isRoot, hasChildren: hasChildren)
    }
}
