import Foundation
import ParallaxTestSupport
import Testing

@testable import ParallaxMarkup

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The allow-list holds against hostile markup: whatever goes in, what comes out parses to allowed
/// elements and attributes only, is well-formed XHTML, and sanitizes to itself.
@Suite struct HTMLSanitizerTests {
    static let page = URL(string: "https://news.example.com/world/story.html")!

    /// The hostile fragments of `Resources/hostile-markup.txt`, with `PWN` replaced by `statement`.
    static func hostileFragments(
        running statement: String = "document.body.setAttribute('data-'+'pwned','1')"
    )
        throws -> [String]
    {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Resources/hostile-markup.txt")
        return try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") }
            .map { $0.replacingOccurrences(of: "PWN", with: statement) }
    }

    @Test(arguments: try hostileFragments())
    func testHostileMarkupComesOutAsAllowedElementsAndAttributesOnly(_ fragment: String) throws {
        let sanitized = HTMLSanitizer.sanitize(html: fragment, baseURL: Self.page).html
        let reparsed = HTMLDocument(html: "<html><body>\(sanitized)</body></html>")
        let body = try #require(reparsed.root.elements.first { $0.name == "body" })
        for element in body.descendants() {
            #expect(HTMLSanitizer.keptElements.contains(element.name), "\(element.name) in \(sanitized)")
            let allowed = Set(HTMLSanitizer.keptAttributes[element.name] ?? []).union(["href", "src"])
            for (name, value) in element.attributes {
                #expect(allowed.contains(name), "\(name) on \(element.name) in \(sanitized)")
                if name == "href" || name == "src" {
                    #expect(Markup.isWebAddress(value), "\(name)=\(value)")
                }
            }
        }
        #expect(HTMLSanitizer.sanitize(html: sanitized, baseURL: Self.page).html == sanitized)
        #expect(!sanitized.lowercased().contains("javascript:"))
    }

