import Foundation
import HTTPTypes
import HummingbirdTesting
import ParallaxServer
import ParallaxStore
import ParallaxTestSupport
import Testing

@Suite("Saving from the browser")
struct BrowserSaveTests {
    static let page = """
        <!DOCTYPE html><html lang="en"><head><title>Port strike spreads to the north | Harbour Times</title>
        <meta property="og:site_name" content="Harbour Times"></head><body>
        <nav><a href="/">Home</a> <a href="/world">World</a></nav>
        <article><h1>Port strike spreads to the north</h1>
        <p>Dockworkers at three northern terminals joined the strike on Tuesday, union officials said, \
        halting container traffic at the country's second-largest port.</p>
        <p>The walkout began last week after talks over automation collapsed. Employers said the new \
        cranes would not cost jobs; the union said the plan would cut crews by half within five years.</p>
        <p>Shipping lines have begun diverting vessels to ports across the border, according to \
        industry data, and retailers warned of empty shelves before the holidays.</p>
        <p>Neither side has scheduled new talks. The labour ministry said it was ready to mediate.</p>
        </article><footer>Subscribe to our newsletter</footer></body></html>
        """

    /// The save token the Save page's bookmarklet carries in the address it posts to.
    static func bookmarkletToken(_ browser: BrowserSession) async throws -> String {
        let page = try await browser.get("/save").text
        // The script sits in an attribute, its quotes escaped; the browser reads them back.
        let range = try #require(page.range(of: "/save/bookmarklet?token="))
        return String(page[range.upperBound...].prefix { $0 != "&" })
    }

    /// The pending save's id in a confirmation page.
    static func pendingID(_ page: String) throws -> String {
        let range = try #require(page.range(of: #"name="pending" value=""#))
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }

