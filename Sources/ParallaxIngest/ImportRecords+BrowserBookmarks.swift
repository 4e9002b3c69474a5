import Foundation
import ParallaxStore

// MARK: - Browsers' JSON bookmarks: Firefox's backup and Chrome's `Bookmarks` file

extension ImportRecords {
    /// Firefox's JSON backup (`bookmarks-YYYY-MM-DD.json`): a tree of
    /// `text/x-moz-place-container` folders and `text/x-moz-place` bookmarks with `uri`,
    /// `title`, `dateAdded` (microseconds since 1970) and `tags` (separated by commas).
    /// Folders become tags, but for Firefox's own roots (menu, toolbar, unfiled, mobile);
    /// smart queries (`place:`) are skipped.
    static func firefoxBackup(path: String) throws -> AnyIterator<ImportRecord> {
        let root = try bookmarkDocument(path)
        return bookmarkTree(roots: [root]) { node, isRoot in
            switch node.fields["type"] as? String {
            case "text/x-moz-place-container":
                let children = node.fields["children"] as? [Any] ?? []
                // The places root and its children carry a `root` name; they are not the user's folders.
                let own = node.fields["root"] == nil && !isRoot
                return .folder(name: own ? try node.string("title") : nil, children: children)
            case "text/x-moz-place":
                let uri = try node.required("uri")
                if uri.lowercased().hasPrefix("place:") { return .skipped }
                return .bookmark {
                    var draft = try link(url: uri, title: try node.string("title"))
                    draft.saved = try microseconds(node, "dateAdded", since: 0)
                    draft.tags = (try node.string("tags") ?? "").split(separator: ",").map(String.init)
                    return draft
                }
            default:
                return .ignored
            }
        }
    }

    /// Chrome's `Bookmarks` file (Chromium, Edge and Brave write the same): `roots` holding
    /// `bookmark_bar`, `other` and `synced` folders of `{"type": "url", "url", "name",
    /// "date_added"}` nodes, dates in microseconds since 1601. Folders become tags, but for the
    /// roots.
    static func chromeBookmarks(path: String) throws -> AnyIterator<ImportRecord> {
        let document = try bookmarkDocument(path)
        guard let roots = document["roots"] as? [String: Any] else {
            throw IngestError.invalidRecord(name: path, line: 0, reason: "no bookmark roots in the file")
        }
        let order = ["bookmark_bar", "other", "synced"]
        let keys = order.filter { roots[$0] != nil } + roots.keys.filter { !order.contains($0) }.sorted()
        return bookmarkTree(roots: keys.compactMap { roots[$0] as? [String: Any] }) { node, isRoot in
            switch node.fields["type"] as? String {
            case "folder":
                let children = node.fields["children"] as? [Any] ?? []
                return .folder(name: isRoot ? nil : try node.string("name"), children: children)
            case "url":
                return .bookmark {
                    var draft = try link(url: try node.required("url"), title: try node.string("name"))
                    // Chrome's epoch is 1601-01-01, 11,644,473,600 seconds before 1970's.
                    draft.saved = try microseconds(node, "date_added", since: -11_644_473_600)
                    return draft
                }
            default:
                return .ignored
            }
        }
    }
}

// MARK: - Walking a tree of bookmarks

private extension ImportRecords {
    /// What a node of a bookmarks tree is.
    enum BookmarkNode {
        /// A folder; `name` nil for the browser's own folders, which become no tag.
        case folder(name: String?, children: [Any])
        /// A bookmark, made a draft when its turn comes.
        case bookmark(() throws -> ItemDraft)
        /// A bookmark that is not a page (a smart query): counted as skipped.
        case skipped
        /// A separator or a node type not known: passed over.
        case ignored
    }

    /// A whole bookmarks document: browsers write the name of a folder after its children, so
    /// a folder's bookmarks cannot be tagged before the document is read.
    static func bookmarkDocument(_ path: String) throws -> [String: Any] {
        let data = try TextInput.readData(path: path)
        guard let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw IngestError.invalidRecord(name: path, line: 0, reason: "not a complete JSON document")
        }
        return document
    }

    /// The bookmarks under `roots`, depth first in the browser's order, each tagged with the
    /// folders above it; records are made as they are pulled.
    static func bookmarkTree(
        roots: [[String: Any]], classify: @escaping (JSONEntry, _ isRoot: Bool) throws -> BookmarkNode
    ) -> AnyIterator<ImportRecord> {
        // Each level: the nodes left to visit and the folder names above them.
        var stack: [(nodes: IndexingIterator<[Any]>, folders: [String], isRoot: Bool)] = [
            (roots.map { $0 as Any }.makeIterator(), [], true)
        ]
        var number = 0
        return AnyIterator {
            while !stack.isEmpty {
                guard let next = stack[stack.count - 1].nodes.next() else {
                    stack.removeLast()
                    continue
                }
                let level = stack[stack.count - 1]
                guard let fields = next as? [String: Any] else { continue }
                let kind: BookmarkNode
                do {
                    kind = try classify(JSONEntry(fields: fields), level.isRoot)
                } catch {
                    number += 1
                    return ImportRecord(location: location(number, level.folders), draft: .failure(error))
                }
                switch kind {
                case .folder(let name, let children):
                    stack.append((children.makeIterator(), level.folders + (name.map { [$0] } ?? []), false))
                case .bookmark(let make):
                    number += 1
                    let folders = level.folders
                    return ImportRecord(
                        location: location(number, folders),
                        draft: Result {
                            var draft = try make()
                            draft.tags = tags(folders + draft.tags)
                            return draft
                        })
                case .skipped:
                    number += 1
                    return ImportRecord(location: location(number, level.folders), draft: .success(nil))
                case .ignored:
                    continue
                }
            }
            return nil
        }
    }

    static func location(_ number: Int, _ folders: [String]) -> String {
        folders.isEmpty ? "bookmark \(number)" : "bookmark \(number) in \(folders.joined(separator: " › "))"
    }

    /// A date written as microseconds since an epoch `since` seconds after 1970's, as a number
    /// (Firefox) or as text (Chrome); zero or absent is no date.
    static func microseconds(_ node: JSONEntry, _ key: String, since epoch: Double) throws -> String? {
        guard let value = try node.number(key), value > 0 else { return nil }
        return Timestamp.string(from: Date(timeIntervalSince1970: value / 1_000_000 + epoch))
    }
}
