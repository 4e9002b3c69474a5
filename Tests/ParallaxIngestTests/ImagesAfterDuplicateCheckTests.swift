import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxIngest

/// An article's images are fetched once the library has taken it: saving a page it has already
/// downloads nothing.
@Suite struct ImagesAfterDuplicateCheckTests {
    static func server() throws -> LocalHTTPServer {
        try LocalHTTPServer { path in
            path == "/photo.png"
                ? .init(contentType: "image/png", body: TestImages.png(width: 40, height: 30))
                : .init(status: 404)
        }
    }

    static func page(base: String) -> Data {
        let paragraph =
            "<p>The strike at the port entered its second week on Monday, with ships waiting offshore "
            + "and the union saying talks would resume on Thursday at the labour ministry.</p>"
        return Data(
            """
            <html><body><article><h1>Port strike</h1>\(paragraph)<figure><img src="\(base)/photo.png" alt="x">\
            </figure>\(paragraph)</article></body></html>
            """.utf8)
    }

    static func imageRequests(_ server: LocalHTTPServer) -> Int {
        server.requests.filter { $0 == "/photo.png" }.count
    }

    @Test func testAPageSentAgainFetchesNoImages() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let temporary = try TemporaryLibrary()
        let html = Self.page(base: server.baseURL)
        let url = server.baseURL + "/strike"
        let first = try await ArticleInput.savePage(
            html: html, url: url, into: temporary.library, images: ImageFetcher())
        guard case .added(let item) = first.outcome else {
            Issue.record("not saved: \(first.outcome)")
            return
        }
        #expect(first.images?.kept == 1 && Self.imageRequests(server) == 1)
        #expect(try temporary.library.articleImages(ofItem: item.id).count == 1)
        let again = try await ArticleInput.savePage(
            html: html, url: url, into: temporary.library, images: ImageFetcher())
        guard case .duplicate = again.outcome else {
            Issue.record("saved twice: \(again.outcome)")
            return
        }
        #expect(again.images == nil)
        // The same text at another address is a duplicate too.
        _ = try await ArticleInput.savePage(
            html: html, url: server.baseURL + "/mirror", into: temporary.library, images: ImageFetcher())
        #expect(Self.imageRequests(server) == 1)
        #expect(try temporary.library.checkIntegrity().isEmpty)
    }

    @Test func testASavedFileOfAnAddressSavedAlreadyFetchesNoImages() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let temporary = try TemporaryLibrary()
        let file = temporary.directory.write("page.html", Self.page(base: server.baseURL))
        let url = server.baseURL + "/story"
        _ = try await ArticleInput.save(
            file, pageURL: url, into: temporary.library, fetcher: PageFetcher(), images: ImageFetcher())
        #expect(Self.imageRequests(server) == 1)
        let again = try await ArticleInput.save(
            file, pageURL: url, into: temporary.library, fetcher: PageFetcher(), images: ImageFetcher())
        guard case .duplicate = again.outcome else {
            Issue.record("saved twice: \(again.outcome)")
            return
        }
        #expect(Self.imageRequests(server) == 1)
    }

    @Test func testAForcedSaveKeepsTheImagesOfItsNewVersion() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let temporary = try TemporaryLibrary()
        let file = temporary.directory.write("page.html", Self.page(base: server.baseURL))
        let url = server.baseURL + "/story"
        _ = try await ArticleInput.save(
            file, pageURL: url, into: temporary.library, fetcher: PageFetcher(), images: ImageFetcher())
        let forced = try await ArticleInput.save(
            file, pageURL: url, into: temporary.library, fetcher: PageFetcher(), images: ImageFetcher(),
            force: true)
        guard case .updated(let item) = forced.outcome else {
            Issue.record("not updated: \(forced.outcome)")
            return
        }
        #expect(forced.images?.kept == 1)
        #expect(try temporary.library.articleImages(ofItem: item.id).count == 1)
        #expect(try temporary.library.checkIntegrity().isEmpty)
    }
}
