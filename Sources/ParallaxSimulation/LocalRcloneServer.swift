import Foundation

/// `rclone serve webdav` on a free loopback port: a second WebDAV implementation (Go's
/// `x/net/webdav`), so the client is not fitted to one server's quirks. nil when it cannot start.
public final class LocalRcloneServer: @unchecked Sendable {
    /// The collection tests sync through, e.g. `http://127.0.0.1:40123/parallax/`.
    public let url: URL
    /// The user the server accepts.
    public let user = "reader"
    /// That user's password.
    public let password = "correct horse"
    /// The folder the server serves.
    public let root: String
    private let directory: TemporaryDirectory
    private var pid: pid_t = 0

    static let rclone = "/usr/bin/rclone"

    /// Whether rclone is installed; tests that need it skip otherwise.
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: rclone) }

    /// Starts the server; nil when it does not come up.
    public init?() {
        guard Self.isInstalled, let port = LocalWebDAVServer.freePort() else { return nil }
        directory = TemporaryDirectory()
        root = directory.path("www")
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        url = URL(string: "http://127.0.0.1:\(port)/parallax/")!
        let configuration = directory.write("rclone.conf", "")
        guard
            let spawned = LocalWebDAVServer.spawn(
                Self.rclone,
                [
                    "serve", "webdav", root, "--addr", "127.0.0.1:\(port)", "--user", user, "--pass",
                    password,
                    "--config", configuration, "--cache-dir", directory.path("cache"),
                ])
        else { return nil }
        pid = spawned
        guard LocalWebDAVServer.waitForPort(port) else {
            stop()
            return nil
        }
    }

    deinit { stop() }

    /// Stops the server and waits for it to go.
    public func stop() {
        LocalWebDAVServer.stop(pid)
        pid = 0
    }

    /// The names of the files in the collection, temporary ones included.
    public var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/parallax")) ?? []).sorted()
    }
}
