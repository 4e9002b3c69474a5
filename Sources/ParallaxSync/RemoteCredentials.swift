import Foundation

/// Where a WebDAV remote's user name and password come from; the password is never stored.
///
/// In order: `PARALLAX_DAV_PASSWORD`, then the `~/.netrc` entry for the server's host (and user,
/// when the remote names one), then a prompt when the caller can ask. `curl`, `git` and `rclone`
/// read the same file, so a server's password lives in one place.
public struct RemoteCredentials: Sendable {
    /// The user name to log in with, if any.
    public var user: String?
    /// The password, if any was found.
    public var password: String?

    /// The name of the environment variable that holds the password.
    public static let passwordVariable = "PARALLAX_DAV_PASSWORD"

    /// Finds the credentials for a remote; a folder remote needs none.
    /// - Parameters:
    ///   - environment: The process environment (tests pass their own).
    ///   - netrcPath: The netrc file; `~/.netrc` when nil.
    ///   - ask: Asks the user for the password, given a prompt; nil when no one can be asked.
    public static func find(
        for remote: SyncRemote, environment: [String: String] = ProcessInfo.processInfo.environment,
        netrcPath: String? = nil, ask: ((String) -> String?)? = nil
    ) -> RemoteCredentials {
        guard remote.isWebDAV, let host = URL(string: remote.location)?.host else {
            return RemoteCredentials(user: nil, password: nil)
        }
        if let password = environment[passwordVariable] {
            return RemoteCredentials(user: remote.user, password: password)
        }
        let path =
            netrcPath
            ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".netrc")
        if let text = try? String(contentsOfFile: path, encoding: .utf8),
            let entry = NetrcFile(text).entry(forHost: host, user: remote.user)
        {
            return RemoteCredentials(user: remote.user ?? entry.login, password: entry.password)
        }
        guard let user = remote.user, let ask else {
            return RemoteCredentials(user: remote.user, password: nil)
        }
        return RemoteCredentials(user: user, password: ask("Password for \(user) at \(host): "))
    }
}

/// The entries of a netrc file, as curl and ftp read it.
struct NetrcFile {
    struct Entry: Equatable {
        var machine: String?
        var login: String?
        var password: String?
    }

    private(set) var entries: [Entry] = []

    init(_ text: String) {
        var tokens = Self.tokens(of: text)[...]
        var current: Entry?
        while let token = tokens.popFirst() {
            switch token {
            case "machine", "default":
                if let current { entries.append(current) }
                current = Entry(machine: token == "machine" ? tokens.popFirst() : nil)
            case "login": current?.login = tokens.popFirst()
            case "password": current?.password = tokens.popFirst()
            case "account": _ = tokens.popFirst()
            case "macdef":
                // A macro runs to the next blank line; its words are not entries.
                _ = tokens.popFirst()
                while let next = tokens.first, next != "\n\n" { tokens.removeFirst() }
            default: continue
            }
        }
        if let current { entries.append(current) }
    }

    /// The entry for a host (and user, when given), or the `default` entry.
    func entry(forHost host: String, user: String?) -> Entry? {
        let candidates = entries.filter { user == nil || $0.login == nil || $0.login == user }
        return candidates.first { $0.machine?.lowercased() == host.lowercased() && $0.password != nil }
            ?? candidates.first { $0.machine == nil && $0.password != nil }
    }

    /// Words separated by white space, a quoted word as one; a blank line is its own token, since
    /// it ends a macro.
    private static func tokens(of text: String) -> [String] {
        var tokens: [String] = []
        var word = ""
        var quoted = false
        var newlines = 0
        func flush() {
            if !word.isEmpty { tokens.append(word) }
            word = ""
        }
        for character in text {
            if quoted {
                if character == "\"" { quoted = false } else { word.append(character) }
                continue
            }
            if character == "\n" {
                flush()
                newlines += 1
                if newlines == 2 { tokens.append("\n\n") }
            } else if character.isWhitespace {
                flush()
            } else {
                newlines = 0
                if character == "\"" { quoted = true } else { word.append(character) }
            }
        }
        flush()
        return tokens
    }
}
