import Foundation
import GRDB
import ParallaxTestSupport
import Testing

/// An import that cannot write stops at once and says why, even while its standard input is
/// still open: it never waits for more input that it could not save.
@Suite struct ImportStopTests {
    let directory = TemporaryDirectory()
    var libraryPath: String { directory.path("library.sqlite") }

    /// More records than one batch holds, so the first batch is written while input is still
    /// open; short ones, so that all of them fit in the pipe at once.
    static let records =
        (0..<2_100).map { #"{"text":"Talks on day \#($0)."}"# }.joined(separator: "\n") + "\n"

    @Test func importFromAnOpenPipeStopsWhenTheLibraryCannotBeWritten() throws {
        #expect(try CommandLineRunner.run(["init", "--library", libraryPath]).status == 0)
        let holder = try DatabaseQueue(path: libraryPath)
        defer { try? holder.close() }
        let result = try holder.writeWithoutTransaction { db -> (status: Int32, stderr: String)? in
            try db.execute(sql: "BEGIN IMMEDIATE")
            defer { try? db.execute(sql: "ROLLBACK") }
            return try importFromPipeLeftOpen()
        }
        let finished = try #require(result, "import - was still running with its input open")
        #expect(finished.status == 6, "\(finished.stderr)")
        #expect(finished.stderr.split(separator: "\n").count == 1, "\(finished.stderr)")
        #expect(finished.stderr.hasPrefix("parallax: error: ") && finished.stderr.contains("locked"))
    }

    /// Runs `import -` with the records on a pipe whose writing end stays open until the
    /// process has ended; nil when it had not ended long after it should have (then it is
    /// killed), which is a guard against hanging the suite, not a measure of time.
    func importFromPipeLeftOpen() throws -> (status: Int32, stderr: String)? {
        let process = Process()
        process.executableURL = CommandLineRunner.executable
        process.arguments = ["import", "-", "--library", libraryPath]
        var environment = ProcessInfo.processInfo.environment
        environment["PARALLAX_LIBRARY"] = nil
        environment["PARALLAX_BUSY_TIMEOUT"] = "0.3"
        process.environment = environment
        let input = Pipe()
        let errorPath = directory.write("stderr", Data())
        process.standardInput = input
        process.standardOutput = FileHandle(forWritingAtPath: directory.write("stdout", Data()))
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        // Written before the import starts, into the pipe's buffer (64 KiB), so no write can
        // block or find the reader gone.
        #expect(Self.records.utf8.count < 65_536)
        try input.fileHandleForWriting.write(contentsOf: Data(Self.records.utf8))
        try process.run()
        defer { try? input.fileHandleForWriting.close() }
        guard ended.wait(timeout: .now() + 60) == .success else {
            process.terminate()
            return nil
        }
        return (process.terminationStatus, (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
    }
}
