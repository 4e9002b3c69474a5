import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import NIOSSL
import ParallaxStore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Limits and manners of fetching pages.
public struct FetchPolicy: Sendable {
    /// Bytes a page may have, counted after decoding as they arrive; a larger download is cut
    /// off and refused.
    public var maximumBytes = 16 << 20
    /// Seconds without data before a request gives up.
    public var idleTimeout: TimeInterval = 20
    /// Seconds a whole download may take.
    public var totalTimeout: TimeInterval = 60
    /// Redirects followed before giving up.
    public var maximumRedirects = 10
    /// The `User-Agent` header: the program and a way to reach its makers, as crawlers do.
    public var userAgent =
        "Mozilla/5.0 (compatible; Parallax/0.5; +https://github.com/parallax-reader/parallax)"
    /// What the fetch is for: a web page, or an image of an article.
    public var content = FetchedContent.page
    /// Whether redirects are followed here; when not, a redirect ends the fetch as
    /// ``FetchError/badRedirect(url:location:)`` naming its target, for the caller to check.
    public var followsRedirects = true

    /// The default limits.
    public init() {}
}

/// What a fetch accepts.
public enum FetchedContent: Sendable {
    /// A web page or plain text.
    case page
    /// An image (its bytes are checked by their format afterwards, whatever the server calls them).
    case image
    /// A feed or an outline of feeds: served under many types (XML, JSON, plain text), so its
    /// bytes, not its type, say whether it is one.
    case feed
}

/// A page as downloaded.
public struct FetchedPage: Sendable {
    /// The address after redirects.
    public var url: URL
    /// The body.
    public var data: Data
    /// The `Content-Type` header.
    public var contentType: String?
}

/// Why a page could not be fetched.
public enum FetchError: Error, Equatable, Sendable {
    /// Not an http or https address.
    case unsupportedAddress(String)
    /// The server answered with an error status.
    case httpStatus(url: String, code: Int)
    /// The page is larger than the policy allows.
    case tooLarge(url: String, limit: Int)
    /// The answer is not a web page (a PDF, an image, a feed...).
    case notHTML(url: String, contentType: String)
    /// The redirects did not end.
    case tooManyRedirects(url: String, limit: Int)
    /// A redirect led back to an address already visited.
    case redirectLoop(url: String)
    /// A redirect without a target, or to an address that is not http or https.
    case badRedirect(url: String, location: String?)
    /// The page came in a compression Parallax does not read (`br`, say), or damaged.
    case unreadableEncoding(url: String, encoding: String)
    /// The server did not answer in time.
    case timedOut(url: String)
    /// The server answered, but the whole download took longer than the total limit.
    case tooSlow(url: String, seconds: Int)
    /// The host could not be found or reached.
    case unreachable(url: String, reason: String)
}

extension FetchError: LocalizedError {
    /// One line naming the address and what went wrong.
    public var errorDescription: String? {
        switch self {
        case .unsupportedAddress(let text): "\(text): not a complete http or https address"
        case .httpStatus(let url, let code):
            "\(url): the server answered \(code) \(HTTPURLResponse.localizedString(forStatusCode: code))"
        case .tooLarge(let url, let limit): "\(url): the page is larger than \(limit >> 20) MiB; not saved"
        case .notHTML(let url, let contentType):
            contentType.lowercased().contains("pdf")
                ? "\(url): a PDF document, not a web page; Parallax saves web pages and text files"
                : "\(url): not a web page (\(contentType))"
        case .tooManyRedirects(let url, let limit): "\(url): more than \(limit) redirects"
        case .redirectLoop(let url): "\(url): the redirects lead in a loop"
        case .badRedirect(let url, let location?):
            "\(url): redirects to \(location.prefix(200)), which is not an http or https address"
        case .badRedirect(let url, nil): "\(url): the server redirects without saying where"
        case .unreadableEncoding(let url, let encoding):
            "\(url): the page came compressed as '\(encoding.prefix(40))', which Parallax cannot read"
        case .timedOut(let url): "\(url): no answer in time"
        case .tooSlow(let url, let seconds): "\(url): the download took longer than \(seconds) s; not saved"
        case .unreachable(let url, let reason): "\(url): \(reason)"
        }
    }
}

/// Downloads web pages within a ``FetchPolicy``.
///
/// The body streams with backpressure and is counted after decoding as it arrives, so a
/// compressed bomb or an endless body costs no more memory than the limit, whatever the server
/// declares.
public final class PageFetcher: Sendable {
    /// The limits this fetcher keeps to.
    public let policy: FetchPolicy

