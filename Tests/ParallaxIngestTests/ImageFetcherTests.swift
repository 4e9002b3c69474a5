import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxIngest

/// Images are fetched from a local server the test starts: each bad image is refused or capped
/// with one line, and the article is saved with the good ones whatever happens.
@Suite struct ImageFetcherTests {
    static let photo = TestImages.png(width: 40, height: 30)

    /// A PNG whose header claims 50,000 × 50,000 pixels.
    static var bomb: Data {
        var data = TestImages.png()
        data.replaceSubrange(16..<24, with: [0, 0, 0xC3, 0x50, 0, 0, 0xC3, 0x50])
        return data
    }

    static func page(_ images: [String], base: String) -> Data {
        let figures = images.map { #"<figure><img src="\#(base)\#($0)" alt="x"></figure>"# }.joined()
        let paragraph =
            "<p>The strike at the port entered its second week on Monday, with ships waiting offshore "
            + "and the union saying talks would resume on Thursday at the labour ministry.</p>"
        return Data(
            "<html><body><article><h1>Port strike</h1>\(paragraph)\(figures)\(paragraph)</article></body></html>"
                .utf8)
    }

    static func server() throws -> LocalHTTPServer {
        try LocalHTTPServer { path in
            switch String(path.prefix { $0 != "?" }) {
            case "/photo.png", "/same-photo.png": .init(contentType: "image/png", body: photo)
            case "/gone.png": .init(status: 404, body: Data("not here".utf8))
            case "/page-as-image.png": .init(contentType: "image/png", body: Data("<html>a page</html>".utf8))
            case "/bomb.png": .init(contentType: "image/png", body: bomb)
            case "/huge.png": .init(contentType: "image/png", body: photo + Data(count: 64 << 10))
            case "/endless.png": .init(contentType: "image/png", body: photo, endlessBytes: true)
            case "/loop-a.png": .redirect(to: "/loop-b.png")
            case "/loop-b.png": .redirect(to: "/loop-a.png")
            case "/moved.png": .redirect(to: "/photo.png")
            case "/to-file.png": .redirect(to: "file:///etc/passwd")
            case "/vector.svg":
                .init(
                    contentType: "image/svg+xml",
                    body: Data(#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#.utf8))
            default: .init(status: 404)
            }
        }
    }

    static var smallPolicy: ImagePolicy {
        var policy = ImagePolicy()
        policy.maximumImageBytes = 32 << 10
        policy.totalTimeout = 10
        return policy
    }

    @Test func testEachBadImageIsNamedInOneLineAndTheArticleIsSavedWithTheGoodOnes() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let temporary = try TemporaryLibrary()
        let bad = [
            "/gone.png", "/page-as-image.png", "/bomb.png", "/huge.png", "/endless.png", "/loop-a.png",
            "/to-file.png", "/vector.svg",
        ]
        let file = temporary.directory.write(
            "page.html", Self.page(["/photo.png", "/moved.png"] + bad, base: server.baseURL))
        let saved = try await ArticleInput.save(
            file, pageURL: "\(server.baseURL)/page.html", into: temporary.library, fetcher: PageFetcher(),
            images: ImageFetcher(policy: Self.smallPolicy))
        guard case .added(let item) = saved.outcome else {
            Issue.record("the article was not saved: \(saved.outcome)")
            return
        }
        let report = try #require(saved.images)
        #expect(report.kept == 2 && report.bytes == 2 * Self.photo.count)
        #expect(report.problems.count == bad.count, "\(report.problems)")
        let reasons = Dictionary(
            uniqueKeysWithValues: report.problems.map { line in
                (String(line.prefix { $0 != " " }.dropLast().split(separator: "/").last ?? ""), line)
            })
        #expect(reasons["gone.png"]?.contains("404") == true)
        #expect(reasons["page-as-image.png"]?.contains("not an image") == true)
        #expect(reasons["bomb.png"]?.contains("50000 × 50000") == true)
        #expect(reasons["huge.png"]?.contains("larger than") == true)
        #expect(reasons["endless.png"]?.contains("larger than") == true)
        #expect(reasons["loop-a.png"]?.contains("loop") == true)
        #expect(reasons["to-file.png"]?.contains("not an http or https address") == true)
        #expect(reasons["vector.svg"]?.contains("SVG") == true)
        let images = try temporary.library.articleImages(ofItem: item.id)
        #expect(Set(images.keys) == ["\(server.baseURL)/photo.png", "\(server.baseURL)/moved.png"])
        #expect(try temporary.library.statistics().images == 1)
        #expect(try temporary.library.checkIntegrity().isEmpty)
    }

    @Test func testAPageFromTheWebCannotMakeParallaxFetchFromThisMachine() async throws {
        let server = try Self.server()
        defer { server.stop() }
        var draft = ItemDraft(title: "Port", text: "Ships wait.")
        draft.html =
            #"<p><img src="\#(server.baseURL)/photo.png" /><img src="http://192.168.1.1/admin.png" /></p>"#
        let report = await ImageFetcher().fetchImages(for: &draft, pageURL: "https://news.example.com/port")
        #expect(report.kept == 0 && report.problems.count == 2)
        #expect(report.problems.allSatisfy { $0.contains("private network") })
        #expect(server.requests.isEmpty)
    }

    @Test func testImagesPastTheCountCapKeepTheirAddressOnly() async throws {
        let server = try Self.server()
        defer { server.stop() }
        var policy = ImagePolicy()
        policy.maximumImages = 2
        var draft = ItemDraft(title: "Gallery", text: "Pictures.")
        draft.html = (1...5).map { #"<img src="\#(server.baseURL)/photo.png?\#($0)" />"# }.joined()
        let report = await ImageFetcher(policy: policy).fetchImages(
            for: &draft, pageURL: server.baseURL + "/gallery")
        #expect(report.kept == 2 && draft.images.count == 2)
        #expect(report.problems == ["3 images past the first 2 were not kept"])
    }

    @Test func testASavedPageOfUnknownOriginCannotMakeParallaxFetchFromThisMachine() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let temporary = try TemporaryLibrary()
        let file = temporary.directory.write("saved.html", Self.page(["/photo.png"], base: server.baseURL))
        let saved = try await ArticleInput.save(
            file, into: temporary.library, fetcher: PageFetcher(), images: ImageFetcher())
        guard case .added = saved.outcome else {
            Issue.record("the article was not saved")
            return
        }
        #expect(saved.images?.problems.first?.contains("private network") == true)
        #expect(server.requests.isEmpty)
    }

    @Test func testAddressesOnThisMachineOrReservedRangesArePrivateHoweverSpelled() {
        for address in [
            "127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
            "192.0.2.2", "198.18.0.1", "::1", "::127.0.0.1", "::ffff:127.0.0.1", "64:ff9b::7f00:1", "fe80::1",
            "fd00::1",
        ] {
            #expect(NetworkAddress.isPrivateLiteral(address) == true, "\(address)")
        }
        for address in ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "64:ff9b::808:808"] {
            #expect(NetworkAddress.isPrivateLiteral(address) == false, "\(address)")
        }
        #expect(
            NetworkAddress.isPrivate(host: "localhost") && NetworkAddress.isPrivate(host: "printer.local"))
        #expect(NetworkAddress.isPrivateLiteral("news.example.com") == nil)
    }

    @Test func testHeadersOfEveryFormatGiveTheirDimensions() {
        #expect(ImageDimensions(of: Self.photo, type: .png) == ImageDimensions(width: 40, height: 30))
        #expect(
            ImageDimensions(of: Data("GIF89a".utf8) + Data([0x20, 0x01, 0x10, 0x00]), type: .gif)?.width
                == 288)
        let jpeg = Data([
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02,
            0x80, 0x03,
        ])
        #expect(ImageDimensions(of: jpeg, type: .jpeg) == ImageDimensions(width: 640, height: 480))
        #expect(ImageDimensions(of: Data([0xFF, 0xD8, 0xFF]), type: .jpeg) == nil)
    }
}
