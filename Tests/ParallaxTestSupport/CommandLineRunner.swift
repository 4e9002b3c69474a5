import Foundation

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
