import Foundation
import ParallaxTestSupport
import Testing

@testable import ParallaxExport
@testable import ParallaxStore

/// The page `parallax open` writes: the stored HTML goes through the allow-list again, kept
/// images are inlined, and the page can run nothing.
@Suite struct ArticlePageTests {
    static func record(html: String?) -> ItemRecord {
        let item = Item(
            id: "01hz0000000000000000000000", url: "https://news.example.com/port", canonicalURL: nil,
            title: "Port <strike>", byline: nil, source: "Ledger", published: "2024-03-05",
            saved: "2024-03-05",
            language: "en", contentHash: String(repeating: "0", count: 64), wordCount: 4,
            readingState: .unread,
            progress: 0, archived: false, favorite: false, note: nil, deleted: false, tags: [])
        return ItemRecord(item: item, text: "Ships wait offshore.", highlights: [], html: html)
    }

    @Test func testStoredHTMLIsSanitizedAgainAndKeptImagesAreInlined() throws {
        // A peer's bundle could carry markup no sanitizer of ours wrote: the page cleans it anyway.
        let html =
            #"<p onclick="x()">Ships <script>steal()</script>wait.</p><img src="/a.png" alt="A"><img src="/b.png">"#
        let image = try #require(ImageAsset(data: TestImages.png()))
        let page = ArticlePage.render(
            Self.record(html: html), images: ["https://news.example.com/a.png": image])
        #expect(page.contains("<p>Ships wait.</p>"))
        #expect(
            page.contains(
                #"<img src="data:image/png;base64,\#(image.data.base64EncodedString())" alt="A" />"#))
        #expect(page.contains(#"<a href="https://news.example.com/b.png">[image, not kept offline]</a>"#))
        #expect(page.contains("<title>Port &lt;strike&gt;</title>"))
        #expect(page.contains("default-src 'none'; img-src data:"))
        for unwanted in ["script", "onclick", "steal"] { #expect(!page.contains(unwanted)) }
    }

    @Test func testArticleWithoutHTMLShowsItsText() {
        #expect(
            ArticlePage.render(Self.record(html: nil), images: [:]).contains("<p>Ships wait offshore.</p>"))
    }

    @Test func testAnImageNamedManyTimesIsHeldInThePageOnce() throws {
        let image = try #require(ImageAsset(data: TestImages.png()))
        let html = String(repeating: #"<p><img src="/a.png" alt="A"></p>"#, count: 50)
        let page = ArticlePage.render(
            Self.record(html: html), images: ["https://news.example.com/a.png": image])
        #expect(page.components(separatedBy: image.data.base64EncodedString()).count == 2)
        #expect(page.components(separatedBy: "[A, shown above]").count == 50)
    }
}
