import Foundation

/// A feed the reader follows: library data, synced to every device through the change log.
///
/// What a device learns while fetching the feed (validators, when to fetch next, errors) is
/// the device's own and is not here (ParallaxFeeds keeps it).
public struct FeedSubscription: Codable, Hashable, Sendable {
    /// The id its first address gives (``ItemID/forAddress(_:)``), the same on every device, so
    /// two devices that follow one feed before they sync follow it once. It stays when the feed
    /// moves.
    public var id: String
    /// Where the feed is fetched from now: a permanent redirect moves it.
    public var url: String
    /// The feed's own title, as last read.
    public var title: String?
    /// The outlet its articles are credited to; nil means the feed's title.
    public var source: String?
    /// Tags its articles get.
    public var tags: [String]
    /// When it was first followed, ISO 8601 in UTC.
    public var added: String
    /// Whether the reader stopped following it.
    public var deleted: Bool

    /// The outlet an article of the feed is credited to.
    public var outlet: String? { source ?? title }
}

/// What following a feed did.
public enum SubscribeOutcome: Sendable, Hashable {
    /// The feed is followed from now on (again, when it had been unfollowed).
    case followed(FeedSubscription)
    /// The feed was followed already; nothing changed.
    case alreadyFollowed(FeedSubscription)

    /// The subscription the outcome is about.
    public var subscription: FeedSubscription {
        switch self {
        case .followed(let feed), .alreadyFollowed(let feed): feed
        }
    }
}
