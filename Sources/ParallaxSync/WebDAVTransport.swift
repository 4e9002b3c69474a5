import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A WebDAV collection as a remote (Nextcloud, ownCloud, Apache's mod_dav, rclone, a NAS).
///
/// Writes go to a temporary name in the collection and are moved into place with `MOVE`, so a
/// reader never sees half a bundle; nothing is ever locked. `http://` is taken only for this
/// machine unless `insecure` is set, since the password would travel in the clear. What the
/// server sends is bounded in size and time (``Timeouts``), and a request is only ever made to a
/// plain file name in the collection.
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
    /// How long the server may take.
    public var timeouts: Timeouts

    /// The largest file read from a remote: a bundle's own limit.
    static let maximumBytes = 1 << 30
    /// The most kept of the answer to a request that is not a listing or a file's bytes: only
    /// its status counts.
    static let maximumAnswerBytes = 1 << 20

    /// A remote at a collection's address, created with `MKCOL` when missing.
    /// - Throws: ``SyncError/remote(location:reason:)`` for an address that is not http(s), or plain
    ///   http to another machine without `insecure`; ``SyncError/remoteAuthentication(location:)``.
    public init(
        url: URL, user: String? = nil, password: String? = nil, insecure: Bool = false,
        retry: RetryPolicy = .standard, timeouts: Timeouts = .standard
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
        self.timeouts = timeouts
        if try request("PROPFIND", collection, headers: [("Depth", "0")], accepting: [207, 404]).status == 404
        {
            // 405: made meanwhile, or by an attempt whose answer was lost.
            _ = try request("MKCOL", collection, accepting: [201, 405])
        }
    }

    /// The collection's address.
    public var address: String { collection.absoluteString }

    /// A file's bytes.
    public func read(_ name: String) throws -> Data {
        try read(name, limit: Self.maximumBytes, tooLarge: true)
    }

    /// A file's first `limit` bytes, and one more when it is longer: what a small file's reader
    /// needs to refuse it, without holding what a server sends past that.
    public func read(_ name: String, prefix limit: Int) throws -> Data {
        try read(name, limit: limit, tooLarge: false)
    }

    private func read(_ name: String, limit: Int, tooLarge: Bool) throws -> Data {
        let url = try file(name)
        let answer = try request(
            "GET", url, accepting: [200, 404], limit: limit,
            tooLarge: tooLarge
                ? .remote(location: url.absoluteString, reason: "the answer is larger than 1 GiB") : nil)
        // Gone since the listing: another device pruned it, which is no failure of the remote.
        guard answer.status == 200 else {
            throw SyncError.missingBundle(path: location(of: name))
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
        let destination = try file(name)
        let temporary = try file(".\(name).partial-\(UUID().uuidString.prefix(8))")
        try put(temporary)
        do {
            // Names are made from contents, so a file already there (412) is this one, moved by
            // an attempt whose answer was lost.
            let moved = try request(
                "MOVE", temporary,
                headers: [("Destination", destination.absoluteString), ("Overwrite", "F")],
                accepting: [201, 204, 404, 412]
            ).status
            if moved == 412 { _ = try? request("DELETE", temporary, accepting: [200, 204, 404]) }
            // 404: the temporary file is gone, moved by an attempt whose answer was lost, if the
            // file is now in place.
            if moved == 404,
                try request("PROPFIND", destination, headers: [("Depth", "0")], accepting: [207, 404]).status
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
        _ = try request("DELETE", try file(name), accepting: [200, 204, 404])
    }

    /// The file's address.
    public func location(of name: String) -> String {
        collection.appendingPathComponent(name).absoluteString
    }
}

// MARK: - Requests

extension WebDAVTransport {
    /// A file's address in the collection, made from its name alone.
    /// - Throws: ``SyncError/remote(location:reason:)`` for a name that is not one plain file
    ///   name (``RemoteFileName/isPlain(_:)``), before anything is sent.
    func file(_ name: String) throws -> URL {
        try RemoteFileName.checkPlain(name, in: collection.absoluteString)
        // A plain name holds nothing a URL would encode.
        guard let url = URL(string: collection.absoluteString + name) else {
            throw SyncError.remote(location: collection.absoluteString, reason: "'\(name)' makes no address")
        }
        return url
    }

    /// Sends a request and waits for its answer, retrying what may pass (a lost connection, a
    /// server error, a locked file) by ``retry``; an answer outside `accepting` is an error. An
    /// answer longer than `limit` is an error when `tooLarge` is given, and cut after one byte
    /// more otherwise.
    func request(
        _ method: String, _ url: URL, headers: [(String, String)] = [], body: HTTPClient.Body? = nil,
        accepting: Set<Int>, limit: Int = maximumAnswerBytes, tooLarge: SyncError? = nil
    ) throws -> (status: Int, body: Data) {
        try withRetries {
            try send(method, url, headers: headers, body: body, accepting: accepting) { request in
                try execute(request, url, limit: limit, tooLarge: tooLarge)
            }
        }
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

    /// Sends a request once by `execute`, and once more with Digest authentication when the
    /// server asks for it.
    func send(
        _ method: String, _ url: URL, headers: [(String, String)], body: HTTPClient.Body?,
        accepting: Set<Int>,
        execute: (HTTPClient.Request) throws -> BoundedAnswer.Response
    ) throws -> (status: Int, body: Data) {
        var response = try execute(prepare(method, url, headers: headers, body: body))
        if response.status == .unauthorized, user != nil, digest.accept(response.headers, afterDigest: false)
        {
            response = try execute(prepare(method, url, headers: headers, body: body))
            if response.status == .unauthorized, digest.accept(response.headers, afterDigest: true) {
                response = try execute(prepare(method, url, headers: headers, body: body))
            }
        }
        let status = Int(response.status.code)
        if status == 401 || status == 403 {
            throw SyncError.remoteAuthentication(location: url.absoluteString)
        }
        try check(method, url, status: status, accepting: accepting)
        var bytes = response.body
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

    /// Sends a prepared request once, within the request deadline (or `deadline`), keeping at
    /// most `limit` bytes of its answer.
    func execute(
        _ request: HTTPClient.Request, _ url: URL, limit: Int, tooLarge: SyncError?,
        deadline: TimeAmount? = nil
    ) throws -> BoundedAnswer.Response {
        let answer = BoundedAnswer(limit: limit, tooLarge: tooLarge)
        let deadline = deadline ?? timeouts.request.timeAmount
        traffic.count(sent: request.body?.contentLength.map(Int.init) ?? 0)
        defer { traffic.count(received: answer.received) }
        do {
            return try Self.client(for: timeouts).execute(
                request: request, delegate: answer, deadline: .now() + deadline
            ).futureResult.wait()
        } catch {
            if let partial = answer.partial { return partial }
            throw failure(error, at: url, deadline: deadline, stopped: answer.failure)
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
