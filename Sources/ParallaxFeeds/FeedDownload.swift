import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ParallaxIngest

/// One conditional request for a feed's document, its redirects followed by hand so that a
/// permanent move is seen and every hop is checked.
struct FeedDownload: Sendable {
    /// What the server answered.
    enum Answer: Sendable {
        /// The document, with what to send back next time.
        case document(Data, contentType: String?, validators: Validators, maxAge: TimeInterval?)
        /// The copy held is current (304): no body came.
        case notModified(Validators, maxAge: TimeInterval?)
        /// The feed is gone for good (410).
        case gone
        /// Not now (429, 503), and for how long when the server said.
        case throttled(status: Int, retryAfter: TimeInterval?)
        /// Any other failure, in one line.
        case failed(String)
    }

    /// The `ETag` and `Last-Modified` of a copy.
    struct Validators: Sendable, Hashable {
        var etag: String?
        var lastModified: String?
    }

    /// The most redirects followed for one feed.
    static let maximumRedirects = 5

    var answer: Answer
    /// Where the feed lives now, when every redirect on the way was permanent (301, 308).
    var movedTo: String?
    /// The bytes of the body read.
    var bytes = 0

    /// Fetches `address`, sending the validators of the copy held.
    /// - Parameters:
    ///   - allowPrivate: Whether the feed may lead to this machine or its private network: a
    ///     feed the reader followed at such an address may; one on the web may not redirect there.
    ///   - reach: Where a host leads (``NetworkAddress/lookUp(_:)``; tests name their own).
    static func fetch(
        _ address: String, validators: Validators, policy: FetchPolicy, allowPrivate: Bool,
        reach: @Sendable (String) async -> NetworkAddress.Reach
    ) async -> FeedDownload {
        var current = address
        var permanent = true
        var visited: Set<String> = []
        for _ in 0...maximumRedirects {
            guard let url = URL(string: current), let host = url.host, PageFetcher.isWebAddress(current),
                PageFetcher.hasUsablePort(url)
            else {
                return FeedDownload(answer: .failed("\(current): not an http or https address"))
            }
            guard visited.insert(current).inserted else {
                return FeedDownload(answer: .failed("\(address): the redirects lead in a loop"))
            }
            var pinned: String?
            switch await reach(host) {
            case .publicAddress(let checked): pinned = checked
            case .privateNetwork where allowPrivate: pinned = nil
            case .privateNetwork:
                return FeedDownload(
                    answer: .failed(
                        "\(current): a feed on the web leads to a private network address; not fetched"))
            case .unknown where allowPrivate: pinned = nil
            case .unknown:
                return FeedDownload(answer: .failed("\(current): the host name was not found"))
            }
            let hop = await request(url, pinned: pinned, validators: validators, policy: policy)
            switch hop {
            case .redirect(let status, let location):
                guard let location,
                    let next = URL(string: location, relativeTo: url)?.absoluteURL.absoluteString
                else {
                    return FeedDownload(
                        answer: .failed("\(current): the server redirects without saying where"))
                }
                permanent = permanent && (status == 301 || status == 308)
                current = next
            case .answer(var download):
                if permanent && current != address { download.movedTo = current }
                return download
            }
        }
        return FeedDownload(answer: .failed("\(address): more than \(maximumRedirects) redirects"))
    }
}

// MARK: - One hop

private extension FeedDownload {
    enum Hop: Sendable {
        case redirect(status: Int, location: String?)
        case answer(FeedDownload)
    }

    static func request(_ url: URL, pinned: String?, validators: Validators, policy: FetchPolicy) async -> Hop
    {
        let idle = TimeAmount.milliseconds(Int64(policy.idleTimeout * 1000))
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: idle, read: idle),
            decompression: .enabled(limit: .size(FeedLimits.maximumBytes)))
        configuration.connectionPool.retryConnectionEstablishment = false
        if let pinned, let host = url.host { configuration.dnsOverride = [host: pinned] }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "User-Agent", value: policy.userAgent)
        request.headers.add(
            name: "Accept",
            value: "application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,"
                + "text/xml;q=0.9,*/*;q=0.5")
        request.headers.add(name: "Accept-Encoding", value: "gzip, deflate")
        if let etag = validators.etag { request.headers.add(name: "If-None-Match", value: etag) }
        if let lastModified = validators.lastModified {
            request.headers.add(name: "If-Modified-Since", value: lastModified)
        }
        let hop: Hop
        do {
            hop = try await PageFetcher.withinTotalTime(policy.totalTimeout, url: url, client: client) {
                [request] in
                try await exchange(request, with: client, url: url, policy: policy)
            }
        } catch let error as FetchError {
            hop = .answer(FeedDownload(answer: .failed(error.localizedDescription)))
        } catch {
            hop = .answer(
                FeedDownload(
                    answer: .failed(FetchError(error, url: url, policy: policy).localizedDescription)))
        }
        // Not awaited: after a failure the shutdown would wait for a connection the server keeps
        // trickling into, which is what the limits are there to stop waiting for.
        client.shutdown(queue: .global()) { _ in }
        return hop
    }

    static func exchange(_ request: HTTPClientRequest, with client: HTTPClient, url: URL, policy: FetchPolicy)
        async throws -> Hop
    {
        let response = try await client.execute(request, timeout: .seconds(Int64(policy.totalTimeout)))
        let status = Int(response.status.code)
        let headers = response.headers
        let maxAge = FeedSchedule.maxAge(headers.first(name: "Cache-Control"))
        let validators = Validators(
            etag: headers.first(name: "ETag"), lastModified: headers.first(name: "Last-Modified"))
        switch status {
        case 301, 302, 303, 307, 308:
            return .redirect(status: status, location: headers.first(name: "Location"))
        case 304:
            return .answer(FeedDownload(answer: .notModified(validators, maxAge: maxAge)))
        case 410:
            return .answer(FeedDownload(answer: .gone))
        case 429, 503:
            let wait = FeedSchedule.retryAfter(headers.first(name: "Retry-After"), now: Date())
            return .answer(FeedDownload(answer: .throttled(status: status, retryAfter: wait)))
        case 200..<300:
            break
        default:
            return .answer(
                FeedDownload(answer: .failed("\(url.absoluteString): the server answered HTTP \(status)")))
        }
        if let declared = headers.first(name: "Content-Length").flatMap(Int.init),
            declared > FeedLimits.maximumBytes
        {
            throw FetchError.tooLarge(url: url.absoluteString, limit: FeedLimits.maximumBytes)
        }
        var data = Data()
        for try await buffer in response.body {
            guard data.count + buffer.readableBytes <= FeedLimits.maximumBytes else {
                throw FetchError.tooLarge(url: url.absoluteString, limit: FeedLimits.maximumBytes)
            }
            data.append(contentsOf: buffer.readableBytesView)
        }
        let document = Answer.document(
            data, contentType: headers.first(name: "Content-Type"), validators: validators, maxAge: maxAge)
        return .answer(FeedDownload(answer: document, bytes: data.count))
    }
}
