import Foundation

/// What a run of the built `parallax` binary did, with the most memory it held at once.
public struct MeasuredResult: Sendable {
    /// Exit status, output and error output.
    public var result: CommandResult
    /// The child's peak resident set, in bytes, as the kernel counted it.
    public var peakResidentBytes: Int
}

extension CommandLineRunner {
    /// GNU time, which reports the peak memory of the one process it runs.
    ///
    /// The peak cannot be read here with `wait4`: `posix_spawn` starts the child in this process's
    /// memory, and Linux carries that high-water mark across `exec`, so the test process's own
    /// size would be counted. GNU time forks a fresh copy of itself first.
    public static let memoryMeter = URL(fileURLWithPath: "/usr/bin/time")

    /// Whether ``runMeasured(_:environment:)`` can run here (Debian's `time` package).
    public static var canMeasureMemory: Bool {
        FileManager.default.isExecutableFile(atPath: memoryMeter.path)
    }

    /// Runs `parallax` like ``run(_:stdin:environment:)`` and reports its peak memory.
    public static func runMeasured(
        _ arguments: [String], environment: [String: String] = [:]
    ) throws -> MeasuredResult {
        let directory = TemporaryDirectory()
        let report = directory.path("peak")
        let result = try run(
            memoryMeter, ["--format=%M", "--output=\(report)", executable.path] + arguments,
            environment: environment)
        let kibibytes = try String(contentsOfFile: report, encoding: .utf8)
            .split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard let kibibytes else { throw CocoaError(.fileReadCorruptFile) }
        return MeasuredResult(result: result, peakResidentBytes: kibibytes * 1024)
    }
}
