import Foundation
import ParallaxTestSupport
import Testing

@testable import ParallaxFraming
@testable import ParallaxReports

/// The HTML report as a browser shows it: headless Chromium (Debian's `chromium`) loads a report
/// built from hostile article text, and the page it ends with must hold that text as text.
/// Debian's Chromium, or another build of it where one is installed.
private let installedChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    .first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

@Suite(
    .enabled(
        if: installedChromium != nil,
        "headless Chromium is not installed: scripts/install-dependencies adds Debian's chromium"))
struct ReportBrowserTests {
    @Test func testHostileArticleTextNeverRunsInTheReportPage() throws {
        // The attribute's name is assembled when the code runs, so the text alone never holds it.
        let attack = #"<img src=x onerror="document.body.setAttribute('data-'+'pwned','1')">"#
        let script = "<script>document.body.setAttribute('data-'+'pwned','2')</script>"
        let first = "The regime claimed \(attack) a sham vote. Officials said 40 soldiers \(script) left."
        let second = "The government said the vote was fair. Officials met on Monday in the capital."
        let report = try FramingReport.compare(
            [
                (FramingReportTests.item("a", "Evil \(script) Source", title: attack), first),
                (FramingReportTests.item("b", "Wire"), second),
            ], background: [first, second])
        let directory = TemporaryDirectory()
        let page = directory.write("report.html", HTMLReport.render(report))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(installedChromium))
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory.path("profile"))",
            "--dump-dom", "file://\(page)",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let dom = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(dom.contains("At a glance"), "Chromium showed no report: \(dom.prefix(300))")
        #expect(!dom.contains("data-pwned"), "a script in the article ran")
        #expect(!dom.contains("<img"), "the article's markup became an element")
        #expect(dom.contains("onerror="), "the hostile text is shown as text")
    }
}
