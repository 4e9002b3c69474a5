import Foundation
import ParallaxMarkup
import ParallaxStore

/// Limits on the images kept for one article.
public struct ImagePolicy: Sendable {
    /// Bytes one image may have.
    public var maximumImageBytes = 8 << 20
    /// Bytes all of an article's images may have together.
    public var maximumArticleBytes = 32 << 20
    /// Images fetched for one article; the rest keep their address only.
    public var maximumImages = 100
    /// Pixels an image may declare: a decompression bomb declares more.
    public var maximumPixels = 50_000_000
    /// The longest side an image may declare.
    public var maximumSide = 30_000
    /// Redirects followed for one image, each checked like the first address.
    public var maximumRedirects = 5
    /// Images fetched at once.
    public var concurrency = 4
    /// Seconds one image may take.
    public var totalTimeout: TimeInterval = 30

    /// The default limits.
    public init() {}
}

/// What fetching an article's images did.
public struct ImageFetchReport: Sendable, Hashable, Codable {
    /// Images kept.
    public var kept = 0
    /// Their bytes.
    public var bytes = 0
    /// One line for each image not kept (its address and why), or for a cap reached.
    public var problems: [String] = []

    /// An empty report.
    public init() {}
}

/// Fetches the images an article's HTML shows, within an ``ImagePolicy``.
///
/// An image that fails (an error status, a redirect loop, bytes that are not an image, a size
/// or pixel count over the caps, an address on the reader's own network named by a page from
/// the web) is left out with one line in the report; the article is saved whatever happens.
public struct ImageFetcher: Sendable {
    /// The limits.
    public let policy: ImagePolicy

    /// A fetcher with these limits.
    public init(policy: ImagePolicy = ImagePolicy()) {
        self.policy = policy
    }

    /// Fetches the images of `draft.html` and puts them in `draft.images`.
    /// - Parameters:
    ///   - pageURL: Where the page came from: images on a private address are fetched only for a
    ///     page that came from a private address itself; a page of unknown origin counts as one
    ///     from the web.
    ///   - kept: Addresses whose images the library keeps already, which are not fetched again.
    public func fetchImages(for draft: inout ItemDraft, pageURL: String?, skipping kept: Set<String> = [])
        async -> ImageFetchReport
    {
        var report = ImageFetchReport()
        guard let html = draft.html else { return report }
        let wanted = HTMLSanitizer.sanitize(html: html).images.map(\.url).filter { !kept.contains($0) }
        let fetched = wanted.prefix(policy.maximumImages)
        if wanted.count > fetched.count {
            report.problems.append(
                "\(wanted.count - fetched.count) images past the first \(policy.maximumImages) were not kept")
        }
        // A page of unknown origin counts as one from the web.
        var pageIsLocal = false
        if let host = pageURL.flatMap({ URL(string: $0)?.host }) {
            pageIsLocal = await NetworkAddress.lookUp(host) == .privateNetwork
        }
        let outcomes = await fetchAll(Array(fetched), allowPrivate: pageIsLocal)
        var images: [ArticleImageAsset] = []
        for (address, outcome) in zip(fetched, outcomes) {
            switch outcome {
            case .success(let asset):
                guard report.bytes + asset.data.count <= policy.maximumArticleBytes else {
                    report.problems.append(
                        "\(address): past the article's \(policy.maximumArticleBytes >> 20) MiB of images; not kept"
                    )
                    continue
                }
                images.append(ArticleImageAsset(url: address, asset: asset))
                report.kept += 1
                report.bytes += asset.data.count
            case .failure(let problem):
                report.problems.append("\(address): \(problem.reason)")
            }
        }
        draft.images = images
        return report
    }
}

/// Why one image was not kept.
struct ImageProblem: Error {
    let reason: String
}

// MARK: - Fetching

private extension ImageFetcher {
    /// Fetches the addresses a few at a time; the outcomes come back in the addresses' order.
    func fetchAll(_ addresses: [String], allowPrivate: Bool) async -> [Result<ImageAsset, ImageProblem>] {
        var outcomes = [Result<ImageAsset, ImageProblem>?](repeating: nil, count: addresses.count)
        await withTaskGroup(of: (Int, Result<ImageAsset, ImageProblem>).self) { group in
            var next = 0
            func startNext() {
                guard next < addresses.count else { return }
                let (index, address) = (next, addresses[next])
                group.addTask { (index, await fetchOne(address, allowPrivate: allowPrivate)) }
                next += 1
            }
            for _ in 0..<policy.concurrency { startNext() }
            while let (index, outcome) = await group.next() {
                outcomes[index] = outcome
                startNext()
            }
        }
        return outcomes.map { $0 ?? .failure(ImageProblem(reason: "not fetched")) }
    }

