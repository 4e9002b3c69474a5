import Foundation
import ParallaxSimulation

/// What a run of the built `parallax` binary did.
public struct CommandResult: Sendable {
    /// The exit status.
    public var status: Int32
    /// Everything written to standard output.
    public var stdout: String
    /// Everything written to standard error.
    public var stderr: String
}

/// Runs the `parallax` executable built beside the tests.
public enum CommandLineRunner {
    /// The built binary: it sits in the same build folder as the test bundle.
    public static var executable: URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("parallax")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        fatalError("the parallax binary is not built beside \(testBinary.path)")
    }

    /// Runs `parallax` with arguments, optional standard input and extra environment.
    public static func run(
        _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]
    ) throws -> CommandResult {
        try run(executable, arguments, stdin: stdin, environment: environment)
    }

    /// Runs a program with the environment `parallax` runs in.
    public static func run(
        _ program: URL, _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        var processEnvironment = ProcessInfo.processInfo.environment
        processEnvironment["PARALLAX_LIBRARY"] = nil
        processEnvironment["COLUMNS"] = "100"
        for (key, value) in environment { processEnvironment[key] = value }
        process.environment = processEnvironment
        // Output goes to files rather than pipes, so a large output cannot stall the child.
        let directory = TemporaryDirectory()
        let outputPath = directory.write("stdout", Data())
        let errorPath = directory.write("stderr", Data())
        let inputPath = directory.write("stdin", stdin ?? Data())
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        process.standardInput = FileHandle(forReadingAtPath: inputPath)
        try process.run()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
    }
}

/// The built `parallax`, run against a library in one test's folder: the runner every CLI test
/// shares. Each call appends `--library` and keeps the tool's state (export marks, the
/// reading app's token) in the folder, so a test leaves nothing in the user's home.
public struct ParallaxCommand: Sendable {
    /// The folder the libraries and the state live in.
    public let directory: TemporaryDirectory
    /// The library a call uses when it names none: a name in the folder, or an absolute path.
    public let library: String

    /// A runner for `library` in `directory`.
    public init(in directory: TemporaryDirectory, library: String = "library.sqlite") {
        self.directory = directory
        self.library = library
    }

    /// The path of a library: a name in the folder, or an absolute path as it is.
    public func path(of library: String? = nil) -> String {
        let name = library ?? self.library
        return name.hasPrefix("/") ? name : directory.path(name)
    }

    /// Runs `parallax ARGUMENTS --library PATH`.
    /// - Parameters:
    ///   - library: Another library than the runner's, by name in the folder or by path.
    ///   - stdin: What the command reads on standard input.
    ///   - environment: Variables added to the command's environment.
    @discardableResult
    public func callAsFunction(
        _ arguments: String..., library: String? = nil, stdin: String? = nil,
        environment: [String: String] = [:]
    ) throws -> CommandResult {
        try callAsFunction(arguments, library: library, stdin: stdin, environment: environment)
    }

    /// Runs `parallax ARGUMENTS --library PATH`, the arguments given as an array.
    @discardableResult
    public func callAsFunction(
        _ arguments: [String], library: String? = nil, stdin: String? = nil,
        environment: [String: String] = [:]
    ) throws -> CommandResult {
        try CommandLineRunner.run(
            arguments + ["--library", path(of: library)], stdin: stdin.map { Data($0.utf8) },
            environment: ["XDG_STATE_HOME": directory.path("state")].merging(environment) { $1 })
    }

    /// Starts `parallax ARGUMENTS --library PATH` and kills it with SIGKILL after `seconds`, as
    /// a power cut or a closed laptop would.
    public func runKilled(_ arguments: [String], library: String? = nil, after seconds: Double) throws {
        let process = Process()
        process.executableURL = CommandLineRunner.executable
        process.arguments = arguments + ["--library", path(of: library)]
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = directory.path("state")
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: seconds)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// When a test kills a process part-way: delays drawn from a seed that the test's messages
/// name, so a failure can be tried again at the same delays with `PARALLAX_KILL_SEED=N`.
public struct KillTimings: CustomStringConvertible {
    /// The seed the delays follow from.
    public let seed: UInt64
    private var generator: SeededGenerator

    /// Delays from `PARALLAX_KILL_SEED` when it is set, else from a new seed.
    public init() {
        seed =
            ProcessInfo.processInfo.environment["PARALLAX_KILL_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 1...999_999)
        generator = SeededGenerator(seed: seed)
    }

    /// The next delay, in seconds.
    public mutating func delay(in range: ClosedRange<Double>) -> Double {
        Double.random(in: range, using: &generator)
    }

    /// How a failure message names the delays.
    public var description: String { "kill seed \(seed) (PARALLAX_KILL_SEED=\(seed) replays it)" }
}
