import Foundation

/// Where the server listens and who may sign in.
public struct ServerConfiguration: Sendable {
    /// The address to listen on; the loopback address unless the reader widens it.
    public var host = "127.0.0.1"
    /// The port; 0 takes any free one.
    public var port = 8765
    /// The token to sign in with, required when ``host`` is not a loopback address; nil makes a
    /// one-time token for the printed link.
    public var accessToken: String?
    /// Whether saving a page also fetches its images (the device's setting decides by default).
    public var fetchesImages = true
    /// Whether the server fetches followed feeds that are due while it runs.
    public var refreshesFeeds = true
    /// Seconds between two looks for feeds that are due; each feed keeps its own schedule.
    public var feedCheckInterval: TimeInterval = 5 * 60
    /// Seconds a request's head may take to arrive in all, from the moment its connection is
    /// ready for it (open, or its last answer sent); the connection is closed past it.
    public var headTimeout: TimeInterval = 30
    /// Seconds a request's body may take to arrive in all, however its bytes are spaced: a
    /// 32 MiB page from the bookmarklet needs about 2 MiB/s at this one.
    public var bodyTimeout: TimeInterval = 120

    /// The largest form the server reads, in bytes: a note or a highlight fits many times over.
    public static let formLimit = 1 << 20
    /// The largest page a bookmarklet may send, the same as the largest page `add` reads.
    public static let pageLimit = 32 << 20
    /// The longest page address a bookmarklet may send, in bytes.
    public static let addressLimit = 8 << 10
    /// The shortest token a server reachable from other machines accepts.
    public static let minimumTokenLength = 16

    /// The defaults: 127.0.0.1:8765 with a one-time link.
    public init() {}

    /// Whether ``host`` reaches only this machine.
    public var isLoopback: Bool { ["127.0.0.1", "::1", "localhost"].contains(host) }
}
