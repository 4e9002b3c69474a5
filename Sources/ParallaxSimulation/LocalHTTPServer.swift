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

    /// The server's address, e.g. `http://127.0.0.1:40123`.
    public let baseURL: String
    private let socketDescriptor: Int32
    private let routes: @Sendable (String) -> Response
    private let greeting: Data?
    private let lock = NSLock()
    private var requestedPaths: [String] = []

    /// Starts serving at once, on a free port.
    /// - Parameters:
    ///   - greeting: Bytes sent to each client as it connects, before it has said anything, and
    ///     the connection closed: a server that does not speak what the client expects.
    ///   - routes: The answer for each request path (with its query).
    public init(greeting: Data? = nil, routes: @escaping @Sendable (String) -> Response) throws {
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
    public var requests: [String] { lock.withLock { requestedPaths } }

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
        let line = String(decoding: request.prefix { $0 != 0x0D }, as: UTF8.self).split(separator: " ")
        let path = line.count > 1 ? String(line[1]) : "/"
        lock.withLock { requestedPaths.append(path) }
        let response = routes(path)
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
