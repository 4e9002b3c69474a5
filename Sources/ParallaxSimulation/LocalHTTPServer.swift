import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 that a test starts for itself, so fetching is tested
/// without the internet.
public final class LocalHTTPServer: @unchecked Sendable {
    /// What the server answers to one path.
    public struct Response: Sendable {
        /// The status code.
        public var status = 200
        /// The response headers.
        public var headers: [String: String] = ["Content-Type": "text/html; charset=utf-8"]
        /// The body.
        public var body = Data()
        /// Seconds to wait before answering.
        public var delay: TimeInterval = 0
        /// Bytes to stream after the body without end (until the client hangs up).
        public var endlessBytes = false
        /// When set, the whole answer, headers included, goes out five bytes at a time, one
        /// piece every this many seconds: a server that is never idle long yet never finishes.
        public var trickle: TimeInterval?

        /// An answer; `contentType` nil sends none.
        public init(
            status: Int = 200, contentType: String? = "text/html; charset=utf-8", body: Data = Data(),
            headers: [String: String] = [:], delay: TimeInterval = 0, endlessBytes: Bool = false
        ) {
            self.status = status
            self.headers = headers
            if let contentType { self.headers["Content-Type"] = contentType }
            self.body = body
            self.delay = delay
            self.endlessBytes = endlessBytes
        }

        /// A redirect to another path or address.
        public static func redirect(to location: String) -> Response {
            Response(status: 302, contentType: nil, headers: ["Location": location])
        }
    }

    /// What a client asked: the path (with its query) and the headers, by lower-cased name.
    public struct Request: Sendable {
        /// The path and query.
        public var path: String
        /// The headers, by lower-cased name.
        public var headers: [String: String]
    }

    /// The server's address, e.g. `http://127.0.0.1:40123`.
    public let baseURL: String
    private let socketDescriptor: Int32
    private let routes: @Sendable (Request) -> Response
    private let greeting: Data?
    private let lock = NSLock()
    private var received: [Request] = []

    /// Starts serving at once, on a free port.
    /// - Parameters:
    ///   - greeting: Bytes sent to each client as it connects, before it has said anything, and
    ///     the connection closed: a server that does not speak what the client expects.
    ///   - routes: The answer for each request path (with its query).
    public convenience init(greeting: Data? = nil, routes: @escaping @Sendable (String) -> Response) throws {
        try self.init(greeting: greeting, handler: { routes($0.path) })
    }

    /// Starts serving at once, on a free port, answering each request by its path and headers
    /// (a conditional request, say).
    public static func answering(_ routes: @escaping @Sendable (Request) -> Response) throws
        -> LocalHTTPServer
    {
        try LocalHTTPServer(greeting: nil, handler: routes)
    }

    private init(greeting: Data?, handler routes: @escaping @Sendable (Request) -> Response) throws {
        self.routes = routes
        self.greeting = greeting
        let (descriptor, port) = try LoopbackSocket.listening()
        socketDescriptor = descriptor
        baseURL = "http://127.0.0.1:\(port)"
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { close(socketDescriptor) }

    /// Stops accepting connections.
    public func stop() { shutdown(socketDescriptor, Int32(SHUT_RDWR)) }

    /// The paths requested so far, in order.
    public var requests: [String] { lock.withLock { received.map(\.path) } }

    /// The requests received so far, in order, with their headers.
    public var receivedRequests: [Request] { lock.withLock { received } }

    private func acceptLoop() {
        while true {
            let client = accept(socketDescriptor, nil, nil)
            guard client >= 0 else { return }
            let thread = Thread { [self] in serve(client) }
            thread.start()
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        if let greeting {
            _ = send(greeting, to: client)
            return
        }
        var request = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.contains(Data("\r\n\r\n".utf8)) {
            let count = read(client, &buffer, buffer.count)
            guard count > 0 else { return }
            request.append(contentsOf: buffer[0..<count])
        }
        let lines = String(decoding: request, as: UTF8.self).components(separatedBy: "\r\n")
        let line = (lines.first ?? "").split(separator: " ")
        var headers: [String: String] = [:]
        for header in lines.dropFirst() {
            guard let colon = header.firstIndex(of: ":") else { continue }
            headers[header[..<colon].lowercased()] = header[header.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        let received = Request(path: line.count > 1 ? String(line[1]) : "/", headers: headers)
        lock.withLock { self.received.append(received) }
        let response = routes(received)
        if response.delay > 0 { Thread.sleep(forTimeInterval: response.delay) }
        var head = "HTTP/1.1 \(response.status) Status\r\nConnection: close\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        if !response.endlessBytes { head += "Content-Length: \(response.body.count)\r\n" }
        head += "\r\n"
        if let trickle = response.trickle {
            let answer = Data(head.utf8) + response.body
            for offset in stride(from: 0, to: answer.count, by: 5) {
                guard send(answer[offset..<min(answer.count, offset + 5)], to: client) else { return }
                Thread.sleep(forTimeInterval: trickle)
            }
            return
        }
        guard send(Data(head.utf8) + response.body, to: client) else { return }
        if response.endlessBytes {
            let chunk = Data(repeating: 0x61, count: 1 << 16)
            while send(chunk, to: client) {}
        }
    }

    private func send(_ data: Data, to client: Int32) -> Bool {
        LoopbackSocket.send(data, to: client)
    }
}
