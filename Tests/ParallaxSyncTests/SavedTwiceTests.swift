import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// One article saved on two devices before they sync (docs/bundle-format.md, "Saved twice").
@Suite struct SavedTwiceTests {
    static let address = "https://example.org/story"

    /// A laptop and a phone on one test clock that have never synced.
    static func devices() throws -> (Replica, Replica, TestClock) {
        let clock = TestClock()
        let replicas = try Replica.pairedGroup(
            2, environments: [.simulated(clock: clock, seed: 1), .simulated(clock: clock, seed: 2)])
        return (replicas[0], replicas[1], clock)
    }

    static func draft(title: String, text: String, tags: [String] = []) -> ItemDraft {
        var draft = Fixtures.draft(0, url: address + "?utm_source=feed")
        draft.title = title
        draft.text = text
        draft.tags = tags
        return draft
    }

    static func items(of replica: Replica) throws -> [Item] {
        var filter = ItemFilter()
        filter.includeDeleted = true
        return try replica.library.items(matching: filter)
    }

    @Test func sameAddressOnTwoDevicesBecomesOneItemWithBothDevicesTags() throws {
        let (laptop, phone, clock) = try Self.devices()
        let first = try laptop.library.add(Self.draft(title: "Story", text: "Laptop's copy.", tags: ["work"]))
            .item
        clock.advance(by: 60)
        let second = try phone.library.add(
            Self.draft(title: "Story (updated)", text: "Phone's copy.", tags: ["later"])
        )
        .item
        #expect(first.id == second.id)
        try exchange(laptop, phone)
        for replica in [laptop, phone] {
            let items = try Self.items(of: replica)
            #expect(items.count == 1)
            #expect(items.first?.tags == ["later", "work"])
            // The later save's article stands on both.
            #expect(items.first?.title == "Story (updated)")
            #expect(try items.first.map(replica.library.text(of:)) == "Phone's copy.")
        }
        #expect(try phone.state() == laptop.state())
    }

    @Test func readerStateFromBothSavesSurvivesWhicheverSaveIsLater() throws {
        let (laptop, phone, clock) = try Self.devices()
        let id = try laptop.library.add(Self.draft(title: "Story", text: "Text.")).item.id
        try laptop.library.mark(id, as: .read)
        try laptop.library.setNote(id, "Check the figures")
        _ = try laptop.library.addHighlight(id, quote: "Text.")
        // The phone saves the same article later, with every reader field at its default, then stars it.
        clock.advance(by: 3_600)
        _ = try phone.library.add(Self.draft(title: "Story", text: "Text."))
        try phone.library.setFavorite(id, true)
        try exchange(laptop, phone)
        for replica in [laptop, phone] {
            let item = try replica.library.resolve(id)
            #expect(item.readingState == .read)
            #expect(item.favorite)
            #expect(item.note == "Check the figures")
            #expect(try replica.library.highlights(of: item).map(\.quote) == ["Text."])
        }
        #expect(try phone.state() == laptop.state())
    }

    @Test func concurrentNotesOnTheTwoSavesAreBothKept() throws {
        let (laptop, phone, clock) = try Self.devices()
        var draft = Self.draft(title: "Story", text: "Text.")
        draft.note = "from the laptop"
        let id = try laptop.library.add(draft).item.id
        clock.advance(by: 10)
        draft.note = "from the phone"
        _ = try phone.library.add(draft)
        try exchange(laptop, phone)
        try exchange(laptop, phone)
        let note = try laptop.library.resolve(id).note ?? ""
        #expect(note.contains("from the laptop") && note.contains("from the phone"))
        #expect(try phone.state() == laptop.state())
    }

