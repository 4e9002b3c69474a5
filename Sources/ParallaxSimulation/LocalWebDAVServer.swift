import Crypto
import Foundation

/// Apache httpd with mod_dav on a free loopback port, with a throwaway configuration and one
/// user (Basic authentication), for tests of WebDAV remotes. nil when Apache cannot start here.
public final class LocalWebDAVServer: @unchecked Sendable {
    /// The collection tests sync through, e.g. `http://127.0.0.1:40123/parallax/`.
    public let url: URL
    /// The user the server accepts.
    public let user = "reader"
    /// That user's password.
    public let password = "correct horse"
    /// The folder the server keeps the collection's files in.
    public let root: String
    private let directory: TemporaryDirectory
    private let configuration: String
    private let port: Int
    /// Apache in the foreground, as this process's child, spawned and reaped by hand: Foundation's
    /// `Process` never saw Apache exit (its children hold on to what they inherit).
    private var pid: pid_t = 0

    static let apache = "/usr/sbin/apache2"
    static let modules = "/usr/lib/apache2/modules"

    /// Whether Apache, its DAV module and htpasswd are installed; tests that need them skip otherwise.
    public static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: apache)
            && FileManager.default.fileExists(atPath: "\(modules)/mod_dav_fs.so")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/htpasswd")
    }

    /// Answers the server gives on request, to test how a client takes them.
    public static let faultStatuses = [423, 500, 503, 507]

    /// Starts the server, asking for Basic or Digest authentication; nil when it does not come up.
    public init?(digest: Bool = false) {
        guard Self.isInstalled, let port = Self.freePort() else { return nil }
        self.port = port
        directory = TemporaryDirectory()
        root = directory.path("www")
        try? FileManager.default.createDirectory(
            atPath: root + "/parallax", withIntermediateDirectories: true)
        url = URL(string: "http://127.0.0.1:\(port)/parallax/")!
        let isRoot = getuid() == 0
        // Apache will not serve as root; the files then belong to the user it runs as.
        if isRoot {
            for path in [directory.url.path, root, root + "/parallax"] {
                _ = try? Self.run("/bin/chown", ["www-data:www-data", path])
            }
        }
        if digest {
            // htdigest reads the password twice from a terminal; the file is one line, made here.
            let hash = Insecure.MD5.hash(data: Data("\(user):parallax:\(password)".utf8))
                .map { String(format: "%02x", $0) }.joined()
            directory.write("htpasswd", "\(user):parallax:\(hash)\n")
        } else {
            _ = try? Self.run("/usr/bin/htpasswd", ["-bc", directory.path("htpasswd"), user, password])
        }
        try? FileManager.default.createDirectory(
            atPath: directory.path("faults"), withIntermediateDirectories: true)
        // A file faults/METHOD-STATUS makes the server answer every METHOD request with STATUS.
        let faultFolder = directory.path("faults")
        let faults = Self.faultStatuses.map { status in
            "RewriteCond \(faultFolder)/%{REQUEST_METHOD}-\(status) -f\nRewriteRule ^ - [R=\(status)]"
        }.joined(separator: "\n")
        let m = Self.modules
        configuration = directory.write(
            "httpd.conf",
            """
            ServerRoot "\(directory.url.path)"
            Listen 127.0.0.1:\(port)
            ServerName 127.0.0.1
            PidFile \(directory.path("httpd.pid"))
            ErrorLog \(directory.path("error.log"))
            LoadModule mpm_event_module \(m)/mod_mpm_event.so
            LoadModule authz_core_module \(m)/mod_authz_core.so
            LoadModule authn_core_module \(m)/mod_authn_core.so
            LoadModule authn_file_module \(m)/mod_authn_file.so
            LoadModule auth_basic_module \(m)/mod_auth_basic.so
            LoadModule auth_digest_module \(m)/mod_auth_digest.so
            LoadModule rewrite_module \(m)/mod_rewrite.so
            LoadModule authz_user_module \(m)/mod_authz_user.so
            LoadModule dav_module \(m)/mod_dav.so
            LoadModule dav_fs_module \(m)/mod_dav_fs.so
            \(isRoot ? "User www-data\nGroup www-data" : "")
            DocumentRoot \(root)
            DavLockDB \(directory.path("DavLock"))
            RewriteEngine On
            \(faults)
            <Directory \(root)>
              Dav On
              AuthType \(digest ? "Digest" : "Basic")
              AuthName "parallax"
              \(digest ? "AuthDigestProvider file" : "")
              AuthUserFile \(directory.path("htpasswd"))
              Require valid-user
            </Directory>

            """)
        guard start() else { return nil }
    }

    deinit { stop() }

    /// Starts the server again after ``stop()``, on the same port and files.
    /// - Returns: Whether it came up.
    @discardableResult
    public func start() -> Bool {
        guard pid == 0, let spawned = Self.spawn(Self.apache, ["-f", configuration, "-DFOREGROUND"]) else {
            return false
        }
        pid = spawned
        guard Self.waitForPort(port) else {
            stop()
            return false
        }
        return true
    }

    /// Makes the server answer every `method` request with `status` (one of ``faultStatuses``)
    /// until ``mend()``.
    public func fail(_ method: String, with status: Int) {
        precondition(Self.faultStatuses.contains(status), "the configuration has no rule for \(status)")
        directory.write("faults/\(method)-\(status)", Data())
    }

    /// Ends every fault set by ``fail(_:with:)``.
    public func mend() {
        let faults = directory.path("faults")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: faults)) ?? [] {
            try? FileManager.default.removeItem(atPath: faults + "/" + name)
        }
    }

    /// The names of the files in the collection, temporary ones included.
    public var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/parallax")) ?? []).sorted()
    }

    /// Stops the server and waits for it to go.
    public func stop() {
        Self.stop(pid)
        pid = 0
    }

    /// Stops a child started by ``spawn(_:_:)`` and waits for it: a server stops its workers
    /// first, and one that will not go within a few seconds is killed.
    static func stop(_ pid: pid_t) {
        guard pid > 0 else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<100 where waitpid(pid, &status, WNOHANG) == 0 { usleep(50_000) }
        if waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
    }

    /// Starts a program with its output discarded; its process id, nil when it cannot start.
    static func spawn(_ program: String, _ arguments: [String]) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        // The child starts with no signal blocked and default handlers: it inherits this thread's
        // mask otherwise, and a runtime thread may block the SIGTERM that stops Apache.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let status = posix_spawn(&pid, program, &actions, &attributes, argv, environ)
        return status == 0 ? pid : nil
    }

    @discardableResult
    static func run(_ program: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// A port nothing listens on now.
    static func freePort() -> Int? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }

    /// Waits until something accepts connections on the port (Apache starts in the background).
    static func waitForPort(_ port: Int) -> Bool {
        for _ in 0..<100 {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(descriptor)
            if connected { return true }
            usleep(50_000)
        }
        return false
    }
}
