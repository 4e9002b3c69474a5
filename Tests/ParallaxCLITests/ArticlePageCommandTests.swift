import Foundation
import ParallaxTestSupport
import Testing

/// `add` keeps a page's HTML and images, and `open` shows them offline: the page is checked as
/// text, and as pixels in a screenshot by headless Chromium when it is installed.
@Suite struct ArticlePageCommandTests {
    let directory = TemporaryDirectory()
    var libraryPath: String { directory.path("library.sqlite") }
    static let photo = TestImages.png(width: 120, height: 80, red: 200, green: 60, blue: 40)

    var parallax: ParallaxCommand { ParallaxCommand(in: directory, library: libraryPath) }

    static func server() throws -> LocalHTTPServer {
        let paragraph =
            "<p>The strike at the port entered its second week on Monday, with ships waiting offshore, "
            + "and the union said talks would resume on Thursday at the labour ministry in the capital.</p>"
        let page = """
            <html><head><title>Port strike</title></head><body><article><h1>Port strike</h1>\(paragraph)
            <figure><img src="/photo.png" alt="Pickets"><figcaption>Pickets at the gate.</figcaption></figure>
            \(paragraph)<img src="/gone.png" alt="Chart">\(paragraph)</article></body></html>
            """
        return try LocalHTTPServer { path in
            switch String(path.prefix { $0 != "?" }) {
            case "/strike": .init(body: Data(page.utf8))
            case "/photo.png": .init(contentType: "image/png", body: photo)
            default: .init(status: 404)
            }
        }
    }

    @Test func testAddedPageOpensOfflineWithItsImageInsideAndTheMissingOneLinked() throws {
        let server = try Self.server()
        #expect(try parallax("init").status == 0)
        let added = try parallax("add", server.baseURL + "/strike", "--json")
        #expect(added.status == 0, "\(added.stderr)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])
        let images = try #require(json["images"] as? [String: Any])
        #expect(images["kept"] as? Int == 1)
        #expect(
            (images["problems"] as? [String])?.first?.contains("/gone.png: the server answered 404") == true)
        server.stop()
        let id = try #require((json["item"] as? [String: Any])?["id"] as? String)
        let page = directory.path("strike.html")
        let opened = try parallax("open", id, "-o", page, "--no-browser")
        #expect(opened.status == 0, "\(opened.stderr)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("data:image/png;base64,\(Self.photo.base64EncodedString())"))
        #expect(html.contains(#"<figcaption>Pickets at the gate.</figcaption>"#))
        #expect(html.contains(#"<a href="\#(server.baseURL)/gone.png">[Chart, not kept offline]</a>"#))
        #expect(!html.contains(#"src="http"#))
        let stats = try parallax("stats")
        #expect(stats.stdout.contains("Images    1 kept offline"))
        guard HeadlessChromium.installed != nil else { return }
        let shot = try HeadlessChromium.screenshot(of: page, profileIn: directory)
        let pixels = try #require(PNGPixels(try Data(contentsOf: URL(fileURLWithPath: shot))))
        // The photo is drawn at its 120 × 80 pixels (or larger, on a dense screen).
        #expect(pixels.count(red: 200, green: 60, blue: 40) >= 120 * 80)
    }

    @Test func testFetchImagesFillsInArticlesSavedWithoutThemAndASecondRunFetchesNothingAgain() throws {
        let server = try Self.server()
        defer { server.stop() }
        #expect(try parallax("init").status == 0)
        // Saved as text, as Parallax did before it kept HTML, and a page saved without its images.
        let file = directory.write(
            "strike.txt", "Port strike\n\nShips wait offshore, the union said on Monday.\n")
        #expect(try parallax("add", file, "--url", server.baseURL + "/strike").status == 0)
        let page = try parallax("add", server.baseURL + "/strike?copy=2", "--no-images", "--force")
        #expect(page.status == 0 && !page.stdout.contains("Images:"), "\(page.stdout)")
        #expect(!server.requests.contains("/photo.png"))
        let first = try parallax("fetch-images", "--all", "--json")
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        #expect(
            summary["articles"] as? Int == 2 && summary["filled"] as? Int == 2
                && summary["images"] as? Int == 2)
        #expect((summary["problems"] as? [String])?.count == 2)
        let photoRequests = server.requests.filter { $0 == "/photo.png" }.count
        let again = try parallax("fetch-images", "--all")
        #expect(again.status == 0 && again.stdout.hasPrefix("0 images kept"), "\(again.stdout)")
        #expect(server.requests.filter { $0 == "/photo.png" }.count == photoRequests)
        #expect(try parallax("stats").stdout.contains("Images    1 kept offline"))
        #expect(try parallax("doctor").status == 0)
        let both = try parallax("fetch-images", "--all", "x")
        #expect(both.status == 64)
        let unknown = try parallax("fetch-images", "zzzz")
        #expect(unknown.status == 2 && unknown.stderr.contains("zzzz"))
    }

    @Test func testWithImagesOffAddFetchesNoImageAndFetchImagesSaysWhy() throws {
        let server = try Self.server()
        defer { server.stop() }
        #expect(try parallax("init").status == 0)
        let off = try parallax("images", "off")
        #expect(off.status == 0 && off.stdout.contains("not kept on this device"))
        let added = try parallax("add", server.baseURL + "/strike")
        #expect(added.status == 0 && !added.stdout.contains("Images:"), "\(added.stdout)")
        #expect(!server.requests.contains("/photo.png"))
        let fetch = try parallax("fetch-images", "--all")
        #expect(fetch.status == 4 && fetch.stderr.contains("'parallax images on'"))
        let status = try parallax("images", "--json")
        let storage = try #require(
            try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(storage["keeps_images"] as? Bool == false && storage["images"] as? Int == 0)
        #expect(try parallax("images", "on").status == 0)
        #expect(try parallax("fetch-images", "--all").status == 0)
        #expect(server.requests.contains("/photo.png"))
        #expect(try parallax("images", "on", "--drop-kept").status == 64)
    }

    @Test func testOpenOfATextOnlyArticleShowsItsParagraphsAndAnUnknownIDFailsWithOneLine() throws {
        #expect(try parallax("init").status == 0)
        let file = directory.write(
            "note.txt", "Ships wait\n\nThe port is closed for a second week, officials said.\n")
        let added = try parallax("add", file, "--json")
        let id = try #require(
            ((try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])?["item"]
                as? [String: Any])?["id"] as? String)
        let page = directory.path("note.html")
        #expect(try parallax("open", id, "-o", page, "--no-browser").status == 0)
        #expect(
            try String(contentsOfFile: page, encoding: .utf8).contains(
                "<p>The port is closed for a second week"))
        let unknown = try parallax("open", "zzzz", "--no-browser")
        #expect(unknown.status != 0 && unknown.stderr.split(separator: "\n").count == 1)
    }
}