    @Test func aLaterSaveWithoutAnAuthorOrDateClearsThemOnBothDevices() throws {
        let (laptop, phone, clock) = try Self.devices()
        var draft = Self.draft(title: "Story", text: "Laptop's copy.")
        draft.byline = "Jane Doe"
        draft.published = "2020-01-02"
        let id = try laptop.library.add(draft).item.id
        clock.advance(by: 60)
        var later = Self.draft(title: "Story", text: "Phone's copy.")
        later.source = nil
        later.published = nil
        _ = try phone.library.add(later)
        try exchange(laptop, phone)
        for replica in [laptop, phone] {
            let item = try replica.library.resolve(id)
            #expect(item.byline == nil && item.published == nil && item.source == nil)
        }
        #expect(try phone.state() == laptop.state())
    }

    @Test(arguments: [false, true])
    func aLinkSavedWithoutItsPageNeverReplacesTheArticle(linkIsLater: Bool) throws {
        let (laptop, phone, clock) = try Self.devices()
        let link = ItemDraft(title: "From my reading list", text: "")
        var linkDraft = link
        linkDraft.url = Self.address
        let article = Self.draft(title: "Story", text: "The whole article.")
        let (first, second) = linkIsLater ? (laptop, phone) : (phone, laptop)
        let id = try first.library.add(linkIsLater ? article : linkDraft).item.id
        clock.advance(by: 60)
        _ = try second.library.add(linkIsLater ? linkDraft : article)
        try exchange(laptop, phone)
        for replica in [laptop, phone] {
            let item = try replica.library.resolve(id)
            #expect(try replica.library.text(of: item) == "The whole article." && item.title == "Story")
        }
        #expect(try phone.state() == laptop.state())
    }

    @Test func concurrentLongNotesAreBothKeptWhole() throws {
        let (laptop, phone, clock) = try Self.devices()
        let id = try laptop.library.add(Self.draft(title: "Story", text: "Text.")).item.id
        try exchange(laptop, phone)
        try laptop.library.setNote(id, String(repeating: "a", count: 80_000))
        clock.advance(by: 5)
        try phone.library.setNote(id, String(repeating: "b", count: 80_000))
        try exchange(laptop, phone)
        try exchange(laptop, phone)
        let note = try laptop.library.resolve(id).note ?? ""
        #expect(note.filter { $0 == "a" }.count == 80_000 && note.filter { $0 == "b" }.count == 80_000)
        #expect(try phone.state() == laptop.state())
    }

    @Test func anEditMadeBeforeTheOtherSaveKeepsItsTitle() throws {
        let (laptop, phone, clock) = try Self.devices()
        var draft = Self.draft(title: "Story", text: "Text.")
        let id = try laptop.library.add(draft).item.id
        draft.title = "My title for it"
        _ = try laptop.library.add(draft, force: true)
        clock.advance(by: 60)
        draft.title = "Fetched title"
        _ = try phone.library.add(draft)
        try exchange(laptop, phone)
        // An edit is a choice; a save's title is what the page said. Either way both agree.
        #expect(try laptop.library.resolve(id).title == phone.library.resolve(id).title)
        #expect(try phone.state() == laptop.state())
    }

    @Test func aSaveLaterThanARemovalOnTheOtherDeviceKeepsTheArticle() throws {
        let (laptop, phone, clock) = try Self.devices()
        let id = try laptop.library.add(Self.draft(title: "Story", text: "Text.")).item.id
        try laptop.library.delete(id)
        clock.advance(by: 60)
        _ = try phone.library.add(Self.draft(title: "Story", text: "Text."))
        try exchange(laptop, phone)
        #expect(try laptop.library.resolve(id).deleted == false)
        #expect(try phone.state() == laptop.state())
    }

    @Test func savingARemovedArticleAgainBringsBackTheSameItem() throws {
        let (laptop, phone, _) = try Self.devices()
        let id = try laptop.library.add(Self.draft(title: "Story", text: "Text.", tags: ["a"])).item.id
        try laptop.send(to: phone)
        try phone.library.delete(id)
        try phone.send(to: laptop)
        let outcome = try laptop.library.add(
            Self.draft(title: "Story, again", text: "Text, again.", tags: ["b"]))
        #expect(outcome.item.id == id)
        #expect(outcome.item.deleted == false)
        #expect(outcome.item.title == "Story, again")
        #expect(try Self.items(of: laptop).count == 1)
        try exchange(laptop, phone)
        #expect(try phone.library.resolve(id).tags == ["a", "b"])
        #expect(try phone.state() == laptop.state())
    }

