import Foundation
import Hummingbird
import ParallaxStore

// MARK: - The list and search

extension ReadingApp {
    func addLibrary(to router: Router<ServerContext>) {
        router.get("/") { request, context in
            let query = try LibraryQuery(FormFields(query: request))
            let content = try await access.run { try LibraryPage.load(query, from: $0) }
            return Response.page(
                LibraryPage.render(content, query: query, session: context.session, path: "\(request.uri)"))
        }
        router.post("/items/bulk") { request, context in
            let form = try await FormFields.action(request, context: context)
            let action = try BulkAction(form)
            try await access.run { library in try action.apply(to: library) }
            return Response.seeOther(Self.returnPath(form["return"], otherwise: "/"))
        }
        router.get("/search") { request, context in
            let fields = try FormFields(query: request)
            let query = fields["q"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            // Each term costs a pass over the index; no one types more than this into a search box.
            guard query.count <= SearchPage.longestQuery else {
                throw ServerError.badField("q", "at most \(SearchPage.longestQuery) characters")
            }
            let hits: [SearchHit]
            var failure: String?
            if query.isEmpty {
                hits = []
            } else {
                do {
                    hits = try await access.run { try $0.search(query, limit: 50) }
                } catch LibraryError.invalidSearch(_, let reason) {
                    (hits, failure) = ([], reason)
                }
            }
            let shortIDs = try await access.run { [hits] in try $0.shortIDs(for: hits.map(\.item.id)) }
            let results = SearchPage.results(hits, shortIDs: shortIDs, query: query, failure: failure)
            // The live search asks for the results alone, to put them in the page it is on.
            if fields["fragment"] == "1" { return Response.page(results) }
            return Response.page(
                SearchPage.render(results: results, query: query, session: context.session))
        }
    }
}

/// What the list's bulk form asks to do to the selected items.
struct BulkAction: Sendable {
    enum Kind: String, Sendable { case archive, unarchive, read, unread, favorite, tag, untag, remove }

    var kind: Kind
    var ids: [String]
    var tag: String?

    init(_ form: FormFields) throws {
        guard let kind = Kind(rawValue: form["action"] ?? "") else {
            throw ServerError.badField("action", "choose what to do with the selected items")
        }
        let ids = form.all("id").filter { !$0.isEmpty }
        guard !ids.isEmpty else { throw ServerError.badField("id", "select at least one item") }
        guard ids.count <= 1000 else { throw ServerError.badField("id", "at most 1000 items at once") }
        self.kind = kind
        self.ids = ids
        if kind == .tag || kind == .untag {
            tag = try form.required("tag")
            _ = try Tag.normalize(tag!)
        }
    }

    /// Applies the action to every selected item in one change: an unknown or removed item
    /// among them changes none.
    func apply(to library: Library) throws {
        let change: ItemChange =
            switch kind {
            case .archive: .archived(true)
            case .unarchive: .archived(false)
            case .read: .readingState(.read)
            case .unread: .readingState(.unread)
            case .favorite: .favorite(true)
            case .tag: .tags(adding: [tag!], removing: [])
            case .untag: .tags(adding: [], removing: [tag!])
            case .remove: .delete
            }
        try library.apply(change, to: ids)
    }
}