    @Test func testSanitizedMarkupIsWellFormedXHTML() throws {
        let fragments = try Self.hostileFragments()
        let sanitized = fragments.map { HTMLSanitizer.sanitize(html: $0, baseURL: Self.page).html }
        for html in sanitized {
            #expect(throws: Never.self, "\(html)") {
                try XMLDocument(xmlString: "<div xmlns=\"http://www.w3.org/1999/xhtml\">\(html)</div>")
            }
        }
    }

    @Test func testStructureTablesAndLinksSurviveAndRelativeAddressesBecomeAbsolute() {
        let html = """
            <article class="story"><h2 id="x">Sanctions</h2><p style="color:red">The <a href="/wire/1" \
            onclick="x()">ministry</a> said <em>little</em>.</p><p>  </p><table><tr><th scope="col">Year</th>\
            <th colspan="2">Barrels</th></tr><tr><td>2019</td><td></td></tr></table>\
            <pre><code>a &lt; b</code></pre></article>
            """
        let sanitized = HTMLSanitizer.sanitize(html: html, baseURL: Self.page).html
        #expect(
            sanitized == """
                <h2>Sanctions</h2><p>The <a href="https://news.example.com/wire/1">ministry</a> said \
                <em>little</em>.</p>  <table><tr><th scope="col">Year</th><th colspan="2">Barrels</th>\
                </tr><tr><td>2019</td><td></td></tr></table><pre><code>a &lt; b</code></pre>
                """)
    }

    @Test func testUnsafeLinkKeepsItsWordsAndLosesTheLink() {
        let sanitized = HTMLSanitizer.sanitize(html: #"<p>Read <a href="javascript:go()">this</a>.</p>"#).html
        #expect(sanitized == "<p>Read this.</p>")
        #expect(
            HTMLSanitizer.sanitize(html: #"<a href="javascript:go()">Loose</a> words"#).html
                == "<p>Loose words</p>")
    }

    @Test func testWidestSrcsetCandidateWithinTheLimitIsChosen() {
        let html = """
            <img alt="Oil terminal" src="small.jpg" srcset="a-400.jpg 400w, a-1600.jpg 1600w, a-3200.jpg 3200w">
            """
        let sanitized = HTMLSanitizer.sanitize(html: html, baseURL: Self.page)
        #expect(
            sanitized.images == [
                ArticleImage(url: "https://news.example.com/world/a-1600.jpg", alt: "Oil terminal")
            ])
        #expect(
            sanitized.html
                == #"<p><img src="https://news.example.com/world/a-1600.jpg" alt="Oil terminal" /></p>"#)
    }

    @Test func testLazyImageTakesItsRealAddressNotThePlaceholder() {
        let html = #"<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/img/real.jpg" alt="">"#
        #expect(
            HTMLSanitizer.sanitize(html: html, baseURL: Self.page).images.map(\.url) == [
                "https://news.example.com/img/real.jpg"
            ])
    }

    @Test func testPictureSourceOfARasterTypeIsPreferredAndSVGIsNot() {
        let html = """
            <picture><source type="image/svg+xml" srcset="chart.svg"><source type="image/webp" \
            srcset="chart-800.webp 800w, chart-1200.webp 1200w"><img src="chart.png" alt="Chart"></picture>
            """
        #expect(
            HTMLSanitizer.sanitize(html: html, baseURL: Self.page).images.map(\.url) == [
                "https://news.example.com/world/chart-1200.webp"
            ])
    }

    @Test func testNoscriptFallbackStandsInOnlyForALazyImageWithoutAnAddress() {
        let lazy =
            #"<img class="lazy" src="data:image/gif;base64,R0l="><noscript><img src="/full.jpg"></noscript>"#
        #expect(
            HTMLSanitizer.sanitize(html: lazy, baseURL: Self.page).images.map(\.url) == [
                "https://news.example.com/full.jpg"
            ])
        let doubled = #"<img src="/full.jpg"><noscript><img src="/full.jpg"></noscript>"#
        #expect(
            HTMLSanitizer.sanitize(html: doubled, baseURL: Self.page).html.components(separatedBy: "<img")
                .count == 2)
    }

    @Test func testImagesOutsideTheWebAreDropped() {
        let html =
            #"<p>x</p><img src="file:///etc/passwd"><img src="data:image/png;base64,iVBOR"><img src="ftp://h/a.png">"#
        let sanitized = HTMLSanitizer.sanitize(html: html, baseURL: Self.page)
        #expect(sanitized.images.isEmpty)
        #expect(sanitized.html == "<p>x</p>")
    }

    @Test func testDeeplyNestedMarkupIsSanitizedWithoutExhaustingTheStack() {
        let html =
            String(repeating: "<div><span>", count: 20_000) + "deep"
            + String(repeating: "</span></div>", count: 20_000)
        #expect(HTMLSanitizer.sanitize(html: html).html.contains("deep"))
    }
}

/// Chromium loads the sanitized fragments, and none of them runs anything.
@Suite(
    .enabled(
        if: HeadlessChromium.installed != nil,
        "headless Chromium is not installed: scripts/install-dependencies adds Debian's chromium"))
struct SanitizedMarkupBrowserTests {
    @Test func testNothingInTheSanitizedHostileMarkupRunsInABrowser() throws {
        let directory = TemporaryDirectory()
        // The check first proves it can see a script run: the raw fragment marks the page.
        let raw = directory.write(
            "raw.html",
            "<html><body><p>raw</p>\(try HTMLSanitizerTests.hostileFragments()[2])</body></html>")
        #expect(try HeadlessChromium.dumpDOM(of: raw, profileIn: directory).contains("data-pwned"))
        let sanitized = try HTMLSanitizerTests.hostileFragments().map {
            "<div>\(HTMLSanitizer.sanitize(html: $0, baseURL: HTMLSanitizerTests.page).html)</div>"
        }
        let page = directory.write(
            "sanitized.html", "<html><body><p>sanitized</p>\(sanitized.joined(separator: "\n"))</body></html>"
        )
        let dom = try HeadlessChromium.dumpDOM(of: page, profileIn: directory)
        #expect(
            dom.contains("sanitized") && dom.contains("misnested"),
            "Chromium showed no page: \(dom.prefix(300))")
        #expect(!dom.contains("data-pwned"), "a sanitized fragment ran a script")
    }
}
