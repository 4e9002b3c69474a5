import Foundation
import GRDB
import ParallaxTestSupport
import Testing

@testable import ParallaxStore

/// Images are assets: told by their bytes, stored once by hash, named by an item's `images`
/// field, and checked by `doctor`.
@Suite struct ImageAssetTests {
    static let red = TestImages.png(red: 220, green: 20, blue: 20)
    static let blue = TestImages.png(red: 20, green: 20, blue: 220)

    static func draft(_ number: Int, images: [(String, Data)]) throws -> ItemDraft {
        var draft = Fixtures.draft(number)
        draft.html = images.map { #"<p><img src="\#($0.0)" /></p>"# }.joined()
        draft.images = try images.map {
            ArticleImageAsset(url: $0.0, asset: try #require(ImageAsset(data: $0.1)))
        }
        return draft
    }

    @Test func testFormatsAreToldByTheirBytesNotByTheirNames() {
        #expect(ImageType(detecting: Self.red) == .png)
        #expect(ImageType(detecting: Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10])) == .jpeg)
        #expect(ImageType(detecting: Data("GIF89a\u{1}\u{0}".utf8)) == .gif)
        #expect(ImageType(detecting: Data("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .webp)
        #expect(ImageType(detecting: Data([0, 0, 0, 0x1C]) + Data("ftypavif".utf8)) == .avif)
        #expect(ImageType(detecting: Data("<html><body>not an image</body></html>".utf8)) == nil)
        #expect(ImageType(detecting: Data(#"<svg xmlns="http://www.w3.org/2000/svg"/>"#.utf8)) == nil)
        #expect(ImageType(detecting: Data()) == nil)
    }

    @Test func testAnImageShownByTwoArticlesIsStoredOnce() throws {
        let temporary = try TemporaryLibrary()
        let library = temporary.library
        let first = try library.add(Self.draft(1, images: [("https://x.example/a.png", Self.red)])).item
        let second = try library.add(
            Self.draft(
                2, images: [("https://y.example/copy.png", Self.red), ("https://y.example/b.png", Self.blue)])
        ).item
        #expect(
            try library.articleImages(ofItem: first.id).mapValues(\.data) == [
                "https://x.example/a.png": Self.red
            ])
        #expect(try library.articleImages(ofItem: second.id).count == 2)
        let stored = try library.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM asset")
        }
        #expect(stored == 2)
        let statistics = try library.statistics()
        #expect(statistics.images == 2 && statistics.imageBytes == Self.red.count + Self.blue.count)
        #expect(try library.checkIntegrity().isEmpty)
    }

    @Test func testAMislabelledImageFailsTheDraftBeforeAnythingIsWritten() throws {
        let temporary = try TemporaryLibrary()
        var draft = try Self.draft(1, images: [("https://x.example/a.png", Self.red)])
        draft.images[0].asset.data = Data("<html>a page served as image/png</html>".utf8)
        #expect(throws: LibraryError.self) { try temporary.library.add(draft) }
        #expect(try temporary.library.items().isEmpty)
    }

    @Test func testDoctorFindsAnImageThatNoLongerMatchesItsHash() throws {
        let temporary = try TemporaryLibrary()
        try temporary.library.add(Self.draft(1, images: [("https://x.example/a.png", Self.red)]))
        try temporary.library.database.write { db in
            try db.execute(sql: "UPDATE asset SET data = ?", arguments: [Self.blue])
        }
        #expect(try temporary.library.checkIntegrity().map(\.check) == ["images"])
    }

    @Test func testAnItemMayNameAnImageTheLibraryDoesNotHold() throws {
        // As it does when the image came through a device that keeps no images.
        let temporary = try TemporaryLibrary()
        let item = try temporary.library.add(Fixtures.draft(1)).item
        let unknown = ImageReferences(["https://x.example/a.png": String(repeating: "0", count: 64)]).json
        try temporary.library.write("name an image") { writer in
            let seq = try #require(
                try Int64.fetchOne(writer.db, sql: "SELECT seq FROM item WHERE id = ?", arguments: [item.id]))
            try writer.setItemField(seq, .images, to: unknown.databaseValue)
        }
        #expect(try temporary.library.articleImages(ofItem: item.id).isEmpty)
        #expect(try temporary.library.imageStorage().missing == 1)
        #expect(try temporary.library.checkIntegrity().isEmpty)
    }

    @Test func testWithImagesOffNewImagesAreNamedButNotStoredAndDroppingFreesTheHeldOnes() throws {
        let temporary = try TemporaryLibrary()
        let library = temporary.library
        try library.add(Self.draft(1, images: [("https://x.example/a.png", Self.red)]))
        try library.setKeepsImages(false)
        let later = try library.add(Self.draft(2, images: [("https://x.example/b.png", Self.blue)])).item
        #expect(try library.articleImages(ofItem: later.id).isEmpty)
        #expect(
            try library.imageStorage()
                == ImageStorage(keepsImages: false, images: 1, bytes: Self.red.count, missing: 1))
        let before = try library.setKeepsImages(false, dropKept: true)
        #expect(before.images == 1)
        #expect(
            try library.imageStorage() == ImageStorage(keepsImages: false, images: 0, bytes: 0, missing: 2))
        #expect(try library.checkIntegrity().isEmpty)
    }

    @Test func testImagesDroppedOnThisDeviceAreHeldAgainWhenFetchedAgain() throws {
        let temporary = try TemporaryLibrary()
        let library = temporary.library
        let item = try library.add(Self.draft(1, images: [("https://x.example/a.png", Self.red)])).item
        try library.setKeepsImages(false, dropKept: true)
        try library.setKeepsImages(true)
        #expect(try library.articleImages(ofItem: item.id).isEmpty)
        let image = ArticleImageAsset(
            url: "https://x.example/a.png", asset: try #require(ImageAsset(data: Self.red)))
        #expect(try library.keepMedia(of: item.id, images: [image]) == 1)
        #expect(
            try library.articleImages(ofItem: item.id).mapValues(\.data) == [
                "https://x.example/a.png": Self.red
            ])
        #expect(try library.keepMedia(of: item.id, images: [image]) == 0)
        #expect(try library.imageStorage().missing == 0)
    }
}
