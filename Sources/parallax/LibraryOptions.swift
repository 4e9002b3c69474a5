import ArgumentParser
import Foundation
import ParallaxStore

/// The options every command that touches a library shares.
struct LibraryOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The library file.",
            discussion: "Defaults to $PARALLAX_LIBRARY, then $XDG_DATA_HOME/parallax/library.sqlite.",
            valueName: "path"))
    var library: String?

    func validate() throws {
        if library?.isEmpty == true { throw ValidationError("--library needs a path") }
    }

    /// The library path after the environment and the XDG default are applied.
    var path: String {
        let environment = ProcessInfo.processInfo.environment
        if let library, !library.isEmpty { return library }
        if let path = environment["PARALLAX_LIBRARY"], !path.isEmpty { return path }
        let dataHome =
            environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (dataHome as NSString).appendingPathComponent("parallax/library.sqlite")
    }

    /// Opens the library; `$PARALLAX_BUSY_TIMEOUT` (seconds) sets how long to wait for another process's lock.
    ///
    /// A library found to be a copy takes a new device id as it opens; the user is told in one line.
    func open(_ mode: Library.AccessMode = .readWrite) throws -> Library {
        let timeout = ProcessInfo.processInfo.environment["PARALLAX_BUSY_TIMEOUT"].flatMap(Double.init) ?? 5
        let library = try Library.open(at: path, mode: mode, busyTimeout: timeout)
        if let succession = library.succession { Terminal.printWarning(succession.message) }
        return library
    }

    /// Opens the library for a command that only reads: read-write when the file allows it (so a
    /// copy is still noticed and a pending upgrade applied), read-only when it does not.
    func openForReading() throws -> Library {
        do {
            return try open()
        } catch LibraryError.notWritable {
            return try open(.readOnly)
        }
    }
}

/// `-o -` as most tools read it: standard output, not a file named `-`.
enum StandardOutput {
    /// The file an `-o` option names; nil for none, or for `-`.
    static func file(_ path: String?) -> String? { path == "-" ? nil : path }

    /// Refuses `-o -` for a command whose output is a file by nature (a bundle, a page to open).
    static func refuse(_ path: String?) throws {
        if path == "-" { throw ValidationError("-o - is not supported here: give a file path.") }
    }
}

/// The `--json` flag of commands whose output is data.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON (documented in docs/cli.md) instead of text.")
    var json = false
}
