import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A WebDAV collection as a remote (Nextcloud, ownCloud, Apache's mod_dav, rclone, a NAS).
///
/// Writes go to a temporary name in the collection and are moved into place with `MOVE`, so a
/// reader never sees half a bundle; nothing is ever locked. `http://` is taken only for this
/// machine unless `insecure` is set, since the password would travel in the clear.
public struct WebDAVTransport: SyncTransport {
    /// The collection, ending in `/`.
    public let collection: URL
    let user: String?
    let password: String?
    /// How a request that failed for a reason that may pass is tried again.
    public let retry: RetryPolicy
    /// The server's Digest challenge, once it has sent one.
    let digest = DigestSession()
    /// What this transport has asked of the server.
    public let traffic = RemoteTraffic()
    /// Seconds a request may take.
    public var timeout: TimeInterval = 60

    /// The largest file read from a remote: a bundle's own limit.
    static let maximumBytes = 1 << 30

    /// One client for the process, on NIO's shared event loops. A refused connection is
    /// answered at once, and retried by ``retry`` rather than by the pool.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool.retryConnectionEstablishment = false
        // A large bundle may take long to move, but not sit idle: each read waits a minute at most.
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(30), read: .seconds(60))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// A remote at a collection's address, created with `MKCOL` when missing.
    /// - Throws: ``SyncError/remote(location:reason:)`` for an address that is not http(s), or plain
    ///   http to another machine without `insecure`; ``SyncError/remoteAuthentication(location:)``.
    public init(
        url: URL, user: String? = nil, password: String? = nil, insecure: Bool = false,
        retry: RetryPolicy = .standard
    ) throws {
        guard let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), let host = url.host
        else {
            throw SyncError.remote(location: url.absoluteString, reason: "not an http or https address")
        }
        if scheme == "http" && !insecure && !["127.0.0.1", "localhost", "::1"].contains(host) {
            throw SyncError.remote(
                location: url.absoluteString,
                reason: "plain http would send the password in the clear; use https, or --insecure")
        }
        collection = url.absoluteString.hasSuffix("/") ? url : url.appendingPathComponent("")
        self.user = user
        self.password = password
        self.retry = retry
        if try request("PROPFIND", collection, headers: [("Depth", "0")], accepting: [207, 404]).status == 404
        {
            // 405: made meanwhile, or by an attempt whose answer was lost.
            _ = try request("MKCOL", collection, accepting: [201, 405])
        }
    }

    /// The collection's address.
    public var address: String { collection.absoluteString }

    /// The files in the collection with their sizes, from a `PROPFIND` of depth 1.
    public func list() throws -> [RemoteFile] {
        let response = try request(
            "PROPFIND", collection, headers: [("Depth", "1"), ("Content-Type", "application/xml")],
            body: .bytes(Self.listingQuery), accepting: [207])
        let own = collection.path.hasSuffix("/") ? collection.path : collection.path + "/"
        return MultiStatusParser.responses(in: response.body).compactMap { answer in
            let path = URL(string: answer.href, relativeTo: collection)?.path ?? answer.href
            guard path != own, path != String(own.dropLast()), !answer.href.hasSuffix("/"),
                !answer.isCollection
            else { return nil }
            return RemoteFile(name: (path as NSString).lastPathComponent, bytes: answer.length)
        }
    }

    /// A file's bytes.
    public func read(_ name: String) throws -> Data {
        let answer = try request("GET", file(name), accepting: [200, 404])
        // Gone since the listing: another device pruned it, which is no failure of the remote.
        guard answer.status == 200 else {
            throw SyncError.malformed(path: location(of: name), reason: "no such file")
        }
        return answer.body
    }

    /// Puts the bytes under a temporary name, then moves them into place.
    public func write(_ name: String, _ data: Data) throws {
        try place(name) { temporary in
            _ = try request("PUT", temporary, body: .bytes(data), accepting: [200, 201, 204])
        }
    }

    /// Puts what `put` sends under a temporary name, then moves it into place.
    func place(_ name: String, put: (URL) throws -> Void) throws {
        let temporary = file(".\(name).partial-\(UUID().uuidString.prefix(8))")
        try put(temporary)
        do {
            // Names are made from contents, so a file already there (412) is this one, moved by
            // an attempt whose answer was lost.
            let moved = try request(
                "MOVE", temporary, headers: [("Destination", file(name).absoluteString), ("Overwrite", "F")],
                accepting: [201, 204, 404, 412]
            ).status
            if moved == 412 { _ = try? request("DELETE", temporary, accepting: [200, 204, 404]) }
            // 404: the temporary file is gone, moved by an attempt whose answer was lost, if the
            // file is now in place.
            if moved == 404,
                try request("PROPFIND", file(name), headers: [("Depth", "0")], accepting: [207, 404]).status
                    == 404
            {
                throw SyncError.remote(location: location(of: name), reason: "the uploaded file vanished")
            }
        } catch {
            _ = try? request("DELETE", temporary, accepting: [200, 204, 404])
            throw error
        }
    }

    /// Deletes a file; one already gone is no error.
    public func delete(_ name: String) throws {
        _ = try request("DELETE", file(name), accepting: [200, 204, 404])
    }

    /// The file's address.
    public func location(of name: String) -> String { file(name).absoluteString }
}

