import Foundation
import ParallaxTestSupport
import Testing

@Suite("parallax serve")
struct ServeCommandTests {
    static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let curl = "/usr/bin/curl"

    /// The browser journeys of Tests/Browser/journeys.py, in headless Chromium.
    @Test(
        .enabled(
            if: HeadlessChromium.installed != nil && python != nil,
            "needs Debian's chromium and python3 (scripts/install-dependencies installs them)"))
    func testAReaderCanSignInSearchReadHighlightSaveAndOpenAReportInARealBrowser() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Browser/journeys.py")
        let result = try CommandLineRunner.run(
            URL(fileURLWithPath: Self.python!),
            [script.path, "--parallax", CommandLineRunner.executable.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("passed"))
    }

    @Test func testServingBeyondLoopbackWithoutATokenIsAUsageError() throws {
        let library = try TemporaryLibrary()
        let result = try CommandLineRunner.run(["serve", "--library", library.path, "--host", "0.0.0.0"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--token"))
        let short = try CommandLineRunner.run(
            ["serve", "--library", library.path, "--host", "0.0.0.0", "--token", "short"])
        #expect(short.status == 64)
    }

    @Test func testAPortInUseIsOneLineAndExitCodeOne() throws {
        let library = try TemporaryLibrary()
        let first = try RunningServer(library: library.path)
        defer { first.stop() }
        let second = try CommandLineRunner.run([
            "serve", "--library", library.path, "--port", String(first.port),
        ])
        #expect(second.status == 1)
        #expect(second.stderr.contains("cannot serve on 127.0.0.1:\(first.port)"))
        #expect(second.stderr.split(separator: "\n").count == 1)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: curl), "needs curl"))
    func testARequestNamingAnotherHostIsRefused() throws {
        let library = try TemporaryLibrary()
        let server = try RunningServer(library: library.path)
        defer { server.stop() }
        let address = "http://127.0.0.1:\(server.port)/login"
        let rebound = try CommandLineRunner.run(
            URL(fileURLWithPath: Self.curl),
            [
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Host: attacker.example:\(server.port)",
                address,
            ])
        #expect(rebound.stdout == "421")
        let direct = try CommandLineRunner.run(
            URL(fileURLWithPath: Self.curl), ["-s", "-o", "/dev/null", "-w", "%{http_code}", address])
        #expect(direct.stdout == "200")
    }
}

/// `parallax serve` on a free port, until stopped.
final class RunningServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    let loginLink: String

    init(library: String) throws {
        process.executableURL = CommandLineRunner.executable
        process.arguments = ["serve", "--library", library, "--port", "0"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let handle = output.fileHandleForReading
        while !text.contains("Ctrl-C") {
            let data = handle.availableData
            guard !data.isEmpty else { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let link = text.split(separator: " ").first(where: { $0.contains("/login?token=") }),
            let port = Int(link.split(separator: ":").last?.split(separator: "/").first ?? "")
        else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile)
        }
        loginLink = link.trimmingCharacters(in: .whitespacesAndNewlines)
        self.port = port
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