    /// Follows redirects by hand, so each address is checked before anything is asked of it.
    func fetchOne(_ address: String, allowPrivate: Bool) async -> Result<ImageAsset, ImageProblem> {
        var fetchPolicy = FetchPolicy()
        fetchPolicy.content = .image
        fetchPolicy.followsRedirects = false
        fetchPolicy.maximumBytes = policy.maximumImageBytes
        fetchPolicy.totalTimeout = policy.totalTimeout
        let fetcher = PageFetcher(policy: fetchPolicy)
        var current = address
        var visited: Set<String> = []
        for _ in 0...policy.maximumRedirects {
            guard let url = URL(string: current), let host = url.host, Markup.isWebAddress(current) else {
                return .failure(ImageProblem(reason: "not an http or https address"))
            }
            var pinned: String?
            if !allowPrivate {
                let place = current == address ? "" : "redirects to \(current), "
                switch await NetworkAddress.lookUp(host) {
                case .publicAddress(let checked): pinned = checked
                case .privateNetwork:
                    return .failure(
                        ImageProblem(
                            reason:
                                "\(place)on a private network address, named by a page from the web; not fetched"
                        ))
                case .unknown:
                    return .failure(
                        ImageProblem(
                            reason: "\(place)on a host that does not resolve to a public address; not fetched"
                        ))
                }
            }
            guard visited.insert(current).inserted else {
                return .failure(ImageProblem(reason: "the redirects lead in a loop"))
            }
            do {
                // Connecting to the address checked, not to what the name resolves to next.
                let page = try await fetcher.fetch(current, connectingTo: pinned)
                return check(page.data)
            } catch FetchError.badRedirect(_, let location?) {
                guard let target = URL(string: location, relativeTo: url)?.absoluteURL.absoluteString else {
                    return .failure(ImageProblem(reason: "redirects to an address that is not one"))
                }
                current = target
            } catch let error as FetchError {
                return .failure(ImageProblem(reason: Self.reason(error)))
            } catch {
                return .failure(ImageProblem(reason: "\(error.localizedDescription)"))
            }
        }
        return .failure(ImageProblem(reason: "more than \(policy.maximumRedirects) redirects"))
    }

    /// Keeps bytes that are a whole image of a kept format, within the size and pixel caps.
    func check(_ data: Data) -> Result<ImageAsset, ImageProblem> {
        guard let asset = ImageAsset(data: data) else {
            let head = String(decoding: data.prefix(64), as: UTF8.self).lowercased()
            return .failure(
                ImageProblem(
                    reason: head.contains("<svg")
                        ? "an SVG image, which Parallax does not keep"
                        : "not an image in a format Parallax keeps (JPEG, PNG, GIF, WebP, AVIF)"))
        }
        guard let size = ImageDimensions(of: data, type: asset.type) else {
            return .failure(ImageProblem(reason: "its size cannot be read from its header; not kept"))
        }
        guard size.width <= policy.maximumSide, size.height <= policy.maximumSide,
            size.width * size.height <= policy.maximumPixels
        else {
            return .failure(
                ImageProblem(
                    reason: "declares \(size.width) × \(size.height) pixels, more than an image may have"))
        }
        guard ImageStructure.isComplete(data, type: asset.type) else {
            return .failure(
                ImageProblem(reason: "cut short or damaged, so its size cannot be trusted; not kept"))
        }
        return .success(asset)
    }

    /// The fetch error's line without the address, which the report puts first.
    static func reason(_ error: FetchError) -> String {
        let address: String
        switch error {
        case .tooLarge(_, let limit): return "larger than \(limit >> 20) MiB; not kept"
        case .unsupportedAddress(let text): address = text
        case .httpStatus(let url, _), .notHTML(let url, _), .tooManyRedirects(let url, _),
            .redirectLoop(let url),
            .badRedirect(let url, _), .unreadableEncoding(let url, _), .timedOut(let url),
            .tooSlow(let url, _),
            .unreachable(let url, _):
            address = url
        }
        let line = error.errorDescription ?? "could not be fetched"
        return line.hasPrefix(address + ": ") ? String(line.dropFirst(address.count + 2)) : line
    }
}