// MARK: - Requests

extension WebDAVTransport {
    func file(_ name: String) -> URL {
        collection.appendingPathComponent(name)
    }

    /// Sends a request and waits for its answer, retrying what may pass (a lost connection, a
    /// server error, a locked file) by ``retry``; an answer outside `accepting` is an error.
    func request(
        _ method: String, _ url: URL, headers: [(String, String)] = [], body: HTTPClient.Body? = nil,
        accepting: Set<Int>
    ) throws -> (status: Int, body: Data) {
        try withRetries { try send(method, url, headers: headers, body: body, accepting: accepting) }
    }

    /// Runs `attempt` again while it fails for a reason that may pass, as ``retry`` says.
    func withRetries<T>(_ attempt: () throws -> T) throws -> T {
        var retries = 0
        while true {
            do {
                return try attempt()
            } catch let failure as PassingFailure {
                guard retries < retry.delays.count else { throw failure.error }
                retry.wait(retry.delays[retries])
                retries += 1
            }
        }
    }

    /// A failure that may pass if the request is sent again.
    struct PassingFailure: Error {
        var error: SyncError
    }

    /// Sends a request once, and once more with Digest authentication when the server asks for it.
    func send(
        _ method: String, _ url: URL, headers: [(String, String)], body: HTTPClient.Body?, accepting: Set<Int>
    ) throws -> (status: Int, body: Data) {
        var response = try execute(method, url, headers: headers, body: body)
        if response.status == .unauthorized, user != nil, digest.accept(response.headers, afterDigest: false)
        {
            response = try execute(method, url, headers: headers, body: body)
            if response.status == .unauthorized, digest.accept(response.headers, afterDigest: true) {
                response = try execute(method, url, headers: headers, body: body)
            }
        }
        let status = Int(response.status.code)
        if status == 401 || status == 403 {
            throw SyncError.remoteAuthentication(location: url.absoluteString)
        }
        try check(method, url, status: status, accepting: accepting)
        var bytes = response.body ?? ByteBuffer()
        guard bytes.readableBytes <= Self.maximumBytes else {
            throw SyncError.remote(location: url.absoluteString, reason: "the answer is larger than 1 GiB")
        }
        return (status, Data(bytes.readBytes(length: bytes.readableBytes) ?? []))
    }

    /// Throws for an answer outside `accepting`; one that may pass is marked so.
    func check(_ method: String, _ url: URL, status: Int, accepting: Set<Int>) throws {
        guard !accepting.contains(status) else { return }
        let error = SyncError.remote(location: url.absoluteString, reason: Self.explain(method, status))
        if [423, 500, 502, 503, 504].contains(status) { throw PassingFailure(error: error) }
        throw error
    }

