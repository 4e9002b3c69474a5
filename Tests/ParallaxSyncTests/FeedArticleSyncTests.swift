import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// Articles feeds bring in, and the feeds a reader follows, across devices
/// (docs/bundle-format.md, "Feeds").
@Suite struct FeedArticleSyncTests {
    static let feedAddress = "https://news.example.com/feed.xml"
    static let feedID = ItemID.forAddress(feedAddress)

    static func feedDraft(_ number: Int, entry: String? = nil) -> ItemDraft {
        var draft = Fixtures.draft(number, url: "https://news.example.com/story/\(number)")
        draft.feedEntry = FeedEntryOrigin(feed: feedID, entry: entry ?? "tag:news.example.com,2026:\(number)")
        return draft
    }

    static func everyItem(of replica: Replica) throws -> [Item] {
        var filter = ItemFilter()
        filter.includeDeleted = true
        return try replica.library.items(matching: filter)
    }

    @Test func feedArticleStaysOffTheListUntilTheReaderSavesIt() throws {
        let (laptop, _, _) = try SavedTwiceTests.devices()
        let added = try laptop.library.add(Self.feedDraft(1)).item
        #expect(!added.listed && added.feed == Self.feedID)
        var listed = ItemFilter()
        listed.listed = true
        #expect(try laptop.library.items(matching: listed).isEmpty)
        #expect(try laptop.library.items().count == 1, "events and reports see it all the same")
        // Saving the same address by hand puts it on the list; it is not a second item.
        let saved = try laptop.library.add(Fixtures.draft(1, url: "https://news.example.com/story/1"))
        #expect(saved == .added(try laptop.library.resolve(added.id)))
        #expect(try laptop.library.items(matching: listed).map(\.id) == [added.id])
    }

    @Test func entryKnownByItsKeyIsNotSavedAgainUnderANewAddress() throws {
        let (laptop, _, _) = try SavedTwiceTests.devices()
        _ = try laptop.library.add(Self.feedDraft(1, entry: "guid-1"))
        var moved = Self.feedDraft(2, entry: "guid-1")
        moved.url = "https://news.example.com/story/1-updated"
        guard case .duplicate(_, .entry) = try laptop.library.add(moved) else {
            Issue.record("an entry seen before was saved again")
            return
        }
        #expect(try laptop.library.holdsFeedArticle(url: nil, entry: "guid-1"))
        #expect(
            try laptop.library.holdsFeedArticle(
                url: "https://news.example.com/story/1?utm_source=rss", entry: nil))
        #expect(
            try !laptop.library.holdsFeedArticle(url: "https://news.example.com/story/9", entry: "guid-9"))
    }

    @Test func removedFeedArticleIsNeverBroughtBackByAFeedOnAnyDevice() throws {
        let (laptop, phone, clock) = try SavedTwiceTests.devices()
        let id = try laptop.library.add(Self.feedDraft(1)).item.id
        try laptop.library.delete(id)
        #expect(try laptop.library.holdsFeedArticle(url: "https://news.example.com/story/1", entry: nil))
        guard case .duplicate = try laptop.library.add(Self.feedDraft(1)) else {
            Issue.record("the feed brought back a removed article on the same device")
            return
        }
        // The phone's feed brings the entry in later, before the devices sync.
        clock.advance(by: 3_600)
        _ = try phone.library.add(Self.feedDraft(1))
        try exchange(laptop, phone)
        for replica in [laptop, phone] {
            let items = try Self.everyItem(of: replica)
            #expect(items.count == 1 && items.allSatisfy(\.deleted), "\(items)")
        }
        #expect(try phone.state() == laptop.state())
    }

    @Test func articleSavedByHandOnOneDeviceIsOnTheListOnBoth() throws {
        let (laptop, phone, clock) = try SavedTwiceTests.devices()
        _ = try laptop.library.add(Fixtures.draft(1, url: "https://news.example.com/story/1"))
        clock.advance(by: 60)
        // Later, and with a text: it would win as a creation, but a save by hand wins over a feed's.
        _ = try phone.library.add(Self.feedDraft(1))
        try exchange(laptop, phone)
        for replica in [laptop, phone] {
            let items = try Self.everyItem(of: replica)
            #expect(items.count == 1 && items[0].listed && items[0].feed == nil, "\(items)")
        }
        #expect(try phone.state() == laptop.state())
    }

    @Test func feedFollowedOnTwoDevicesIsOneSubscriptionAndUnfollowingTravels() throws {
        let (laptop, phone, clock) = try SavedTwiceTests.devices()
        try laptop.library.follow(url: Self.feedAddress, title: "Example News", tags: ["world"])
        clock.advance(by: 60)
        try phone.library.follow(url: Self.feedAddress + "?utm_source=x", source: "Example")
        try exchange(laptop, phone)
        for replica in [laptop, phone] {
            let feeds = try replica.library.subscriptions()
            #expect(feeds.count == 1 && feeds[0].id == Self.feedID, "\(feeds)")
        }
        #expect(try phone.state() == laptop.state())
        clock.advance(by: 60)
        try phone.library.unfollow(Self.feedID)
        try laptop.library.updateSubscription(Self.feedID, url: "https://news.example.com/rss/new.xml")
        try exchange(laptop, phone)
        for replica in [laptop, phone] {
            let feeds = try replica.library.subscriptions(includeUnfollowed: true)
            #expect(feeds.count == 1 && feeds[0].deleted && feeds[0].url.hasSuffix("/rss/new.xml"))
            #expect(try replica.library.subscriptions().isEmpty)
        }
        #expect(try phone.state() == laptop.state())
    }

    @Test func outletSeveralFeedsShareIsAmbiguousAndAKeptRemovalIsRefused() throws {
        let (laptop, _, _) = try SavedTwiceTests.devices()
        try laptop.library.follow(url: Self.feedAddress, source: "Example")
        try laptop.library.follow(url: "https://news.example.com/world.xml", source: "Example")
        #expect {
            try laptop.library.unfollow("example")
        } throws: { error in
            guard case LibraryError.ambiguousItem(_, let candidates) = error else { return false }
            return candidates.count == 2
        }
        #expect(try laptop.library.subscriptions().count == 2)
        let id = try laptop.library.add(Self.feedDraft(1)).item.id
        try laptop.library.delete(id)
        #expect(throws: LibraryError.self) { try laptop.library.saveToList(id) }
        #expect(!(try laptop.library.resolve(id).listed))
    }

    @Test func feedRecordWithAnAddressOfAnotherSchemeIsRefused() throws {
        let (laptop, _, _) = try SavedTwiceTests.devices()
        try laptop.library.follow(url: Self.feedAddress)
        let record = try laptop.library.changes().records[0]
        try record.validate()
        // Every record of a bundle is validated as it is read (PayloadParser).
        var forged = record
        forged.row?["url"] = .text("file:///etc/passwd")
        #expect(throws: LibraryError.self) { try forged.validate() }
        forged = record
        forged.field = "added"
        forged.value = .text("2026-01-01T00:00:00Z")
        #expect(throws: LibraryError.self) { try forged.validate() }
        #expect(throws: LibraryError.self) { try laptop.library.follow(url: "javascript:alert(1)") }
    }
}
