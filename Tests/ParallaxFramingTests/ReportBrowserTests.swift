import Foundation
import ParallaxTestSupport
import Testing

@testable import ParallaxFraming
@testable import ParallaxReports

/// The HTML report as a browser shows it: headless Chromium (Debian's `chromium`) loads a report
/// built from hostile article text, and the page it ends with must hold that text as text.
@Suite(
    .enabled(
        if: HeadlessChromium.installed != nil,
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
        let dom = try HeadlessChromium.dumpDOM(of: page, profileIn: directory)
        #expect(dom.contains("At a glance"), "Chromium showed no report: \(dom.prefix(300))")
        #expect(!dom.contains("data-pwned"), "a script in the article ran")
        #expect(!dom.contains("<img"), "the article's markup became an element")
        #expect(dom.contains("onerror="), "the hostile text is shown as text")
    }
}
