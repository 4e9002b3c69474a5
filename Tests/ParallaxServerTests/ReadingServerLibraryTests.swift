import Foundation
import HTTPTypes
import HummingbirdTesting
import ParallaxServer
import ParallaxStore
import ParallaxSync
import ParallaxTestSupport
import Testing

@Suite("Reading app over the library")
struct ReadingServerLibraryTests {
    @Test func testStoredArticleHTMLIsShownOnlyThroughTheSanitizerWithItsImagesServed() async throws {
        let fixture = try ServerFixture()
        let png = TestImages.png()
        var draft = ItemDraft(
            title: "Figures of the strike", text: "The strike in figures. Ships waited offshore.")
        draft.url = "https://harbour.example/figures"
        draft.html = """
            <p onclick="alert(1)">The strike in figures.</p><script>alert(2)</script>
            <figure><img src="https://harbour.example/chart.png" alt="chart"></figure>
            <p><a href="javascript:alert(3)">Ships</a> waited offshore.</p><iframe src="https://evil.example"></iframe>
            """
        draft.images = [
            ArticleImageAsset(
                url: "https://harbour.example/chart.png", asset: try #require(ImageAsset(data: png)))
        ]
        let item = try await fixture.library.add(draft).item
        try await fixture.test { browser in
            try await browser.signIn()
            let page = try await browser.get("/items/\(item.id)").text
            #expect(page.contains("The strike in figures."))
            for forbidden in ["<script>alert", "onclick", "javascript:", "<iframe"] {
                #expect(!page.contains(forbidden), "\(forbidden)")
            }
            let range = try #require(page.range(of: #"<img src="/items/"#))
            let source = "/items/" + page[range.upperBound...].prefix { $0 != "\"" }
            let image = try await browser.get(source)
            #expect(image.status == .ok)
            #expect(image.headers[.contentType] == "image/png")
            #expect(Data(buffer: image.body) == png)
            #expect(try await browser.get("/items/\(item.id)/images/0000").status == .notFound)
        }
    }

    @Test func testTheSyncButtonSyncsThroughAFolderRemoteAndTheStatusShowsIt() async throws {
        let fixture = try ServerFixture()
        let folder = TemporaryDirectory()
        try FileManager.default.createDirectory(
            atPath: folder.path("remote"), withIntermediateDirectories: false)
        try SyncRemotes(library: fixture.library).add(name: "stick", location: folder.path("remote"))
        try await fixture.test { browser in
            try await browser.signIn()
            let status = try await browser.get("/sync").text
            #expect(status.contains("stick"))
            #expect(status.contains(fixture.library.deviceID))
            let response = try await browser.post("/sync/run", [("remote", "stick")])
            #expect(response.status == .ok)
            #expect(response.text.contains("Synced through"))
            let unknown = try await browser.post("/sync/run", [("remote", "usb")])
            #expect(unknown.status == .notFound)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path("remote"))
        #expect(files.contains { $0.hasSuffix(".pxb") })
        // A second device pulls what the button pushed.
        let other = try TemporaryLibrary()
        let otherSync = try LibrarySync(library: other.library)
        try otherSync.trust(keyLine: try LibrarySync(library: fixture.library).publicKeyLine)
        _ = try otherSync.pull(from: FolderTransport(path: folder.path("remote")))
        #expect(try other.library.items().count == fixture.items.count)
    }

    @Test func testTheServerAndAnotherWriterShareTheLibraryWithoutLosingAChange() async throws {
        let fixture = try ServerFixture()
        // Another process: its own connection to the same file, writing while the server does.
        let writer = try Library.open(at: fixture.temporary.path)
        let ids = fixture.items.map(\.id)
        let other = Task.detached {
            for round in 0..<40 {
                try writer.updateTags(ids[round % ids.count], adding: ["cli-\(round)"], removing: [])
            }
        }
        try await fixture.test { browser in
            try await browser.signIn()
            for round in 0..<40 {
                let response = try await browser.post(
                    "/items/\(ids[round % ids.count])/tags", [("add", "web-\(round)")])
                #expect(response.status == .seeOther)
            }
        }
        try await other.value
        var tags = Set<String>()
        for id in ids { tags.formUnion(try await fixture.library.resolve(id).tags) }
        #expect(tags == Set((0..<40).flatMap { ["cli-\($0)", "web-\($0)"] }))
        #expect(try fixture.library.checkIntegrity().isEmpty)
    }
}
