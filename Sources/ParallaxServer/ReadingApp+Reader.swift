import Foundation
import Hummingbird
import ParallaxStore

// MARK: - The reader and what a reader changes on an item

extension ReadingApp {
    func addReader(to router: Router<ServerContext>) {
        router.get("/items/{id}") { _, context in
            let id = try Self.parameter("id", of: context)
            let content = try await access.run { try ReaderPage.load(id, from: $0) }
            return Response.page(ReaderPage.render(content, session: context.session))
        }
        router.get("/items/{id}/history") { _, context in
            let id = try Self.parameter("id", of: context)
            let (item, entries, shortID) = try await access.run { library in
                let (item, entries) = try library.history(of: id)
                return (item, entries, try library.shortIDs(for: [item.id])[item.id] ?? item.id)
            }
            return Response.page(
                HistoryPage.render(item: item, entries: entries, shortID: shortID, session: context.session))
        }
        router.get("/items/{id}/images/{hash}") { _, context in
            let id = try Self.parameter("id", of: context)
            let hash = try Self.parameter("hash", of: context)
            let image = try await access.run { library in
                let item = try Self.liveItem(id, in: library)
                return try library.articleImages(ofItem: item.id).values.first { $0.hash == hash }
            }
            guard let image else { throw ServerError.notFound("/items/\(id)/images/\(hash)") }
            // Named by its hash, an image never changes: the browser may keep it.
            return Response(
                status: .ok,
                headers: [
                    .contentType: image.type.rawValue, .cacheControl: "private, max-age=31536000, immutable",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: image.data)))
        }
        addItemActions(to: router)
    }

    private func addItemActions(to router: Router<ServerContext>) {
        itemAction("state", on: router) { library, id, form in
            let value = try form.required("state")
            guard let state = ReadingState(rawValue: value) else {
                throw ServerError.badField("state", "must be unread, reading or read")
            }
            try library.mark(id, as: state)
        }
        itemAction("favorite", on: router) { library, id, form in
            try library.setFavorite(id, try Self.flag("value", in: form))
        }
        itemAction("archive", on: router) { library, id, form in
            try library.setArchived(id, try Self.flag("value", in: form))
        }
        itemAction("tags", on: router) { library, id, form in
            let added = form.all("add").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let removed = form.all("remove").filter { !$0.isEmpty }
            guard !added.isEmpty || !removed.isEmpty else { throw ServerError.badField("add", "name a tag") }
            try library.updateTags(id, adding: added, removing: removed)
        }
        itemAction("note", on: router) { library, id, form in
            try library.setNote(id, form["note"])
        }
        itemAction("highlights", on: router) { library, id, form in
            let note = form["note"]?.trimmingCharacters(in: .whitespacesAndNewlines)
            try library.addHighlight(
                id, quote: try form.required("quote"), note: note?.isEmpty == false ? note : nil)
        }
        itemAction("keep", on: router) { library, id, _ in _ = try library.saveToList(id) }
        itemAction("remove", on: router, returning: { _ in "/" }) { library, id, _ in
            try library.delete(id)
        }
        // The reader's script reports the scroll position; it needs no page back.
        router.post("/items/{id}/progress") { request, context in
            let id = try Self.parameter("id", of: context)
            let form = try await FormFields.action(request, context: context)
            guard let progress = Double(try form.required("progress")), progress.isFinite else {
                throw ServerError.badField("progress", "must be a number from 0 to 1")
            }
            try await access.run { library in
                try library.recordProgress(Self.liveItem(id, in: library).id, progress)
            }
            return Response(status: .noContent)
        }
        router.post("/highlights/{id}/remove") { request, context in
            let id = try Self.parameter("id", of: context)
            let form = try await FormFields.action(request, context: context)
            try await access.run { library in
                // A removed item's highlights are left as they were, like the rest of it.
                guard try !library.item(ofHighlight: id).deleted else {
                    throw LibraryError.unknownHighlight(reference: id)
                }
                try library.removeHighlight(id)
            }
            return Response.seeOther(Self.returnPath(form["return"], otherwise: "/"))
        }
    }

    /// A form posted from the reader that changes one item, then returns to it.
    private func itemAction(
        _ name: String, on router: Router<ServerContext>,
        returning: @escaping @Sendable (String) -> String = {
            "/items/\($0)"
        },
        _ change: @escaping @Sendable (Library, String, FormFields) throws -> Void
    ) {
        router.post("/items/{id}/\(name)") { request, context in
            let id = try Self.parameter("id", of: context)
            let form = try await FormFields.action(request, context: context)
            try await access.run { library in try change(library, Self.liveItem(id, in: library).id, form) }
            return Response.seeOther(Self.returnPath(form["return"], otherwise: returning(id)))
        }
    }

    /// The item a reference names, unless it was removed: a removed item has no page, and
    /// nothing on it can be changed from one.
    static func liveItem(_ reference: String, in library: Library) throws -> Item {
        let item = try library.resolve(reference)
        guard !item.deleted else { throw LibraryError.unknownItem(reference: reference) }
        return item
    }

    /// A yes-or-no field, posted as 1 or 0.
    static func flag(_ name: String, in form: FormFields) throws -> Bool {
        switch try form.required(name) {
        case "1", "true", "on": true
        case "0", "false", "off": false
        default: throw ServerError.badField(name, "must be 1 or 0")
        }
    }
}
