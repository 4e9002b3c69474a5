import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension WebDAVTransport {
    /// The largest listing read: about 40,000 files as Apache lists them, where a remote that
    /// is pruned holds tens.
    public static let maximumListingBytes = 16 << 20

    /// How long a server may take, so that one that stalls or trickles ends a sync with one line
    /// instead of holding it (and the reading app's Sync button) for ever. A request that runs
    /// out of time is not sent again.
    public struct Timeouts: Hashable, Sendable {
        /// The longest wait for a connection.
        public var connect: Duration
        /// The longest silence while a request is sent or its answer awaited or arriving.
        public var idle: Duration
        /// The longest a request other than a bundle's transfer may take in all: a listing, a
        /// move, a published vector. A transfer gets as long, plus its bytes' time at
        /// ``slowestTransfer``.
        public var request: Duration
        /// The longest a bundle's download or upload may take in all.
        public var transfer: Duration
        /// The slowest average, in bytes a second, a transfer may keep once ``request`` has passed.
        public var slowestTransfer: Int

        /// Timeouts from their parts.
        public init(
            connect: Duration, idle: Duration, request: Duration, transfer: Duration,
            slowestTransfer: Int = 8 << 10
        ) {
            self.connect = connect
            self.idle = idle
            self.request = request
            self.transfer = transfer
            self.slowestTransfer = slowestTransfer
        }

        /// A connection within 30 seconds, no silence over a minute, five minutes for a listing
        /// or any other small request, and for a bundle's transfer five minutes plus its bytes at
        /// 8 KiB a second, two hours at most.
        public static let standard = Timeouts(
            connect: .seconds(30), idle: .seconds(60), request: .seconds(300), transfer: .seconds(7200))

        /// How long the transfer of `bytes` may take.
        func transferDeadline(bytes: Int) -> TimeAmount {
            let allowed = request + .seconds(Double(bytes) / Double(max(slowestTransfer, 1)))
            return min(allowed, transfer).timeAmount
        }
    }

    /// The client for a transport's timeouts: one for each set of them (the connect and idle
    /// timeouts are a client's), kept for the process on NIO's shared event loops.
    static func client(for timeouts: Timeouts) -> HTTPClient { clients.client(for: timeouts) }

    private static let clients = ClientPool()

    /// What a failed request says: a timeout or a stopped answer in one line, which is not tried
    /// again; anything else a ``PassingFailure``, which may be.
    func failure(_ error: any Error, at url: URL, deadline: TimeAmount, stopped: SyncError?) -> any Error {
        let location = url.absoluteString
        if let stopped { return stopped }
        switch error as? HTTPClientError {
        case .readTimeout?:
            return SyncError.remote(
                location: location, reason: "the server sent nothing for \(Self.describe(timeouts.idle))")
        case .writeTimeout?:
            return SyncError.remote(
                location: location,
                reason: "the server took nothing of what was sent for \(Self.describe(timeouts.idle))")
        case .deadlineExceeded?:
            let seconds = Duration.nanoseconds(deadline.nanoseconds)
            return SyncError.remote(
                location: location, reason: "the server took more than \(Self.describe(seconds)) to answer")
        default:
            return PassingFailure(error: .remote(location: location, reason: "cannot be reached (\(error))"))
        }
    }

    /// `0.3 seconds`, `60 seconds`, `5 minutes`.
    static func describe(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if seconds >= 120 && seconds % 60 == 0 && attoseconds == 0 { return "\(seconds / 60) minutes" }
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return value == value.rounded() ? "\(Int64(value)) seconds" : "\(value) seconds"
    }
}

/// An answer held whole in memory, up to a limit: past it, the request is stopped, so a server
/// that answers without end costs that much and no more.
final class BoundedAnswer: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = (status: HTTPResponseStatus, headers: HTTPHeaders, body: ByteBuffer)

    private let limit: Int
    private let tooLarge: SyncError?
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()
    /// Why the answer was stopped, when it was past the limit and that is an error.
    private(set) var failure: SyncError?
    /// Whether it was cut at `limit + 1` bytes, when that is no error.
    private(set) var cut = false
    /// Body bytes that arrived, kept or not.
    private(set) var received = 0

    /// An answer of at most `limit` bytes; when `tooLarge` is nil, a longer one is cut after one
    /// byte more than the limit, so the caller tells it was longer.
    init(limit: Int, tooLarge: SyncError?) {
        self.limit = limit
        self.tooLarge = tooLarge
    }

    /// The answer as far as it came, once it was cut.
    var partial: Response? {
        guard cut, let head else { return nil }
        return (head.status, head.headers, body)
    }

    func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        self.head = head
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        received += buffer.readableBytes
        guard failure == nil, !cut else { return task.eventLoop.makeSucceededVoidFuture() }
        var buffer = buffer
        if body.readableBytes + buffer.readableBytes <= limit {
            body.writeBuffer(&buffer)
        } else if let tooLarge {
            failure = tooLarge
            task.cancel()
        } else {
            var part = buffer.readSlice(length: limit + 1 - body.readableBytes) ?? ByteBuffer()
            body.writeBuffer(&part)
            cut = true
            task.cancel()
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Response>) throws -> Response {
        if let failure { throw failure }
        guard let head else { throw HTTPClientError.remoteConnectionClosed }
        return (head.status, head.headers, body)
    }
}

/// The clients by timeouts, made on first use; a process uses one or two.
private final class ClientPool: @unchecked Sendable {
    private let lock = NSLock()
    private var clients: [WebDAVTransport.Timeouts: HTTPClient] = [:]

    func client(for timeouts: WebDAVTransport.Timeouts) -> HTTPClient {
        var key = timeouts
        // Only these belong to the client; the others are a request's own.
        key.request = .zero
        key.transfer = .zero
        key.slowestTransfer = 0
        return lock.withLock {
            if let client = clients[key] { return client }
            var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
            // A refused connection is answered at once, and retried by the transport's policy.
            configuration.connectionPool.retryConnectionEstablishment = false
            configuration.timeout = HTTPClient.Configuration.Timeout(
                connect: timeouts.connect.timeAmount, read: timeouts.idle.timeAmount,
                write: timeouts.idle.timeAmount)
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            clients[key] = client
            return client
        }
    }
}

extension Duration {
    /// The duration as NIO counts time.
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
