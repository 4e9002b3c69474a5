import Foundation

/// When a followed feed is fetched next: every half hour by default, no sooner than the feed
/// or its server asks, and further apart after each failure, up to a day.
public enum FeedSchedule {
    /// The interval between fetches of a feed that says nothing.
    public static let defaultInterval: TimeInterval = 30 * 60
    /// The longest wait after failures, and the longest floor a feed may set: a feed that asks
    /// for a week between fetches is still read daily.
    public static let longestWait: TimeInterval = 24 * 60 * 60
    /// The longest `Retry-After` honoured: a server may ask for a pause, not for the feed to be dropped.
    public static let longestRetryAfter: TimeInterval = 7 * 24 * 60 * 60

    /// The next fetch after a fetch that read the feed or learnt it had not changed.
    /// - Parameter floor: What the feed (`ttl`, `sy:updatePeriod`) or its server
    ///   (`Cache-Control: max-age`) asks as the least time between fetches.
    public static func afterSuccess(at now: Date, floor: TimeInterval?) -> Date {
        now.addingTimeInterval(max(defaultInterval, min(floor ?? 0, longestWait)))
    }

    /// The next fetch after the `failures`-th failure in a row: 30 minutes, doubling, up to a
    /// day; later still when the server said when to come back.
    public static func afterFailure(at now: Date, failures: Int, retryAfter: TimeInterval? = nil) -> Date {
        let doubling = defaultInterval * pow(2, Double(max(0, min(failures, 20) - 1)))
        let backoff = min(doubling, longestWait)
        return now.addingTimeInterval(max(backoff, min(retryAfter ?? 0, longestRetryAfter)))
    }

    /// The wait a `Retry-After` header asks for: seconds, or an HTTP date.
    public static func retryAfter(_ header: String?, now: Date) -> TimeInterval? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        if let seconds = Int(header) { return seconds >= 0 ? TimeInterval(seconds) : nil }
        return FeedDate.parse(header).map { max(0, $0.timeIntervalSince(now)) }
    }

    /// The `max-age` of a `Cache-Control` header, in seconds.
    public static func maxAge(_ header: String?) -> TimeInterval? {
        guard let header else { return nil }
        for directive in header.lowercased().split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if parts.count == 2, parts[0] == "max-age", let seconds = Int(parts[1]), seconds >= 0 {
                return TimeInterval(seconds)
            }
        }
        return nil
    }
}
