import Foundation
import ParallaxStore

/// Why a feed document cannot be read.
public enum FeedError: Error, Equatable, Sendable {
    /// The file is missing or cannot be read.
    case unreadable(path: String)
    /// It is larger than ``FeedLimits/maximumBytes``.
    case tooLarge(path: String)
    /// It is well-formed, or empty, but no feed.
    case notAFeed(path: String, reason: String)
    /// It ends before its document does, or is not well-formed.
    case malformed(path: String, reason: String)
    /// It is a web page; the feeds it declares, if any, are what to follow instead.
    case webPage(path: String, declared: [DeclaredFeed])
    /// A page's feed was picked by a number it has none of.
    case noSuchChoice(path: String, pick: Int, count: Int)
}

extension FeedError: LocalizedError {
    /// One line for the user.
    public var errorDescription: String? {
        switch self {
        case .unreadable(let path): "cannot read \(path)"
        case .tooLarge(let path):
            "\(path) is larger than a feed may be (\(FeedLimits.maximumBytes >> 20) MiB)"
        case .notAFeed(let path, let reason): "\(path) is not a feed: \(reason)"
        case .malformed(let path, let reason): "\(path) is not a readable feed: \(reason)"
        case .noSuchChoice(let path, let pick, let count):
            "\(path) declares \(count) feed\(count == 1 ? "" : "s"); there is no feed \(pick)"
        case .webPage(let path, let declared) where declared.isEmpty:
            "\(path) is a web page, not a feed, and it declares no feed"
        case .webPage(let path, let declared):
            "\(path) is a web page, not a feed; it declares "
                + declared.prefix(5).map { feed in feed.title.map { "\(feed.url) (\($0))" } ?? feed.url }
                .joined(separator: ", ")
                + (declared.count > 5 ? " and \(declared.count - 5) more" : "")
        }
    }
}

extension FeedError: CategorizedError {
    /// The kind of failure: a file that is missing, or input that is no feed.
    public var category: FailureCategory {
        switch self {
        case .unreadable: .notFound
        case .tooLarge, .notAFeed, .malformed, .webPage: .unprocessable
        case .noSuchChoice: .invalidInput
        }
    }
}

/// What a reader of one format found that is no feed, before the caller names the document.
struct NotAFeed: Error {
    let reason: String
}

/// The document a reader was given is an HTML page.
struct IsWebPage: Error {}