    @Test func testBookmarkletStagesThePageAndTheSignedInReaderConfirmsIt() async throws {
        let fixture = try ServerFixture()
        let version = try fixture.library.currentVersion()
        try await fixture.test { browser in
            try await browser.signIn()
            let token = try await Self.bookmarkletToken(browser)
            // The bookmarklet's request comes from the other site's page: no cookie, its Origin.
            let cookie = browser.cookie
            browser.cookie = nil
            let staged = try await browser.post(
                "/save/bookmarklet?token=\(token)",
                [("url", "https://harbour.example/2024/strike"), ("html", Self.page)],
                csrf: false, headers: [.origin: "https://harbour.example"])
            #expect(staged.status == .ok)
            #expect(staged.text.contains("Save this page?"))
            #expect(try fixture.library.currentVersion() == version)
            let pending = try Self.pendingID(staged.text)
            // Confirming needs the session: a site that read the token gets no further.
            #expect(
                try await browser.post("/save/confirm", [("pending", pending)], csrf: false).status
                    == .unauthorized)
            browser.cookie = cookie
            let response = try await browser.post(
                "/save/confirm", [("pending", pending), ("tags", "ports")], csrf: false)
            #expect(response.status == .ok)
            #expect(response.text.contains("Saved"))
            #expect(response.text.contains("Port strike spreads to the north"))
            let again = try await browser.post("/save/confirm", [("pending", pending)], csrf: false)
            #expect(again.status == .notFound)
            let guessed = try await browser.post("/save/confirm", [("pending", "guess")], csrf: false)
            #expect(guessed.status == .notFound)
        }
        let saved = try #require(try fixture.library.item(withURL: "https://harbour.example/2024/strike"))
        #expect(saved.title == "Port strike spreads to the north")
        #expect(try fixture.library.text(of: saved).contains("halting container traffic"))
        #expect(!(try fixture.library.text(of: saved).contains("Subscribe")))
        #expect(saved.tags == ["ports"])
    }

    @Test func testHostileBookmarkletBodiesAreRefusedCheaply() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { browser in
            try await browser.signIn()
            let token = try await Self.bookmarkletToken(browser)
            let separators = try await browser.post(
                "/save/bookmarklet?token=\(token)", Array(repeating: ("a", ""), count: 5_000), csrf: false)
            #expect(separators.status == .badRequest)
            let longAddress = "https://harbour.example/" + String(repeating: "a", count: 9_000)
            let long = try await browser.post(
                "/save/bookmarklet?token=\(token)", [("url", longAddress)], csrf: false)
            #expect(long.status == .badRequest)
            #expect(long.text.contains("url"))
        }
    }

    @Test func testAConfirmedSaveThatFailsCanBeTriedAgain() async throws {
        let site = try LocalHTTPServer { _ in .init(status: 503) }
        defer { site.stop() }
        let fixture = try ServerFixture()
        try await fixture.test { browser in
            try await browser.signIn()
            let token = try await Self.bookmarkletToken(browser)
            let staged = try await browser.post(
                "/save/bookmarklet?token=\(token)", [("url", site.baseURL + "/down")], csrf: false)
            let pending = try Self.pendingID(staged.text)
            #expect(
                try await browser.post("/save/confirm", [("pending", pending)], csrf: false).status
                    == .badGateway)
            #expect(
                try await browser.post("/save/confirm", [("pending", pending)], csrf: false).status
                    == .badGateway)
        }
    }

    @Test func testANewSaveTokenRetiresTheOldBookmarklets() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { browser in
            try await browser.signIn()
            let old = try await Self.bookmarkletToken(browser)
            #expect(try await browser.post("/save/token").status == .seeOther)
            let new = try await Self.bookmarkletToken(browser)
            #expect(new != old)
            let fields = [("url", "https://harbour.example/a"), ("html", Self.page)]
            #expect(
                try await browser.post("/save/bookmarklet?token=\(old)", fields, csrf: false).status
                    == .forbidden)
            #expect(
                try await browser.post("/save/bookmarklet?token=\(new)", fields, csrf: false).status
                    == .ok)
        }
    }

    @Test func testBookmarkletWithoutTheRightTokenSavesNothing() async throws {
        let fixture = try ServerFixture()
        let version = try fixture.library.currentVersion()
        try await fixture.test { browser in
            try await browser.signIn()
            let token = try await Self.bookmarkletToken(browser)
            // No token, a wrong one, and the right one in the body, where a site's `no-cors` fetch
            // or an older bookmarklet puts it: each is refused before its body is read.
            let page = String(repeating: Self.page, count: 2_000)
            for (query, fields) in [
                ("", [("url", "https://harbour.example/a"), ("html", page)]),
                ("?token=guess", [("url", "https://harbour.example/a"), ("html", page)]),
                ("", [("token", token), ("url", "https://harbour.example/a"), ("html", page)]),
            ] {
                let response = try await browser.post("/save/bookmarklet" + query, fields, csrf: false)
                #expect(response.status == .forbidden)
            }
            #expect(fixture.server.bookmarkletBodiesRead == 0)
            let get = try await browser.get("/save/bookmarklet")
            #expect(get.status == .notFound || get.status == .methodNotAllowed)
        }
        #expect(try fixture.library.currentVersion() == version)
    }

    @Test func testTheSaveTokenBelongsToTheLibraryAndOutlivesTheServer() async throws {
        let fixture = try ServerFixture()
        let first = LockedValue("")
        try await fixture.test { browser in
            try await browser.signIn()
            first.value = try await Self.bookmarkletToken(browser)
        }
        let again = try ServerFixture.reopening(fixture)
        try await again.test { browser in
            try await browser.signIn()
            #expect(try await Self.bookmarkletToken(browser) == first.value)
        }
    }

    @Test func testThePlainFormFetchesTheAddressLikeAdd() async throws {
        let site = try LocalHTTPServer { path in
            path == "/story" ? .init(body: Data(Self.page.utf8)) : .init(status: 404)
        }
        defer { site.stop() }
        let fixture = try ServerFixture()
        try await fixture.test { browser in
            try await browser.signIn()
            let response = try await browser.post(
                "/save", [("url", site.baseURL + "/story"), ("tags", "ports, labour")])
            #expect(response.status == .ok)
            #expect(response.text.contains("Port strike spreads to the north"))
            let again = try await browser.post("/save", [("url", site.baseURL + "/story")])
            #expect(again.text.contains("Already saved"))
            let missing = try await browser.post("/save", [("url", site.baseURL + "/gone")])
            #expect(missing.status == .badGateway)
            #expect(missing.text.contains("404"))
        }
        let saved = try #require(try fixture.library.item(withURL: site.baseURL + "/story"))
        #expect(saved.tags.sorted() == ["labour", "ports"])
    }
}