    /// Makes a fetcher.
    public init(policy: FetchPolicy = FetchPolicy()) {
        self.policy = policy
    }

    /// Whether a command-line argument is a web address rather than a file.
    public static func isWebAddress(_ argument: String) -> Bool {
        let lower = argument.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// Whether an address names a port a connection can use: the HTTP client traps on a port
    /// past 65535 given with a numeric host, and a page or feed may name any.
    public static func hasUsablePort(_ url: URL) -> Bool {
        url.port.map { (1...65_535).contains($0) } ?? true
    }

    /// Downloads a page.
    /// - Throws: ``FetchError`` for every way a download fails, `CancellationError` when the
    ///   awaiting task is cancelled.
    public func fetch(_ address: String) async throws -> FetchedPage {
        try await fetch(address, connectingTo: nil)
    }

    /// Downloads a page from the address `pinned`, whatever its host name resolves to by then,
    /// still naming the host in the `Host` header and to TLS: the address is the one a check
    /// accepted, so the name cannot be made to lead elsewhere between the check and the connection.
    public func fetch(_ address: String, connectingTo pinned: String?) async throws -> FetchedPage {
        guard PageFetcher.isWebAddress(address), let url = URL(string: address), let host = url.host,
            Self.hasUsablePort(url)
        else {
            throw FetchError.unsupportedAddress(address)
        }
        var configuration = clientConfiguration
        // The client looks its target up by the host as the address spells it; an IP literal
        // is connected to as it is, so it needs no pin.
        if let pinned { configuration.dnsOverride = [host: pinned] }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let page = try await Self.withinTotalTime(policy.totalTimeout, url: url, client: client) {
                try await self.download(url, with: client)
            }
            try await client.shutdown()
            return page
        } catch {
            // Not awaited: it would wait for a connection the server keeps trickling into.
            client.shutdown(queue: .global()) { _ in }
            if error is CancellationError || error is FetchError { throw error }
            throw FetchError(error, url: url, policy: policy)
        }
    }
}

// MARK: - One download

extension PageFetcher {
    /// Runs a request through `client` within `seconds` in all, however the server spaces its
    /// bytes: a trickle of headers or of body bytes, each inside the idle limit, still ends
    /// here. The HTTP client does not always stop reading a trickling answer when its task is
    /// cancelled, and a task group would wait for it, so the request runs in a task of its own
    /// that is left behind at the limit, its client shut down so its connection closes.
    /// - Throws: ``FetchError/tooSlow(url:seconds:)`` past the limit, else what `operation` throws.
    public static func withinTotalTime<T: Sendable>(
        _ seconds: TimeInterval, url: URL, client: HTTPClient,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let tooSlow = FetchError.tooSlow(url: url.absoluteString, seconds: Int(seconds.rounded()))
        let answered = LockedValue(false)
        // True for the first caller only: the request's end and the limit race to answer.
        let first: @Sendable () -> Bool = {
            answered.withLock { done in
                defer { done = true }; return !done
            }
        }
        let request = LockedValue<Task<Void, Never>?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let limit = Task {
                    try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
                    guard !Task.isCancelled, first() else { return }
                    request.value?.cancel()
                    client.shutdown(queue: .global()) { _ in }
                    continuation.resume(throwing: tooSlow)
                }
                request.value = Task {
                    let result: Result<T, any Error>
                    do { result = .success(try await operation()) } catch { result = .failure(error) }
                    limit.cancel()
                    if first() { continuation.resume(with: result) }
                }
            }
        } onCancel: {
            request.value?.cancel()
        }
    }
}

