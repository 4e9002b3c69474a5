import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// Images travel in bundles once, are checked on the way in, and a bundle never carries an
/// image the peer already holds.
@Suite struct ArticleImageSyncTests {
    static let photo = TestImages.png(width: 64, height: 48, red: 10, green: 120, blue: 200)

    static func draft(_ number: Int) throws -> ItemDraft {
        var draft = Fixtures.draft(number)
        draft.html = #"<figure><img src="https://x.example/photo.png" /></figure>"#
        draft.images = [
            ArticleImageAsset(
                url: "https://x.example/photo.png", asset: try #require(ImageAsset(data: photo)))
        ]
        return draft
    }

    @Test func testImagesTravelOnceAndALaterArticleWithTheSameImageDoesNotCarryIt() throws {
        let (laptop, phone) = try BundleTests.pair()
        let first = try laptop.library.add(Self.draft(1)).item
        let (header, set) = try phone.sync.verifiedBundle(at: try laptop.bundle(for: phone))
        #expect(header.assets == 1 && set.assets.values.map(\.data) == [Self.photo])
        try laptop.send(to: phone)
        #expect(
            try phone.library.articleImages(ofItem: first.id).mapValues(\.data) == [
                "https://x.example/photo.png": Self.photo
            ])
        try phone.send(to: laptop)
        try laptop.library.add(Self.draft(2))
        let (later, laterSet) = try phone.sync.verifiedBundle(at: try laptop.bundle(for: phone))
        #expect(later.assets == 0 && laterSet.assets.isEmpty)
        try laptop.send(to: phone)
        #expect(try phone.state() == laptop.state())
        #expect(try phone.library.checkIntegrity().isEmpty)
    }

    @Test func testAChangeSetWhoseImageDoesNotMatchItsHashChangesNothing() throws {
        let (laptop, phone) = try BundleTests.pair()
        try laptop.library.add(Self.draft(1))
        var set = try laptop.library.changes()
        let hash = try #require(set.assets.keys.first)
        set.assets[hash] = ImageAsset(data: TestImages.png(red: 1, green: 2, blue: 3))
        #expect(throws: LibraryError.self) { try phone.library.apply(set) }
        #expect(try phone.library.items().isEmpty)
    }

    @Test func testADeviceWithImagesOffSyncsTheArticlesWithoutTheirImagesAndPassesThemOn() throws {
        let replicas = try Replica.pairedGroup(3)
        let (laptop, phone, tablet) = (replicas[0], replicas[1], replicas[2])
        try phone.library.setKeepsImages(false)
        let item = try laptop.library.add(Self.draft(1)).item
        try laptop.send(to: phone)
        #expect(try phone.library.items().map(\.id) == [item.id])
        #expect(try phone.library.imageStorage().images == 0 && phone.library.imageStorage().missing == 1)
        // The phone's bundle names the image without carrying it; the tablet takes the article
        // and can fetch the image itself.
        try phone.send(to: tablet)
        #expect(try tablet.library.items().map(\.id) == [item.id])
        #expect(try tablet.library.imageStorage().missing == 1)
        #expect(try tablet.library.checkIntegrity().isEmpty)
        #expect(try tablet.export() == laptop.export())
    }
}

/// Images no article needs any more are deleted by `doctor --repair`, and only then.
@Suite struct ImageCollectionTests {
    static let other = TestImages.png(width: 8, height: 8, red: 90, green: 90, blue: 90)

    @Test func testAnImageIsCollectedOnlyOnceEveryTrustedDeviceHasSeenItsArticleRemoved() throws {
        let (laptop, phone) = try BundleTests.pair()
        let item = try laptop.library.add(ArticleImageSyncTests.draft(1)).item
        try laptop.send(to: phone)
        try phone.send(to: laptop)
        try laptop.library.delete(item.id)
        #expect(try laptop.sync.collectImages().images == 0)
        try laptop.send(to: phone)
        try phone.send(to: laptop)
        let collected = try laptop.sync.collectImages()
        #expect(collected.images == 1 && collected.bytes == ArticleImageSyncTests.photo.count)
        #expect(try laptop.library.checkIntegrity().isEmpty)
        // Restored, the article names its image again and can fetch it.
        try laptop.library.restore(item.id)
        #expect(try laptop.library.articleImages(ofItem: item.id).isEmpty)
        #expect(try laptop.library.imageStorage().missing == 1)
    }

    @Test func testACollectedImageTravelsAgainWithTheNextArticleThatShowsIt() throws {
        let (laptop, phone) = try BundleTests.pair()
        let first = try laptop.library.add(ArticleImageSyncTests.draft(1)).item
        try laptop.send(to: phone)
        try laptop.library.delete(first.id)
        try laptop.send(to: phone)
        try phone.send(to: laptop)
        #expect(try laptop.sync.collectImages().images == 1)
        // The phone still holds the image and shows it in a new article: the laptop must get it.
        let second = try phone.library.add(ArticleImageSyncTests.draft(2)).item
        try phone.send(to: laptop)
        #expect(try laptop.library.articleImages(ofItem: second.id).count == 1)
    }

    @Test func testAnImageALiveArticleShowsOrOnceShowedIsKept() throws {
        let replica = try Replica()
        let library = replica.library
        let removed = try library.add(ArticleImageSyncTests.draft(1)).item
        var sharing = try ArticleImageSyncTests.draft(2)
        try library.add(sharing)
        try library.delete(removed.id)
        #expect(try replica.sync.collectImages().images == 0)
        // The second article's image replaced by another: the first stays in its history.
        sharing.images = [
            ArticleImageAsset(
                url: "https://x.example/photo.png", asset: try #require(ImageAsset(data: Self.other)))
        ]
        try library.add(sharing, force: true)
        #expect(try replica.sync.collectImages().images == 0)
        #expect(try library.imageStorage().images == 2)
    }
}
