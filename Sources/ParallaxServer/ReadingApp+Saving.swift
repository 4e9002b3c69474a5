import Foundation
import Hummingbird
import ParallaxIngest
import ParallaxStore

// MARK: - Saving from the browser

extension ReadingApp {
    func addSaving(to router: Router<ServerContext>) {
        router.get("/save") { request, context in
            let token = try await access.run { try BrowserSaveToken.current(in: $0) }
            // The bookmarklet posts back to the address the browser used, as long as it is only a host and port.
            let named = request.head.authority ?? ""
            let host =
                !named.isEmpty
                    && named.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".:-[]".contains($0)) }
                    )
                ? named : "127.0.0.1:\(configuration.port)"
            return Response.page(
                SavePage.render(origin: "http://" + host, saveToken: token, session: context.session))
        }
        // The plain form of the Save page, from a signed-in browser.
        router.post("/save") { request, context in
            let form = try await FormFields.action(request, context: context)
            let address = try form.required("url")
            let tags = Self.tags(form["tags"])
            let saved = try await save(address: address, html: nil, tags: tags)
            return Response.page(
                SavePage.result(saved.article, shortID: saved.shortID, session: context.session))
        }
        // The bookmarklet's request: cross-site, so no cookie comes with it. Its save token lets
        // it stage a save, which the reader confirms on the page this answers with.
        router.post("/save/bookmarklet") { request, _ in
            // Any site can post here, and a body may be a page of tens of megabytes: the token
            // comes in the address, so a request without it is refused before its body is read.
            let expected = try await access.run { try BrowserSaveToken.current(in: $0) }
            guard AccessControl.same(try FormFields(query: request)["token"] ?? "", expected) else {
                throw ServerError.badSaveToken
            }
            // A few at a time, since each may hold a page.
            guard bookmarkletRequests.enter() else { throw ServerError.busy }
            defer { bookmarkletRequests.leave() }
            bookmarkletBodiesRead.withLock { $0 += 1 }
            let form = try await FormFields.read(request, limit: ServerConfiguration.pageLimit)
            let address = try form.required("url")
            guard PageFetcher.isWebAddress(address), address.utf8.count <= ServerConfiguration.addressLimit
            else {
                throw ServerError.badField(
                    "url",
                    "must be an http or https address of at most \(ServerConfiguration.addressLimit) bytes")
            }
            let html = form["html"].flatMap { $0.isEmpty ? nil : Data($0.utf8) }
            return Response.page(SavePage.confirmation(pending.stage(url: address, html: html)))
        }
        // The reader's Save on that page: from this server's page, in a signed-in browser. The
        // staged save's random id, which only that page holds, stands in for the CSRF token.
        router.post("/save/confirm") { request, context in
            guard context.session != nil else { throw ServerError.signedOut }
            let form = try await FormFields.read(request, limit: ServerConfiguration.formLimit)
            guard let staged = pending.take(try form.required("pending")) else {
                throw ServerError.unknownPendingSave
            }
            let tags = Self.tags(form["tags"])
            let saved: (article: ArticleInput.SavedArticle, shortID: String)
            do {
                saved = try await save(address: staged.url, html: staged.html, tags: tags)
            } catch {
                // A save that failed (a page that could not be fetched, a bad tag) can be tried again.
                pending.restore(staged)
                throw error
            }
            return Response.page(
                SavePage.result(saved.article, shortID: saved.shortID, session: context.session))
        }
        router.post("/save/token") { request, context in
            _ = try await FormFields.action(request, context: context)
            try await access.run { try BrowserSaveToken.replace(in: $0) }
            return Response.seeOther("/save")
        }
    }

    /// The tags of a save form: separated by commas or spaces.
    static func tags(_ field: String?) -> [String] {
        (field ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
    }

    /// Saves a page as `parallax add` does: fetched from its address, or read from the HTML the
    /// browser sent.
    private func save(address: String, html: Data?, tags: [String]) async throws -> (
        article: ArticleInput.SavedArticle, shortID: String
    ) {
        guard PageFetcher.isWebAddress(address) else {
            throw ServerError.badField("url", "must be an http or https address")
        }
        let fetchesImages = configuration.fetchesImages
        let images = try await access.run { try $0.imageFetcher(fetchingImages: fetchesImages) }
        let library = library
        let article: ArticleInput.SavedArticle
        if let html {
            article = try await ArticleInput.savePage(html: html, url: address, into: library, images: images)
            {
                $0.tags = tags
            }
        } else {
            article = try await ArticleInput.save(address, into: library, fetcher: fetcher, images: images) {
                $0.tags = tags
            }
        }
        let id = article.outcome.item.id
        let shortID = try await access.run { try $0.shortIDs(for: [id])[id] ?? id }
        return (article, shortID)
    }
}

/// The token a bookmarklet sends instead of a session: one for each library file, made the
/// first time the Save page is shown, and kept only on this device (store migration 0013).
enum BrowserSaveToken {
    static func current(in library: Library) throws -> String {
        try library.saveToken(makingOne: AccessControl.randomToken)
    }

    /// Replaces the token, so bookmarklets made before stop working.
    static func replace(in library: Library) throws {
        try library.replaceSaveToken(with: AccessControl.randomToken())
    }
}
