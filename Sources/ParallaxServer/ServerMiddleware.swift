import Foundation
import HTTPTypes
import Hummingbird
import ParallaxStore

/// Headers every response carries, and the page every failure becomes.
///
/// No request can crash the server or show a stack trace: whatever a handler throws becomes a
/// page with a status and one line, rendered here.
struct PageHeadersMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    /// Scripts and styles only from the server itself, no frames, forms only to itself.
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        + "form-action 'self'; frame-ancestors 'none'"

    func handle(
        _ request: Request, context: ServerContext,
        next: (Request, ServerContext) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let failure = FailurePage(error)
            if failure.status == .internalServerError {
                // One line each, whatever the request held: a newline in it cannot forge another.
                let line = "\(request.method) \(request.uri.path): \(failure.message)".map {
                    $0.isNewline ? " " : $0
                }
                context.logger.error("\(String(line))")
            }
            response = Response.page(
                ErrorPage.render(failure, signedIn: context.session != nil), status: failure.status)
            if let seconds = failure.retryAfter { response.headers[.retryAfter] = String(seconds) }
        }
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        // Not "no-referrer": with it a browser sends `Origin: null` on its own forms, which the origin check refuses.
        response.headers[.referrerPolicy] = "same-origin"
        response.headers[.xFrameOptions] = "DENY"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        // The time the server spent, shown by a browser's developer tools and read by the bench.
        let elapsed = ContinuousClock.now - started
        let milliseconds =
            Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3
        response.headers[.serverTiming] = "app;dur=" + String(format: "%.2f", milliseconds)
        // A HEAD, answered by the GET route or by a failure's page, carries the headers only.
        return request.method == .head ? response.createHeadResponse() : response
    }
}

/// Lets a request through only from a signed-in browser, to a host name of this server.
///
/// Checking the `Host` header keeps a web page from reaching the server through a name it
/// controls that resolves to 127.0.0.1 (DNS rebinding); the session cookie keeps out every
/// request that did not start in a signed-in browser.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    let access: AccessControl
    /// The host names the server answers for, whatever the port; empty accepts any.
    let hosts: Set<String>

    /// Paths a browser reaches before it has a session.
    static let openPaths: Set<String> = ["/login", "/save/bookmarklet", "/favicon.ico"]

    func handle(
        _ request: Request, context: ServerContext,
        next: (Request, ServerContext) async throws -> Response
    ) async throws -> Response {
        if !hosts.isEmpty {
            let host = request.head.authority ?? ""
            guard hosts.contains(Self.hostName(host)) else { throw ServerError.unknownHost(host) }
        }
        var context = context
        context.session = access.session(
            cookieHeader: request.headers[values: .cookie].joined(separator: "; "))
        let path = request.uri.path
        guard context.session != nil || Self.openPaths.contains(path) || path.hasPrefix("/assets/") else {
            throw ServerError.signedOut
        }
        // The CSRF token is checked where the form is read (``FormFields/action(_:context:limit:)``).
        if request.method != .get && request.method != .head && !Self.openPaths.contains(path) {
            try Self.checkSameOrigin(request)
        }
        return try await next(request, context)
    }

    /// The name in a `Host` header, without its port.
    static func hostName(_ host: String) -> String {
        let lower = host.lowercased()
        if lower.hasPrefix("["), let close = lower.firstIndex(of: "]") { return String(lower[...close]) }
        return String(lower.split(separator: ":", maxSplits: 1).first ?? "")
    }

    /// A browser names the page a request came from in `Origin`; another site's is refused.
    static func checkSameOrigin(_ request: Request) throws {
        guard let origin = request.headers[.origin] else { return }
        let host = request.head.authority ?? ""
        guard origin == "http://" + host || origin == "https://" + host else {
            throw ServerError.forgedRequest
        }
    }
}

extension HTTPField.Name {
    /// The header a page's script sends its session's CSRF token in.
    static let csrfToken = Self("X-CSRF-Token")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let serverTiming = Self("Server-Timing")!
    /// Where a browser says a request started: `none` for an address typed or opened from elsewhere.
    static let secFetchSite = Self("Sec-Fetch-Site")!
}

extension Response {
    /// An HTML page.
    static func page(_ html: HTML, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html.markup)))
    }

    /// Sends the browser on to `location` after a form, so reloading does not post again.
    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
