import Foundation
import ParallaxIngest

extension FeedParser {
    /// Reads a feed from a web address or a file, as `feeds parse` names it.
    /// - Parameter address: Where a file came from, which its relative links resolve against.
    /// - Throws: ``FeedError`` for what is no feed; `FetchError` for an address that cannot be
    ///   fetched.
    public static func read(_ fileOrAddress: String, address: String? = nil, fetcher: PageFetcher)
        async throws
        -> ParsedFeed
    {
        guard PageFetcher.isWebAddress(fileOrAddress) else {
            return try parse(file: fileOrAddress, address: address)
        }
        var policy = fetcher.policy
        policy.content = .feed
        policy.maximumBytes = min(policy.maximumBytes, FeedLimits.maximumBytes)
        let fetched = try await PageFetcher(policy: policy).fetch(fileOrAddress)
        return try parse(
            data: fetched.data, name: fileOrAddress, address: fetched.url.absoluteString,
            charset: charset(of: fetched.contentType))
    }

    /// Reads a feed downloaded into memory: libxml2's reader reads from a file, so it goes
    /// through one in the temporary folder.
    public static func parse(data: Data, name: String, address: String?, charset: String?) throws
        -> ParsedFeed
    {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "parallax-feed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("feed")
        try data.write(to: file)
        return try parse(file: file.path, name: name, address: address, charset: charset)
    }

    /// The `charset` parameter of a `Content-Type` header.
    static func charset(of contentType: String?) -> String? {
        guard let contentType else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset"
            else {
                continue
            }
            return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
        }
        return nil
    }
}
