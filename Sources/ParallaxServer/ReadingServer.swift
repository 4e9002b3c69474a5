import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ParallaxIngest
import ParallaxStore

/// The library as a local reading app in the browser (`parallax serve`).
///
/// Every page reads, and every action writes, through the same ``Library`` API the CLI uses,
/// so an edit made here is a change in the log that syncs like any other.
public struct ReadingServer: Sendable {
    /// Why a server cannot start as configured.
    public enum SetupError: Error, Sendable, LocalizedError {
        /// A host other than loopback without a long enough token.
        case tokenRequired(host: String)
        /// The address cannot be listened on: the port is in use, or the host is not this machine's.
        case cannotListen(host: String, port: Int, reason: String)

        /// The one line a user reads.
        public var errorDescription: String? {
            switch self {
            case .tokenRequired(let host):
                "serving on \(host) lets other machines reach your library: give --token with at least "
                    + "\(ServerConfiguration.minimumTokenLength) characters (or PARALLAX_SERVE_TOKEN)"
            case .cannotListen(let host, let port, let reason): "cannot serve on \(host):\(port): \(reason)"
            }
        }
    }

    /// The library the server shows.
    public let library: Library
    /// Where it listens and who may sign in.
    public let configuration: ServerConfiguration
    let app: ReadingApp

    /// Prepares a server; nothing listens until ``run(onListening:)``.
    /// - Throws: ``SetupError/tokenRequired(host:)`` for a host other than loopback without a token.
    public init(library: Library, configuration: ServerConfiguration, fetcher: PageFetcher = PageFetcher())
        throws
    {
        if !configuration.isLoopback,
            (configuration.accessToken?.count ?? 0) < ServerConfiguration.minimumTokenLength
        {
            throw SetupError.tokenRequired(host: configuration.host)
        }
        self.library = library
        self.configuration = configuration
        app = ReadingApp(
            access: LibraryAccess(library: library),
            control: AccessControl(chosenToken: configuration.accessToken),
            configuration: configuration, fetcher: fetcher)
    }

    /// The address of the sign-in link for a server listening on `port`.
    ///
    /// On loopback the link carries the one-time token; a server others can reach asks for the
    /// token its user chose instead of printing it.
    public func loginLink(port: Int) -> String {
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let shown = ["0.0.0.0", "::"].contains(configuration.host) ? "127.0.0.1" : host
        guard configuration.accessToken == nil, let token = app.control.loginToken else {
            return "http://\(shown):\(port)/login"
        }
        return "http://\(shown):\(port)/login?token=\(token)"
    }

    /// Listens until the process is interrupted (SIGINT or SIGTERM), then finishes open requests.
    /// - Parameter onListening: Called with the port once the server accepts connections.
    public func run(onListening: @escaping @Sendable (Int) async -> Void) async throws {
        var logger = Logger(label: "parallax.serve")
        logger.logLevel = .warning
        let application = Application(
            router: router,
            server: .http1(configuration: connections),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        // Due feeds are fetched in the background for as long as the server runs; a failed
        // round is reported by the feeds themselves (`feeds list`, the Feeds page) and the next
        // round comes all the same.
        let refreshing =
            configuration.refreshesFeeds
            ? Task { [app, configuration] in
                while !Task.isCancelled {
                    _ = try? await app.refreshFeeds()
                    try? await Task.sleep(
                        nanoseconds: UInt64(configuration.feedCheckInterval * 1_000_000_000))
                }
            } : nil
        defer { refreshing?.cancel() }
        do {
            try await application.runService()
        } catch let error as IOError {
            throw SetupError.cannotListen(
                host: configuration.host, port: configuration.port,
                reason: String(cString: strerror(error.errnoCode)).lowercased())
        }
    }

    /// Connections that send nothing for 30 s, or whose request's head or body takes longer
    /// than the configured deadline in all, are closed, so idle, half-sent or trickled requests
    /// cannot hold the process's file descriptors or a place among the requests read at once.
    package var connections: HTTP1Channel.Configuration {
        let head = TimeAmount.milliseconds(Int64(configuration.headTimeout * 1000))
        let body = TimeAmount.milliseconds(Int64(configuration.bodyTimeout * 1000))
        return HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestDeadlines(head: head, body: body)], idleTimeout: .seconds(30))
    }

    /// Bodies the bookmarklet route has read: a request without the right save token reads none.
    package var bookmarkletBodiesRead: Int { app.bookmarkletBodiesRead.value }

    /// Every route behind its middleware; the tests drive it in process.
    package var router: Router<ServerContext> {
        app.router(hosts: configuration.isLoopback ? ["127.0.0.1", "localhost", "[::1]"] : [])
    }
}
