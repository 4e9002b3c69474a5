import Crypto
import Foundation
import ParallaxStore

/// Who may use the server: the login token, the sessions it opens, and their CSRF tokens.
///
/// A browser signs in once, through the link `parallax serve` prints, and holds a session
/// cookie from then on. On loopback the link's token is random and works once, so a link left
/// in a terminal's scrollback or a browser's history opens nothing later. A server reachable
/// from other machines uses the token its user chose (`--token`), since they must type it in
/// wherever they sign in.
final class AccessControl: Sendable {
    /// One signed-in browser.
    struct Session: Sendable, Hashable {
        /// The cookie's value.
        let id: String
        /// The token every state-changing request of this session must carry.
        let csrfToken: String
    }

    /// The name of the session cookie: one per server, since browsers keep cookies by host and
    /// not by port, and two servers on one host would otherwise sign each other's browsers out.
    let cookieName: String
    private let state: LockedValue<State>
    /// The most sessions kept; the oldest is dropped beyond it.
    private static let sessionLimit = 32

    /// Failed sign-ins allowed within ``failureWindow`` before every attempt is refused for it.
    static let failureLimit = 10
    /// The window failed sign-ins are counted in, in seconds.
    static let failureWindow: TimeInterval = 60

    private struct State {
        var loginToken: String?
        let reusable: Bool
        var sessions: [Session] = []
        /// Wrong tokens by the address they came from, so one client cannot lock out another.
        var failures: [String: [Date]] = [:]
    }

    /// - Parameter chosenToken: The user's token, reusable; nil makes a random one-time token.
    init(chosenToken: String?) {
        cookieName = "parallax_session_" + Self.randomToken().prefix(8).filter { $0.isLetter || $0.isNumber }
        state = LockedValue(
            State(loginToken: chosenToken ?? Self.randomToken(), reusable: chosenToken != nil))
    }

    /// Whether sign-ins from `client` are refused for now, after too many wrong tokens from it:
    /// a token a user chose may be guessable by someone who can try fast.
    func isThrottled(_ client: String) -> Bool {
        state.withLock { state in
            let oldest = Date().addingTimeInterval(-Self.failureWindow)
            state.failures = state.failures.compactMapValues { times in
                let recent = times.filter { $0 >= oldest }
                return recent.isEmpty ? nil : recent
            }
            return (state.failures[client]?.count ?? 0) >= Self.failureLimit
        }
    }

    /// The token of the login link, while it is still valid.
    var loginToken: String? { state.value.loginToken }

    /// Opens a session when `token` is the login token; a one-time token is spent by it.
    /// - Parameter client: The address the attempt came from, which a wrong token counts against.
    func signIn(with token: String, from client: String) -> Session? {
        state.withLock { state in
            guard let expected = state.loginToken, Self.same(token, expected) else {
                state.failures[client, default: []].append(Date())
                return nil
            }
            if !state.reusable { state.loginToken = nil }
            let session = Session(id: Self.randomToken(), csrfToken: Self.randomToken())
            state.sessions.append(session)
            if state.sessions.count > Self.sessionLimit { state.sessions.removeFirst() }
            return session
        }
    }

    /// The session a request's `Cookie` header names, if it is one of ours.
    func session(cookieHeader: String?) -> Session? {
        guard let cookieHeader else { return nil }
        let prefix = cookieName + "="
        let values = cookieHeader.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
        let sessions = state.value.sessions
        for value in values {
            if let session = sessions.first(where: { Self.same($0.id, value) }) { return session }
        }
        return nil
    }

    /// The `Set-Cookie` value for a session: not readable by scripts, never sent cross-site.
    func cookie(for session: Session) -> String {
        "\(cookieName)=\(session.id); Path=/; HttpOnly; SameSite=Strict"
    }

    /// A fresh random token: 32 bytes, base64url.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Compares two secrets in a time that does not depend on where they first differ.
    static func same(_ given: String, _ expected: String) -> Bool {
        Data(SHA256.hash(data: Data(given.utf8))) == Data(SHA256.hash(data: Data(expected.utf8)))
    }
}
