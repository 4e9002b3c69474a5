import Foundation

/// How a request to a remote that failed for a reason that may pass (a lost connection, a
/// server error, a locked file) is tried again. One that ran out of time
/// (``WebDAVTransport/Timeouts``) is not: a server that stalls would stall each try.
public struct RetryPolicy: Sendable {
    /// Seconds to wait before each retry; there are as many retries as delays.
    public var delays: [TimeInterval]
    /// How to wait: tests pass one that returns at once, or that mends the server meanwhile.
    public var wait: @Sendable (TimeInterval) -> Void

    /// A policy.
    public init(delays: [TimeInterval], wait: @escaping @Sendable (TimeInterval) -> Void) {
        self.delays = delays
        self.wait = wait
    }

    /// Three retries, after 1, 4 and 15 seconds: a server restarting, or a file another client
    /// holds locked for a moment, has time to come back; a server that is down is reported
    /// within about 20 seconds.
    public static let standard = RetryPolicy(delays: [1, 4, 15]) { Thread.sleep(forTimeInterval: $0) }

    /// No retry: the first failure is the answer.
    public static let none = RetryPolicy(delays: []) { _ in }
}
