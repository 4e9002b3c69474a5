import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ParallaxIngest
import ParallaxServer
import ParallaxStore
import ParallaxTestSupport
import Testing

/// A library with a few articles, the reading server over it, and a signed-in browser's state.
final class ServerFixture: @unchecked Sendable {
    let temporary: TemporaryLibrary
    let server: ReadingServer
    var library: Library { server.library }
    /// The items the fixture saved, in saving order.
    private(set) var items: [Item] = []

    init(busyTimeout: Double = 5, configuration: ServerConfiguration = ServerConfiguration()) throws {
        temporary = try TemporaryLibrary()
        server = try Self.server(at: temporary.path, busyTimeout: busyTimeout, configuration: configuration)
        for (title, source, text) in Self.articles {
            var draft = ItemDraft(title: title, text: text)
            draft.source = source
            draft.published = "2019-02-14"
            items.append(try library.add(draft).item)
        }
    }

    private init(reopening other: ServerFixture) throws {
        temporary = other.temporary
        items = other.items
        server = try Self.server(at: temporary.path, busyTimeout: 5, configuration: ServerConfiguration())
    }

    /// A second server over the same library file, as after a restart.
    static func reopening(_ other: ServerFixture) throws -> ServerFixture {
        try ServerFixture(reopening: other)
    }

    private static func server(at path: String, busyTimeout: Double, configuration: ServerConfiguration)
        throws
        -> ReadingServer
    {
        var configuration = configuration
        configuration.fetchesImages = false
        let library = try Library.open(at: path, busyTimeout: busyTimeout)
        return try ReadingServer(library: library, configuration: configuration)
    }

    static let articles = [
        (
            "Military leaders stand by Maduro as sanctions bite", "Wire One",
            "Venezuela's defence minister said the armed forces remain loyal to President Nicolás Maduro.\n\nThe United States imposed new sanctions on the state oil company on Monday, officials said."
        ),
        (
            "Opposition courts the army with amnesty offer", "Daily Two",
            "Juan Guaidó offered amnesty to soldiers who disavow Maduro.\n\nThe opposition leader claimed the sanctions would starve the regime of cash."
        ),
        (
            "Oil exports fall after US measures", "Wire One",
            "Shipments of crude dropped sharply, according to port data.\n\nAnalysts expect the decline to deepen."
        ),
    ]

    /// Runs `body` with a test client of the server, in process.
    func test(_ body: @escaping @Sendable (BrowserSession) async throws -> Void) async throws {
        let application = Application(router: server.router)
        let loginToken = server.loginLink(port: 0).components(separatedBy: "token=").last ?? ""
        try await application.test(.router) { client in
            try await body(BrowserSession(client: client, loginToken: loginToken))
        }
    }

    /// Runs `body` with the server listening on a free loopback port, its connections set up as
    /// `parallax serve` sets them up, for tests of what a client does on the wire.
    func testLive(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let application = Application(
            router: server.router, server: .http1(configuration: server.connections),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            try await body(try #require(client.port))
        }
    }
}

/// A browser: its cookie, and the CSRF token of the last page it read.
final class BrowserSession: @unchecked Sendable {
    let client: any TestClientProtocol
    let loginToken: String
    var cookie: String?
    var csrf: String?

    init(client: any TestClientProtocol, loginToken: String) {
        self.client = client
        self.loginToken = loginToken
    }

    /// Follows the sign-in link, keeping the cookie it sets, then reads the list for a CSRF token.
    func signIn() async throws {
        let response = try await client.execute(uri: "/login?token=\(loginToken)", method: .get)
        #expect(response.status == .seeOther)
        cookie = response.headers[.setCookie]?.components(separatedBy: ";").first
        #expect(cookie != nil)
        _ = try await get("/")
    }

    /// A GET with the browser's cookie; remembers the page's CSRF token.
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        if let cookie { headers[.cookie] = cookie }
        let response = try await client.execute(uri: uri, method: .get, headers: headers)
        if let token = Self.csrfToken(in: response.text) { csrf = token }
        return response
    }

    /// A form post with the cookie and, unless told otherwise, the CSRF token.
    func post(
        _ uri: String, _ fields: [(String, String)] = [], csrf include: Bool = true, headers: HTTPFields = [:]
    )
        async throws -> TestResponse
    {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        if let cookie { headers[.cookie] = cookie }
        var fields = fields
        if include, let csrf { fields.append(("csrf", csrf)) }
        return try await client.execute(
            uri: uri, method: .post, headers: headers, body: ByteBuffer(string: Self.encode(fields)))
    }

    static func encode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map {
            "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }

    static func csrfToken(in page: String) -> String? {
        guard let range = page.range(of: #"<meta name="csrf-token" content=""#) else { return nil }
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }
}