    @Test func threeDevicesSavingOneAddressConvergeInAnyOrder() throws {
        let clock = TestClock()
        let replicas = try Replica.pairedGroup(
            3, environments: (1...3).map { .simulated(clock: clock, seed: UInt64($0)) })
        for (index, replica) in replicas.enumerated() {
            clock.advance(by: 7)
            let id = try replica.library.add(Self.draft(title: "Story \(index)", text: "Copy \(index).")).item
                .id
            try replica.library.updateTags(id, adding: ["from-\(index)"], removing: [])
        }
        try replicas[2].send(to: replicas[1])
        try replicas[1].send(to: replicas[0])
        try replicas[0].send(to: replicas[2])
        for _ in 0..<2 {
            for sender in replicas {
                for receiver in replicas where receiver !== sender { try sender.send(to: receiver) }
            }
        }
        let states = try replicas.map { try $0.state() }
        #expect(states[1] == states[0] && states[2] == states[0])
        let items = try Self.items(of: replicas[0])
        #expect(items.count == 1)
        #expect(items.first?.tags == ["from-0", "from-1", "from-2"])
        #expect(items.first?.title == "Story 2")
    }

    /// Two items of one article: the phone's, and the laptop's made by an earlier version, which
    /// gave every item a random id.
    static func duplicates() throws -> (Replica, Replica, kept: String, folded: String) {
        let (laptop, phone, clock) = try Self.devices()
        let earlier = try Replica(environment: .simulated(clock: clock, seed: 3))
        _ = try earlier.library.add(Self.draft(title: "Story", text: "Laptop text.", tags: ["laptop"]))
        try laptop.library.apply(Fixtures.asSavedByAnEarlierVersion(try earlier.library.changes()))
        let folded = try #require(try laptop.library.items().first).id
        try laptop.library.mark(folded, as: .read)
        try laptop.library.setNote(folded, "laptop note")
        _ = try laptop.library.addHighlight(folded, quote: "Laptop text.")
        clock.advance(by: 60)
        let kept = try phone.library.add(Self.draft(title: "Story", text: "Phone text.", tags: ["phone"]))
            .item.id
        try phone.library.setNote(kept, "phone note")
        try exchange(laptop, phone)
        return (laptop, phone, kept, folded)
    }

    @Test func doctorsRepairFoldsDuplicatesIntoTheAddressItemAndTheFoldSyncs() throws {
        let (laptop, phone, kept, folded) = try Self.duplicates()
        #expect(
            try laptop.library.duplicateArticles()
                == [DuplicateArticles(address: Self.address, kept: kept, folded: [folded])])
        #expect(try laptop.library.foldDuplicateArticles() == 1)
        try exchange(laptop, phone)
        for replica in [laptop, phone] {
            #expect(try replica.library.duplicateArticles().isEmpty)
            let item = try replica.library.resolve(kept)
            #expect(item.tags == ["laptop", "phone"] && item.readingState == .read)
            #expect(item.note == "phone note\n\nlaptop note")
            #expect(try replica.library.highlights(of: item).map(\.quote) == ["Laptop text."])
            #expect(try replica.library.resolve(folded).deleted)
        }
        #expect(try phone.state() == laptop.state())
    }

    @Test func twoDevicesRepairingAtOnceMakeTheSameFold() throws {
        let (laptop, phone, kept, _) = try Self.duplicates()
        try laptop.library.foldDuplicateArticles()
        try phone.library.foldDuplicateArticles()
        try exchange(laptop, phone)
        try exchange(laptop, phone)
        #expect(try laptop.library.highlights(of: laptop.library.resolve(kept)).count == 1)
        #expect(try phone.state() == laptop.state())
    }
}