    /// A request with its authorization and headers.
    func prepare(_ method: String, _ url: URL, headers: [(String, String)], body: HTTPClient.Body?) throws
        -> HTTPClient.Request
    {
        var request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(
                url: url.absoluteString, method: HTTPMethod(rawValue: method), body: body)
        } catch {
            throw SyncError.remote(location: url.absoluteString, reason: "not an address a request can go to")
        }
        if let authorization = authorization(method, url) {
            request.headers.add(name: "Authorization", value: authorization)
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        return request
    }

    func execute(_ method: String, _ url: URL, headers: [(String, String)], body: HTTPClient.Body?) throws
        -> HTTPClient.Response
    {
        let request = try prepare(method, url, headers: headers, body: body)
        traffic.count(sent: body?.contentLength.map(Int.init) ?? 0)
        do {
            let response = try Self.client.execute(
                request: request, deadline: .now() + .milliseconds(Int64(timeout * 1000))
            ).wait()
            traffic.count(received: response.body?.readableBytes ?? 0)
            return response
        } catch {
            throw PassingFailure(
                error: .remote(location: url.absoluteString, reason: "cannot be reached (\(error))"))
        }
    }

    /// Digest once the server has asked for it; Basic before, which most servers take over https.
    func authorization(_ method: String, _ url: URL) -> String? {
        guard let user else { return nil }
        let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? url.path
        return digest.authorization(
            method: method, uri: path.isEmpty ? "/" : path, user: user, password: password ?? "")
            ?? "Basic " + Data("\(user):\(password ?? "")".utf8).base64EncodedString()
    }

    /// Asks only for what a listing needs, instead of every property the server keeps.
    static let listingQuery = Data(
        """
        <?xml version="1.0" encoding="utf-8"?>
        <propfind xmlns="DAV:"><prop><getcontentlength/><resourcetype/></prop></propfind>
        """.utf8)

    static func explain(_ method: String, _ status: Int) -> String {
        switch status {
        case 404: "\(method) found nothing there (404)"
        case 405: "the server does not allow \(method) there (405): is it a WebDAV collection?"
        case 412: "a file of that name is there already (412)"
        case 423: "the server says the file is locked (423); try again later"
        case 507: "the server has no room left (507)"
        case 500...599: "the server failed (\(status)); try again later"
        default: "\(method) was answered \(status)"
        }
    }
}

/// The files of a WebDAV multi-status answer, whatever prefix its `DAV:` namespace has.
private final class MultiStatusParser: NSObject, XMLParserDelegate {
    struct Answer {
        var href = ""
        var length: Int?
        var isCollection = false
    }

    private var answers: [Answer] = []
    private var answer: Answer?
    private var text: String?

    static func responses(in data: Data) -> [Answer] {
        let delegate = MultiStatusParser()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = delegate
        parser.parse()
        return delegate.answers
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        guard namespaceURI == "DAV:" else { return }
        switch elementName {
        case "response": answer = Answer()
        case "href", "getcontentlength": text = ""
        case "collection": answer?.isCollection = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text? += string
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        guard namespaceURI == "DAV:" else { return }
        let value = text?.trimmingCharacters(in: .whitespacesAndNewlines)
        switch elementName {
        case "href":
            // Only the response's own href names the file; a later one would be inside a property.
            if answer?.href.isEmpty == true { answer?.href = value ?? "" }
        case "getcontentlength": answer?.length = value.flatMap { Int($0) }
        case "response":
            if let answer { answers.append(answer) }
            answer = nil
        default: break
        }
        if elementName == "href" || elementName == "getcontentlength" { text = nil }
    }
}

/// Requests and bytes a transport has exchanged with its server, for the bench and for tests.
public final class RemoteTraffic: @unchecked Sendable {
    private let lock = NSLock()
    private var counts = (requests: 0, sent: 0, received: 0)

    /// Requests sent so far.
    public var requests: Int { lock.withLock { counts.requests } }
    /// Body bytes sent and received so far.
    public var bytes: (sent: Int, received: Int) { lock.withLock { (counts.sent, counts.received) } }

    func count(sent: Int) {
        lock.withLock {
            counts.requests += 1
            counts.sent += sent
        }
    }

    func count(received: Int) { lock.withLock { counts.received += received } }
}
