import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Limits and manners of fetching pages.
public struct FetchPolicy: Sendable {
    /// Bytes a page may have; a larger download is cut off and refused.
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

    /// The default limits.
    public init() {}
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
    /// The server did not answer in time.
    case timedOut(url: String)
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
        case .timedOut(let url): "\(url): no answer in time"
        case .unreachable(let url, let reason): "\(url): \(reason)"
        }
    }
}

/// Downloads web pages with URLSession, within a ``FetchPolicy``.
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

    /// Downloads a page.
    /// - Throws: ``FetchError`` for every way a download fails.
    public func fetch(_ address: String) async throws -> FetchedPage {
        guard PageFetcher.isWebAddress(address), let url = URL(string: address), url.host != nil else {
            throw FetchError.unsupportedAddress(address)
        }
        var request = URLRequest(url: url, timeoutInterval: policy.idleTimeout)
        request.setValue(policy.userAgent, forHTTPHeaderField: "User-Agent")
        request.setValue("text/html,application/xhtml+xml;q=0.9,*/*;q=0.5", forHTTPHeaderField: "Accept")
        let download = Download(url: url, policy: policy)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = policy.idleTimeout
        configuration.timeoutIntervalForResource = policy.totalTimeout
        let session = URLSession(configuration: configuration, delegate: download, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                download.start(session.dataTask(with: request), continuation: continuation)
            }
        } onCancel: {
            download.cancel()
        }
    }
}

// MARK: - One download

/// The delegate of one download: counts redirects, checks the type and size as data arrives, and
/// ends the continuation exactly once.
private final class Download: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let url: URL
    private let policy: FetchPolicy
    private let lock = NSLock()
    private var data = Data()
    private var redirects = 0
    private var refusal: FetchError?
    private var continuation: CheckedContinuation<FetchedPage, any Error>?
    private var task: URLSessionDataTask?
    private var cancelled = false

    init(url: URL, policy: FetchPolicy) {
        self.url = url
        self.policy = policy
    }

    func start(_ task: URLSessionDataTask, continuation: CheckedContinuation<FetchedPage, any Error>) {
        let cancelledAlready = lock.withLock {
            self.continuation = continuation
            self.task = task
            return cancelled
        }
        // A task cancelled before it started never resumes; end it the same way.
        if cancelledAlready { task.cancel() }
        task.resume()
        // The total limit holds however the server spaces its bytes, whatever URLSession does
        // with its own resource timeout.
        DispatchQueue.global().asyncAfter(deadline: .now() + policy.totalTimeout) { [weak self] in
            guard let self else { return }
            let running = self.lock.withLock {
                guard self.continuation != nil else { return false }
                self.refusal = self.refusal ?? .timedOut(url: self.url.absoluteString)
                return true
            }
            if running { task.cancel() }
        }
    }

    /// Stops the download because the task that awaits it was cancelled.
    func cancel() {
        let task = lock.withLock {
            cancelled = true
            return self.task
        }
        task?.cancel()
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        let allowed = lock.withLock {
            redirects += 1
            guard redirects <= policy.maximumRedirects else {
                refusal = .tooManyRedirects(url: url.absoluteString, limit: policy.maximumRedirects)
                return false
            }
            return true
        }
        if allowed {
            completionHandler(request)
        } else {
            completionHandler(nil)
            task.cancel()
        }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let problem = check(response)
        lock.withLock { refusal = refusal ?? problem }
        completionHandler(problem == nil ? .allow : .cancel)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive chunk: Data) {
        let overLimit = lock.withLock {
            guard refusal == nil else { return true }
            data.append(chunk)
            if data.count > policy.maximumBytes {
                refusal = .tooLarge(url: url.absoluteString, limit: policy.maximumBytes)
                data = Data()
                return true
            }
            return false
        }
        if overLimit { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, result) = lock.withLock {
            () -> (CheckedContinuation<FetchedPage, any Error>?, Result<FetchedPage, any Error>) in
            defer { self.continuation = nil }
            let result: Result<FetchedPage, any Error> =
                cancelled ? .failure(CancellationError()) : outcome(task: task, error: error).mapError { $0 }
            return (self.continuation, result)
        }
        continuation?.resume(with: result)
    }

    /// Refuses error statuses, types that are not web pages and declared sizes over the limit.
    private func check(_ response: URLResponse) -> FetchError? {
        let address = (response.url ?? url).absoluteString
        if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
            if (300..<400).contains(http.statusCode) {
                return .tooManyRedirects(url: url.absoluteString, limit: policy.maximumRedirects)
            }
            return .httpStatus(url: address, code: http.statusCode)
        }
        let type = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type") ?? ""
        let mime =
            type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            ?? ""
        if !mime.isEmpty && !["text/html", "application/xhtml+xml", "text/plain"].contains(mime) {
            return .notHTML(url: address, contentType: mime)
        }
        if response.expectedContentLength > Int64(policy.maximumBytes) {
            return .tooLarge(url: address, limit: policy.maximumBytes)
        }
        return nil
    }

    private func outcome(task: URLSessionTask, error: (any Error)?) -> Result<FetchedPage, FetchError> {
        if let refusal { return .failure(refusal) }
        if let error {
            let code = (error as? URLError)?.code
            switch code {
            case .timedOut?: return .failure(.timedOut(url: url.absoluteString))
            case .cannotFindHost?, .dnsLookupFailed?:
                return .failure(.unreachable(url: url.absoluteString, reason: "the host name was not found"))
            case .cannotConnectToHost?:
                return .failure(
                    .unreachable(url: url.absoluteString, reason: "the server refused the connection"))
            case .httpTooManyRedirects?:
                return .failure(.tooManyRedirects(url: url.absoluteString, limit: policy.maximumRedirects))
            default:
                return .failure(.unreachable(url: url.absoluteString, reason: error.localizedDescription))
            }
        }
        let response = task.response as? HTTPURLResponse
        if let response, let problem = check(response) { return .failure(problem) }
        return .success(
            FetchedPage(
                url: response?.url ?? url, data: data,
                contentType: response?.value(forHTTPHeaderField: "Content-Type")))
    }
}
