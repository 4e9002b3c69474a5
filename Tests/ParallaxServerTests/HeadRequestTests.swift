import Foundation
import HTTPTypes
import HummingbirdTesting
import ParallaxServer
import ParallaxStore
import ParallaxTestSupport
import Testing

/// `HEAD`, which link checkers and some browsers send, answers as `GET` would, without the body.
@Suite("HEAD requests")
struct HeadRequestTests {
    @Test func testHeadAnswersEveryPageAsGetWouldWithoutTheBody() async throws {
        let fixture = try ServerFixture()
        let id = fixture.items[0].id
        try await fixture.test { browser in
            try await browser.signIn()
            var headers = HTTPFields()
            headers[.cookie] = browser.cookie
            for path in [
                "/", "/search?q=sanctions", "/items/\(id)", "/items/\(id)/history", "/events", "/save",
                "/sync",
                "/assets/parallax.css", "/items/unknown",
            ] {
                let get = try await browser.client.execute(uri: path, method: .get, headers: headers)
                let head = try await browser.client.execute(uri: path, method: .head, headers: headers)
                #expect(head.status == get.status, "\(path)")
                #expect(head.headers[.contentType] == get.headers[.contentType], "\(path)")
                #expect(head.headers[.contentLength] == get.headers[.contentLength], "\(path)")
                #expect(head.body.readableBytes == 0, "\(path)")
            }
            // A failure is a page too, and its HEAD has no body either.
            for path in ["/", "/nowhere"] {
                let get = try await browser.client.execute(uri: path, method: .get)
                let head = try await browser.client.execute(uri: path, method: .head)
                #expect(head.status == get.status && get.status != .ok, "\(path)")
                #expect(head.headers[.contentLength] == get.headers[.contentLength], "\(path)")
                #expect(head.body.readableBytes == 0, "\(path)")
            }
        }
    }

    @Test func testAHeadOfTheSignInLinkLeavesItForTheReader() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { browser in
            let head = try await browser.client.execute(
                uri: "/login?token=\(browser.loginToken)", method: .head)
            #expect(head.status == .ok)
            #expect(head.headers[.setCookie] == nil)
            try await browser.signIn()
        }
    }
}
