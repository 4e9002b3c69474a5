import Foundation

/// Headless Chromium (Debian's `chromium`), for tests of what a browser makes of a page.
public enum HeadlessChromium {
    /// The installed browser, nil when there is none: tests that need it skip.
    public static let installed = [
        "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
    ]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The page's DOM after it loaded and its scripts (if any) ran.
    /// - Parameters:
    ///   - page: The page file.
    ///   - directory: A folder for the browser's profile.
    public static func dumpDOM(of page: String, profileIn directory: TemporaryDirectory) throws -> String {
        try run(["--dump-dom", "file://\(page)"], profileIn: directory)
    }

    /// Takes a screenshot of the page and returns the PNG's path.
    public static func screenshot(of page: String, profileIn directory: TemporaryDirectory) throws -> String {
        let shot = directory.path("screenshot-\(UUID().uuidString).png")
        _ = try run(
            ["--screenshot=\(shot)", "--window-size=1000,1400", "file://\(page)"], profileIn: directory)
        return shot
    }

    private static func run(_ arguments: [String], profileIn directory: TemporaryDirectory) throws -> String {
        guard let installed else { throw CocoaError(.executableNotLoadable) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: installed)
        // Nothing a page names may leave the machine: every host resolves to nowhere.
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory.path("profile"))",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            ] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }
}
