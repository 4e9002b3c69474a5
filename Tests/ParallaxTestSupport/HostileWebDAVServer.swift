import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A WebDAV server on 127.0.0.1 that misbehaves as a test tells it to: an answer that never
/// ends, headers and then silence, a listing of a million names or of names that climb out of
/// the collection. It serves the collection `/px/`.
public final class HostileWebDAVServer: @unchecked Sendable {
    /// A request as it arrived.
    public struct Request: Sendable {
        /// The method, such as `PROPFIND`.
        public var method: String
        /// The path as sent, percent-encoding and all.
        public var path: String
        /// The headers, by lowercased name.
        public var headers: [String: String]
    }

    /// What the server does with one request.
    public enum Answer: Sendable {
        /// A whole answer with its `Content-Length`.
        case complete(status: Int, body: Data = Data())
        /// Headers without a `Content-Length`, `start`, then `chunk` again and again until the
        /// client hangs up.
        case endless(status: Int, start: Data, chunk: Data)
        /// Headers without a `Content-Length`, `start`, then silence until the client hangs up.
        case stall(status: Int, start: Data)
    }

    /// The collection's address, ending in `/`.
    public let url: URL
    private let socketDescriptor: Int32
    private let answer: @Sendable (Request) -> Answer
    private let lock = NSLock()
    private var received: [Request] = []
    private var clients: Set<Int32> = []
    private var sent = 0

    /// Starts serving at once, on a free port; `answer` decides `GET`s and listings. The
    /// collection is found where it is looked for (a `PROPFIND` of depth 0), and every `PUT`,
    /// `MOVE` and `DELETE` succeeds, as a server that accepts writes and keeps nothing.
    public init(answer: @escaping @Sendable (Request) -> Answer) throws {
        self.answer = answer
        let (descriptor, port) = try LoopbackSocket.listening()
        socketDescriptor = descriptor
        url = URL(string: "http://127.0.0.1:\(port)/px/")!
        Thread { [self] in acceptLoop() }.start()
    }

    deinit { close(socketDescriptor) }

    /// Stops accepting, and hangs up on every client still connected; a test calls it when
    /// done, which ends the server's threads and frees it.
    public func stop() {
        shutdown(socketDescriptor, Int32(SHUT_RDWR))
        lock.withLock { for client in clients { shutdown(client, Int32(SHUT_RDWR)) } }
    }

    /// The requests so far, in order.
    public var requests: [Request] { lock.withLock { received } }

    /// Bytes sent so far, headers included.
    public var sentBytes: Int { lock.withLock { sent } }

    /// A multi-status answer listing the collection and a file (of 1,000 bytes) at each href.
    public static func listing(hrefs: [String]) -> Data {
        var xml = #"<?xml version="1.0" encoding="utf-8"?><D:multistatus xmlns:D="DAV:">"#
        xml += response(href: "/px/", collection: true)
        for href in hrefs { xml += response(href: href, collection: false) }
        return Data((xml + "</D:multistatus>").utf8)
    }

    /// One `response` element of a multi-status answer.
    public static func response(href: String, collection: Bool) -> String {
        let type = collection ? "<D:resourcetype><D:collection/></D:resourcetype>" : "<D:resourcetype/>"
        return "<D:response><D:href>\(href)</D:href><D:propstat><D:prop>"
            + (collection ? "" : "<D:getcontentlength>1000</D:getcontentlength>")
            + "\(type)</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
    }
}

private extension HostileWebDAVServer {
    func acceptLoop() {
        while true {
            let client = accept(socketDescriptor, nil, nil)
            guard client >= 0 else { return }
            lock.withLock { _ = clients.insert(client) }
            Thread { [self] in
                serve(client)
                lock.withLock { _ = clients.remove(client) }
                close(client)
            }.start()
        }
    }

    func serve(_ client: Int32) {
        guard let request = read(client) else { return }
        lock.withLock { received.append(request) }
        let reply: Answer =
            switch request.method {
            case "PUT", "MOVE": .complete(status: 201)
            case "DELETE": .complete(status: 204)
            case "PROPFIND" where request.headers["depth"] == "0" && request.path == "/px/":
                .complete(status: 207, body: Self.listing(hrefs: []))
            default: answer(request)
            }
        switch reply {
        case .complete(let status, let body):
            _ = send(head(status, length: body.count) + body, to: client)
        case .endless(let status, let start, let chunk):
            guard send(head(status, length: nil) + start, to: client) else { return }
            while send(chunk, to: client) {}
        case .stall(let status, let start):
            guard send(head(status, length: nil) + start, to: client) else { return }
            // Silence: wait for the client to hang up.
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Glibc.read(client, &buffer, buffer.count) > 0 {}
        }
    }

    /// Reads a request's head, and its body so the client is never cut off while it sends.
    func read(_ client: Int32) -> Request? {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        let end = Data("\r\n\r\n".utf8)
        while data.range(of: end) == nil {
            let count = Glibc.read(client, &buffer, buffer.count)
            guard count > 0 else { return nil }
            data.append(contentsOf: buffer[0..<count])
        }
        let headEnd = data.range(of: end)!.upperBound
        let lines = String(decoding: data[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let first = lines[0].split(separator: " ")
        guard first.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        var remaining = Int(headers["content-length"] ?? "") ?? 0
        remaining -= data.count - headEnd
        while remaining > 0 {
            let count = Glibc.read(client, &buffer, min(buffer.count, remaining))
            guard count > 0 else { return nil }
            remaining -= count
        }
        return Request(method: String(first[0]), path: String(first[1]), headers: headers)
    }

    func head(_ status: Int, length: Int?) -> Data {
        var head = "HTTP/1.1 \(status) Status\r\nConnection: close\r\n"
        head += "Content-Type: application/xml; charset=utf-8\r\n"
        if let length { head += "Content-Length: \(length)\r\n" }
        return Data((head + "\r\n").utf8)
    }

    func send(_ data: Data, to client: Int32) -> Bool {
        let done = LoopbackSocket.send(data, to: client)
        lock.withLock { sent += data.count }
        return done
    }
}
