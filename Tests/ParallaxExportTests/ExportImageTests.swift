import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing
import ZIPFoundation

@testable import ParallaxExport

/// The exports carry the kept images: inside the HTML page, as files of the EPUB book (which
/// passes epubcheck), and as files beside the Markdown.
@Suite struct ExportImageTests {
    static let photo = TestImages.png(width: 90, height: 60, red: 30, green: 150, blue: 90)
    static let webp = Data("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8) + Data(count: 32)

    func library() throws -> (TemporaryLibrary, Item) {
        let temporary = try TemporaryLibrary()
        var draft = ItemDraft(title: "Port strike", text: "Ships wait offshore.\n\nTalks resume on Thursday.")
        draft.url = "https://ledger.example.com/strike"
        draft.language = "en"
        draft.html = """
            <p>Ships wait offshore.</p><figure><img src="https://ledger.example.com/photo.png" alt="Pickets" />\
            <figcaption>Pickets at the gate.</figcaption></figure><p><img src="https://ledger.example.com/chart.webp" \
            alt="Chart" /></p><p>Talks resume on Thursday.</p>
            """
        draft.images = [
            ArticleImageAsset(
                url: "https://ledger.example.com/photo.png", asset: try #require(ImageAsset(data: Self.photo))
            ),
            ArticleImageAsset(
                url: "https://ledger.example.com/chart.webp", asset: try #require(ImageAsset(data: Self.webp))
            ),
        ]
        let item = try temporary.library.add(draft).item
        var plain = ItemDraft(title: "Rainfall", text: "It rained more than ever.")
        plain.url = "https://valley.example/rain"
        try temporary.library.add(plain)
        return (temporary, item)
    }

    @Test func testHTMLExportHoldsItsImagesAndShowsThemInABrowser() throws {
        let (temporary, _) = try library()
        let path = temporary.directory.path("reading.html")
        #expect(try ReadingExport(library: temporary.library).write(.html, to: path) == 2)
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.contains("data:image/png;base64,\(Self.photo.base64EncodedString())"))
        #expect(html.contains("<figcaption>Pickets at the gate.</figcaption>"))
        #expect(html.contains("data:image/webp;base64,"))
        guard HeadlessChromium.installed != nil else { return }
        let shot = try HeadlessChromium.screenshot(of: path, profileIn: temporary.directory)
        let pixels = try #require(PNGPixels(try Data(contentsOf: URL(fileURLWithPath: shot))))
        #expect(pixels.count(red: 30, green: 150, blue: 90) >= 90 * 60)
    }

    @Test func testEPUBStoresEachCoreImageOnceAndLinksTheRest() throws {
        let (temporary, _) = try library()
        let path = temporary.directory.path("reading.epub")
        #expect(try ReadingExport(library: temporary.library).write(.epub, to: path) == 2)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        let images = archive.filter { $0.path.hasPrefix("OEBPS/image-") }
        #expect(images.map(\.path).allSatisfy { $0.hasSuffix(".png") } && images.count == 1)
        #expect(images.allSatisfy { $0.compressedSize == $0.uncompressedSize })
        var opf = Data()
        _ = try archive.extract(try #require(archive["OEBPS/content.opf"])) { opf.append($0) }
        #expect(String(decoding: opf, as: UTF8.self).contains(#"media-type="image/png""#))
    }

    @Test(
        .enabled(
            if: FileManager.default.fileExists(atPath: "/usr/share/java/epubcheck.jar"),
            "epubcheck is not installed: scripts/install-dependencies adds Debian's epubcheck"))
    func testEPUBWithImagesPassesEpubcheck() throws {
        let (temporary, _) = try library()
        let path = temporary.directory.path("reading.epub")
        try ReadingExport(library: temporary.library).write(.epub, to: path)
        let check = try CommandLineRunner.run(
            URL(fileURLWithPath: "/usr/bin/java"), ["-jar", "/usr/share/java/epubcheck.jar", path])
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
    }

    @Test func testMarkdownExportWritesImagesBesideTheArticle() throws {
        let (temporary, item) = try library()
        let folder = temporary.directory.path("notes")
        try ReadingExport(library: temporary.library).write(.markdown, to: folder)
        let name = "port-strike-\(item.id.suffix(8).lowercased()).md"
        let markdown = try String(contentsOfFile: "\(folder)/\(name)", encoding: .utf8)
        let image = ReadingExport.imageFileName(try #require(ImageAsset(data: Self.photo)))
        #expect(markdown.contains("![Pickets](\(image))"))
        #expect(FileManager.default.contents(atPath: "\(folder)/\(image)") == Self.photo)
        // A second export replaces the first, images and all.
        try ReadingExport(library: temporary.library).write(.markdown, to: folder)
        #expect(FileManager.default.fileExists(atPath: "\(folder)/\(image)"))
    }
}