private extension PageFetcher {
    var clientConfiguration: HTTPClient.Configuration {
        let idle = TimeAmount.milliseconds(Int64(policy.idleTimeout * 1000))
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: policy.followsRedirects
                ? .follow(max: policy.maximumRedirects, allowCycles: false) : .disallow,
            timeout: .init(connect: idle, read: idle),
            decompression: .enabled(limit: .size(policy.maximumBytes)))
        // An unknown host or a refused connection is the answer; retrying it only delays it.
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    func download(_ url: URL, with client: HTTPClient) async throws -> FetchedPage {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "User-Agent", value: policy.userAgent)
        request.headers.add(
            name: "Accept",
            value: {
                switch policy.content {
                case .page: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
                case .image: "image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.5"
                case .feed:
                    "application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,"
                        + "text/xml;q=0.9,*/*;q=0.5"
                }
            }())
        request.headers.add(name: "Accept-Encoding", value: "gzip, deflate")
        let response = try await client.execute(request, timeout: policy.totalTime)
        let finalURL = response.url ?? url
        if let problem = check(response, url: finalURL) { throw problem }
        var data = Data()
        for try await buffer in response.body {
            guard data.count + buffer.readableBytes <= policy.maximumBytes else {
                throw FetchError.tooLarge(url: finalURL.absoluteString, limit: policy.maximumBytes)
            }
            data.append(contentsOf: buffer.readableBytesView)
        }
        return FetchedPage(
            url: finalURL, data: data, contentType: response.headers.first(name: "Content-Type"))
    }

    /// Refuses error statuses, types that are not web pages and declared sizes over the limit.
    func check(_ response: HTTPClientResponse, url: URL) -> FetchError? {
        let address = url.absoluteString
        let code = Int(response.status.code)
        if (300..<400).contains(code) {
            // The client follows every redirect it can; one left unfollowed has no target or
            // points somewhere this fetcher does not go.
            return .badRedirect(url: address, location: response.headers.first(name: "Location"))
        }
        guard (200..<300).contains(code) else { return .httpStatus(url: address, code: code) }
        let type = response.headers.first(name: "Content-Type") ?? ""
        let mime =
            type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            ?? ""
        if policy.content == .page, !mime.isEmpty,
            !["text/html", "application/xhtml+xml", "text/plain"].contains(mime)
        {
            return .notHTML(url: address, contentType: mime)
        }
        // The decompressor inflates gzip and deflate; any other coding would reach the extractor
        // as bytes it takes for text.
        let encoding = response.headers[canonicalForm: "Content-Encoding"].map { $0.lowercased() }
        if let unknown = encoding.first(where: { !["gzip", "x-gzip", "deflate", "identity"].contains($0) }) {
            return .unreadableEncoding(url: address, encoding: String(unknown))
        }
        if let declared = response.headers.first(name: "Content-Length").flatMap(Int.init),
            declared > policy.maximumBytes
        {
            return .tooLarge(url: address, limit: policy.maximumBytes)
        }
        return nil
    }
}

private extension FetchPolicy {
    var totalTime: TimeAmount { .milliseconds(Int64(totalTimeout * 1000)) }
}

// MARK: - Errors of the HTTP client

extension FetchError {
    /// The one typed error for what the HTTP client or the network reported; its words never
    /// carry a library's internals.
    public init(_ error: any Error, url: URL, policy: FetchPolicy) {
        let address = url.absoluteString
        switch error {
        case let error as HTTPClientError:
            switch error {
            case .readTimeout, .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
                self = .timedOut(url: address)
            case .deadlineExceeded:
                self = .tooSlow(url: address, seconds: Int(policy.totalTimeout.rounded()))
            case .redirectLimitReached:
                self = .tooManyRedirects(url: address, limit: policy.maximumRedirects)
            case .redirectCycleDetected:
                self = .redirectLoop(url: address)
            case .remoteConnectionClosed:
                self = .unreachable(url: address, reason: "the server closed the connection before answering")
            default:
                self = .unreachable(url: address, reason: "the download failed")
            }
        case let error as NIOHTTPDecompression.DecompressionError where error == .limit:
            self = .tooLarge(url: address, limit: policy.maximumBytes)
        case is NIOHTTPDecompression.DecompressionError, is NIOHTTPDecompression.ExtraDecompressionError:
            self = .unreadableEncoding(url: address, encoding: "damaged gzip or deflate")
        case is HTTPParserError:
            self = .unreachable(url: address, reason: "the server's answer is not valid HTTP")
        case let error as NIOConnectionError:
            self = .unreachable(
                url: address,
                reason: error.connectionErrors.isEmpty
                    ? "the host name was not found" : "the server refused the connection")
        case let error as IOError where error.errnoCode == ECONNREFUSED:
            self = .unreachable(url: address, reason: "the server refused the connection")
        case let error as IOError:
            self = .unreachable(
                url: address, reason: "the connection failed (\(String(cString: strerror(error.errnoCode))))")
        case is NIOSSLError, is BoringSSLError:
            self = .unreachable(url: address, reason: "the secure (TLS) connection could not be made")
        default:
            self = .unreachable(url: address, reason: "the download failed")
        }
    }
}
