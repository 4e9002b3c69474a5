import Foundation
import Hummingbird
import ParallaxIngest
import ParallaxStore

/// The routes of the reading app, each a thin handler over the library's API.
struct ReadingApp: Sendable {
    let access: LibraryAccess
    let control: AccessControl
    /// Saves bookmarklets sent, waiting for the reader's confirmation.
    let pending = PendingSaves()
    /// The bookmarklet requests being read now.
    let bookmarkletRequests = RequestGate(limit: 2)
    /// How many bodies the bookmarklet route has read, which the tests check.
    let bookmarkletBodiesRead = LockedValue(0)
    let configuration: ServerConfiguration
    /// How pages sent by address are fetched.
    let fetcher: PageFetcher

    var library: Library { access.library }

    /// The router with every page and action, behind the session and header middleware.
    func router(hosts: Set<String>) -> Router<ServerContext> {
        // HEAD answers as GET would, without the body: link checkers and some browsers ask it.
        let router = Router(context: ServerContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: PageHeadersMiddleware())
        router.add(middleware: SessionMiddleware(access: control, hosts: hosts))
        addSignIn(to: router)
        addLibrary(to: router)
        addReader(to: router)
        addSaving(to: router)
        addEvents(to: router)
        addFeeds(to: router)
        addSync(to: router)
        addAssets(to: router)
        return router
    }
}

// MARK: - Signing in

extension ReadingApp {
    func addSignIn(to router: Router<ServerContext>) {
        router.get("/login") { request, context in
            let fields = try FormFields(query: request)
            // A link another site shows (or an image it loads) neither signs in nor counts as a try:
            // the printed link is opened from a terminal, which browsers mark as no site at all.
            let fetchSite = request.headers[.secFetchSite] ?? "none"
            // Nor does a HEAD, which a link checker or a chat's preview sends before anyone opens it.
            if request.method == .get, let token = fields["token"],
                fetchSite == "none" || fetchSite == "same-origin"
            {
                return try signIn(token: token, from: context.client)
            }
            return Response.page(SignInPage.render(failed: false))
        }
        router.post("/login") { request, context in
            try SessionMiddleware.checkSameOrigin(request)
            let form = try await FormFields.read(request, limit: 4096)
            return try signIn(token: form["token"] ?? "", from: context.client)
        }
    }

    /// Opens a session for a valid token and sends the browser to the library.
    private func signIn(token: String, from client: String) throws -> Response {
        guard !control.isThrottled(client) else { throw ServerError.throttled }
        guard let session = control.signIn(with: token, from: client) else {
            return Response.page(SignInPage.render(failed: true), status: .unauthorized)
        }
        var response = Response.seeOther("/")
        response.headers[.setCookie] = control.cookie(for: session)
        return response
    }
}

// MARK: - Shared steps

extension ReadingApp {
    /// Where a form sends the browser back to: a path of this server, never another site.
    static func returnPath(_ value: String?, otherwise fallback: String) -> String {
        // Browsers drop tabs and newlines from addresses and read `\` as `/`, so `/\t/host`
        // would leave the site: none of them may appear at all.
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"),
            value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\\" })
        else { return fallback }
        return value
    }

    /// The `{id}` parameter of a route.
    static func parameter(_ name: String, of context: ServerContext) throws -> String {
        guard let value = context.parameters.get(name), !value.isEmpty else {
            throw ServerError.badField(name, "it is missing")
        }
        return value
    }
}
