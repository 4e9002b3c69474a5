import Foundation
import HTTPTypes
import HummingbirdTesting
import ParallaxServer
import ParallaxStore
import ParallaxTestSupport
import Testing

@Suite("Reading app pages")
struct ReadingServerPageTests {
    @Test func testSignInLinkWorksOnceAndSetsAStrictHttpOnlyCookie() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { browser in
            let first = try await browser.client.execute(
                uri: "/login?token=\(browser.loginToken)", method: .get)
            #expect(first.status == .seeOther)
            let cookie = try #require(first.headers[.setCookie])
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            let again = try await browser.client.execute(
                uri: "/login?token=\(browser.loginToken)", method: .get)
            #expect(again.status == .unauthorized)
            #expect(again.headers[.setCookie] == nil)
        }
    }

    @Test func testPagesRefuseABrowserWithoutAValidSession() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { browser async throws in
            #expect(try await browser.get("/").status == .unauthorized)
            browser.cookie = "parallax_session_8765=forged"
            #expect(try await browser.get("/").status == .unauthorized)
            #expect(try await browser.get("/items/\(fixture.items[0].id)").status == .unauthorized)
            // The stylesheet and script are served to the sign-in page too.
            #expect(try await browser.get("/assets/parallax.css").status == .ok)
        }
    }

    @Test func testEveryPageRendersWithAStrictContentSecurityPolicy() async throws {
        let fixture = try ServerFixture()
        let id = fixture.items[0].id
        try await fixture.test { browser in
            try await browser.signIn()
            for path in [
                "/", "/?view=unread", "/?view=archive", "/?view=favorites&sort=published", "/?tag=none",
                "/?source=Wire%20One", "/search", "/search?q=sanctions", "/items/\(id)",
                "/items/\(id)/history",
                "/events", "/events?all=1", "/save", "/sync",
            ] {
                let response = try await browser.get(path)
                #expect(response.status == .ok, "\(path)")
                let policy = try #require(response.headers[.contentSecurityPolicy])
                #expect(policy.contains("default-src 'self'"))
                #expect(!policy.contains("unsafe-inline"))
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            }
        }
    }

    @Test func testListShowsItemsOfTheChosenViewAndSourceOnly() async throws {
        let fixture = try ServerFixture()
        try fixture.library.setArchived(fixture.items[2].id, true)
        try await fixture.test { browser in
            try await browser.signIn()
            let list = try await browser.get("/").text
            #expect(list.contains("Military leaders stand by Maduro"))
            #expect(!list.contains("Oil exports fall"))
            let archive = try await browser.get("/?view=archive").text
            #expect(archive.contains("Oil exports fall"))
            #expect(!archive.contains("Opposition courts the army"))
            let source = try await browser.get("/?view=all&source=Daily%20Two").text
            #expect(source.contains("Opposition courts the army"))
            #expect(!source.contains("Military leaders"))
        }
    }

    @Test func testSearchShowsSnippetsWithMatchesMarkedAndTheLiveFragment() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { browser in
            try await browser.signIn()
            let page = try await browser.get("/search?q=amnesty").text
            #expect(page.contains("<mark>amnesty</mark>"))
            #expect(page.contains("Opposition courts the army"))
            let fragment = try await browser.get("/search?q=amnesty&fragment=1").text
            #expect(fragment.contains("<mark>amnesty</mark>"))
            #expect(!fragment.contains("<html"))
            let bad = try await browser.get("/search?q=%22unclosed").text
            #expect(!bad.contains("Something went wrong"))
        }
    }

    @Test func testUnknownItemIsANotFoundPage() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { browser in
            try await browser.signIn()
            let response = try await browser.get("/items/zzzzzzzzzz")
            #expect(response.status == .notFound)
            #expect(response.text.contains("Not found"))
            #expect(try await browser.get("/no/such/page").status == .notFound)
        }
    }

    @Test func testATitleHoldingScriptIsRenderedAsText() async throws {
        let fixture = try ServerFixture()
        var draft = ItemDraft(
            title: "<script>alert(1)</script> Breaking",
            text: "A body with <img src=x onerror=alert(2)> in it.")
        draft.source = "<b>Evil</b>"
        let item = try await fixture.library.add(draft).item
        try fixture.library.setNote(item.id, "<iframe src=//evil>")
        try fixture.library.addHighlight(
            item.id, quote: "<img src=x onerror=alert(2)>", note: "<script>x</script>")
        try await fixture.test { browser in
            try await browser.signIn()
            for path in [
                "/", "/items/\(item.id)", "/search?q=breaking", "/?view=all&source=%3Cb%3EEvil%3C%2Fb%3E",
            ] {
                let page = try await browser.get(path).text
                #expect(!page.contains("<script>alert"), "\(path)")
                #expect(!page.contains("<img src=x"), "\(path)")
                #expect(!page.contains("<iframe"), "\(path)")
                #expect(!page.contains("<b>Evil"), "\(path)")
            }
            #expect(
                try await browser.get("/items/\(item.id)").text.contains(
                    "&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }

    @Test func testWrongTokensAreThrottledAfterTen() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { browser in
            for _ in 0..<10 {
                #expect(
                    try await browser.client.execute(uri: "/login?token=guess", method: .get).status
                        == .unauthorized)
            }
            let throttled = try await browser.client.execute(
                uri: "/login?token=\(browser.loginToken)", method: .get)
            #expect(throttled.status == .tooManyRequests)
        }
    }

    @Test func testAnotherSitesSignInLinksNeitherSignInNorLockTheReaderOut() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { browser in
            for _ in 0..<20 {
                let planted = try await browser.client.execute(
                    uri: "/login?token=guess", method: .get,
                    headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
                #expect(planted.status == .ok)
            }
            let forged = try await browser.client.execute(
                uri: "/login?token=\(browser.loginToken)", method: .get,
                headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(forged.headers[.setCookie] == nil)
            try await browser.signIn()
        }
    }

    @Test func testEachServerNamesItsOwnCookie() async throws {
        let names = LockedValue<[String]>([])
        for _ in 0..<2 {
            let fixture = try ServerFixture()
            try await fixture.test { browser in
                try await browser.signIn()
                names.withLock { $0.append(String(browser.cookie?.split(separator: "=").first ?? "")) }
            }
        }
        #expect(Set(names.value).count == 2)
    }

    @Test func testAComparisonOrReportThatCannotBeMadeIsExplainedNotAnError() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { browser in
            try await browser.signIn()
            let compare = try await browser.get("/compare?outlet=Wire%20One&outlet=Nobody")
            #expect(compare.status == .unprocessableContent)
            let same = try await browser.get("/compare?outlet=Wire%20One&outlet=Wire%20One")
            #expect(same.status == .badRequest)
            let single = try await browser.get("/events/\(fixture.items[2].id)")
            #expect(single.status == .unprocessableContent)
            #expect(
                try await browser.get("/search?q=" + String(repeating: "a", count: 600)).status == .badRequest
            )
        }
    }

    @Test func testTheOutletComparisonIsServedLikeTheReportFile() async throws {
        let fixture = try ServerFixture()
        try fixture.library.setEvent(fixture.items[0].id, of: fixture.items.map(\.id))
        try await fixture.test { browser in
            try await browser.signIn()
            let response = try await browser.get("/compare?outlet=Wire%20One&outlet=Daily%20Two")
            #expect(response.status == .ok)
            #expect(response.text.contains("Wire One"))
            #expect(response.text.contains("Daily Two"))
            #expect(response.headers[.contentSecurityPolicy]?.contains("style-src 'self' 'sha256-") == true)
        }
    }

    @Test func testTheListPagesThroughALibraryByItsLastItem() async throws {
        let fixture = try ServerFixture()
        for index in 0..<60 {
            try await fixture.library.add(
                ItemDraft(title: "Filler \(index)", text: "Filler article number \(index) text."))
        }
        try await fixture.test { browser in
            try await browser.signIn()
            let first = try await browser.get("/").text
            #expect(first.components(separatedBy: "class=\"item ").count - 1 == 50)
            let range = try #require(first.range(of: #"href="/?after="#))
            let next = "/?after=" + first[range.upperBound...].prefix { $0 != "\"" }
            let second = try await browser.get(next).text
            #expect(second.components(separatedBy: "class=\"item ").count - 1 == 13)
            #expect(!second.contains("Older items"))
            let titles = { (page: String) in
                Set(page.components(separatedBy: "class=\"title\"").dropFirst().map { $0.prefix(60) })
            }
            #expect(titles(first).isDisjoint(with: titles(second)))
        }
    }

    @Test func testServingBeyondLoopbackNeedsALongToken() throws {
        let library = try TemporaryLibrary()
        var configuration = ServerConfiguration()
        configuration.host = "0.0.0.0"
        #expect(throws: ReadingServer.SetupError.self) {
            try ReadingServer(library: library.library, configuration: configuration)
        }
        configuration.accessToken = "short"
        #expect(throws: ReadingServer.SetupError.self) {
            try ReadingServer(library: library.library, configuration: configuration)
        }
        configuration.accessToken = "a-token-long-enough-to-guess-never"
        let server = try ReadingServer(library: library.library, configuration: configuration)
        #expect(!server.loginLink(port: 8765).contains("token="))
    }

    @Test func testAnEventsFramingReportIsServedWithItsStyleAllowedByHash() async throws {
        let fixture = try ServerFixture()
        try fixture.library.setEvent(fixture.items[0].id, of: fixture.items.map(\.id))
        try await fixture.test { browser in
            try await browser.signIn()
            let events = try await browser.get("/events").text
            #expect(events.contains("Framing report"))
            let response = try await browser.get("/events/\(fixture.items[0].id)")
            #expect(response.status == .ok)
            #expect(response.text.contains("Framing report"))
            let policy = try #require(response.headers[.contentSecurityPolicy])
            #expect(policy.contains("style-src 'self' 'sha256-"))
            #expect(!policy.contains("script-src"))
            #expect(!policy.contains("unsafe-inline"))
        }
    }
}
