import Foundation
import ParallaxTestSupport
import Testing

@testable import ParallaxFraming
@testable import ParallaxStore

/// The grouping of a library into events is kept in it and read back until its articles change.
@Suite struct StoredGroupingTests {
    static func story(_ source: String, _ twist: String) -> ItemDraft {
        var draft = ItemDraft(
            title: "Dockworkers strike closes the port of Rotterdam",
            text: """
                Dockworkers at the port of Rotterdam walked out on Tuesday after talks over automated cranes \
                failed, and cargo ships queued outside the harbour as the strike closed every terminal. \(twist)
                """)
        draft.source = source
        draft.published = "2024-03-05"
        return draft
    }

    static func library() throws -> (TemporaryLibrary, [String]) {
        let temporary = try TemporaryLibrary()
        let ids = try [
            story("Harbour Times", "Union leaders said the walkout would last a week."),
            story("Port Wire", "Shipping companies said the strike would cost millions a day."),
        ].map { try temporary.library.add($0).item.id }
        return (temporary, ids)
    }

    @Test func testTheGroupingIsStoredAndReadUntilTheArticlesChange() throws {
        let (temporary, ids) = try Self.library()
        let events = LibraryEvents(library: temporary.library)
        let settings = "\(events.grouper)"
        #expect(try events.events().map(\.items.count) == [2])
        #expect(try temporary.library.groupingIsCurrent(grouper: settings))
        // A current stored grouping is read, not made again: store a different one.
        try temporary.library.database.write { db in
            try db.execute(sql: "UPDATE grouping_article SET event = item")
        }
        #expect(try events.events().map(\.items.count) == [1, 1])
        // Reading state is not grouped on: the stored grouping stays current.
        _ = try temporary.library.mark(ids[0], as: .read)
        #expect(try events.events().map(\.items.count) == [1, 1])
        // A new article makes it stale; a library grown by a quarter is grouped again from scratch.
        var other = ItemDraft(
            title: "Snow closes schools", text: "Heavy snow closed schools across the state on Monday.")
        other.source = "Weather Desk"
        _ = try temporary.library.add(other)
        #expect(try !temporary.library.groupingIsCurrent(grouper: settings))
        #expect(try events.events().map(\.items.count) == [2, 1])
        #expect(try temporary.library.groupingIsCurrent(grouper: settings))
        // So does a change to a grouped field, and other grouper settings.
        try temporary.library.setEvent(ids[1], of: [ids[1]])
        #expect(try !temporary.library.groupingIsCurrent(grouper: settings))
        _ = try events.events()
        var stricter = events
        stricter.grouper.mutualThreshold = 0.9
        #expect(try !temporary.library.groupingIsCurrent(grouper: "\(stricter.grouper)"))
    }

    /// A window read from the stored grouping holds what the whole library's events hold on
    /// those dates, ids included, whether or not the grouping had to be made first.
    @Test func testAWindowOfEventsMatchesTheWholeLibrarysEventsOnThoseDates() throws {
        let (temporary, _) = try Self.library()
        var later = Self.story("Harbour Times", "A second walkout began a month later.")
        later.title = "Dockworkers strike again at the port of Rotterdam"
        later.published = "2024-04-09"
        _ = try temporary.library.add(later)
        let events = LibraryEvents(library: temporary.library)
        let stale = try events.events(since: "2024-04-01")
        let all = try events.events()
        let current = try events.events(since: "2024-04-01")
        let expected = all.compactMap { event -> [String]? in
            let kept = event.items.filter { ($0.published ?? $0.saved) >= "2024-04-01" }.map(\.id)
            return kept.isEmpty ? nil : [event.id] + kept
        }
        #expect(stale.map { [$0.id] + $0.items.map(\.id) } == expected)
        #expect(current.map { [$0.id] + $0.items.map(\.id) } == expected)
        #expect(expected.count == 1)
    }

    /// A library from before the grouping was kept current by the write path is migrated as
    /// it opens, grouped once by the first call that needs events, and read after that.
    @Test func testAnOlderLibraryIsMigratedAndGroupedOnce() throws {
        let (temporary, _) = try Self.library()
        try temporary.library.database.write { db in
            try db.execute(sql: OlderSchema.before0007)
            try db.execute(
                sql:
                    "INSERT INTO event_grouping_state (id, fingerprint, grouped_at) VALUES (1, 'old', 'then')"
            )
        }
        let library = try Library.open(at: temporary.path)
        let settings = "\(GroupingSettings())"
        #expect(try !library.groupingIsCurrent(grouper: settings))
        #expect(try library.statistics().items == 2)
        #expect(try LibraryEvents(library: library).events().map(\.items.count) == [2])
        #expect(try library.groupingIsCurrent(grouper: settings))
    }

    @Test func testAChangeMadeWhileGroupingStaysNoted() throws {
        let (temporary, ids) = try Self.library()
        let settings = "\(GroupingSettings())"
        let changesThrough = try temporary.library.groupingChangesThrough()
        _ = try temporary.library.delete(ids[0])
        try temporary.library.replaceGroupingState(
            GroupingStateChanges(), grouper: settings, changesThrough: changesThrough)
        #expect(try !temporary.library.groupingIsCurrent(grouper: settings))
    }

    @Test func testAReadOnlyLibraryIsGroupedWithoutStoringAndSinceKeepsEventIDs() throws {
        let (temporary, _) = try Self.library()
        let readOnly = try Library.open(at: temporary.path, mode: .readOnly)
        let grouped = try LibraryEvents(library: readOnly).events()
        #expect(grouped.map(\.items.count) == [2])
        #expect(try !readOnly.groupingIsCurrent(grouper: "\(GroupingSettings())"))
        let all = try LibraryEvents(library: temporary.library).events()
        let recent = try LibraryEvents(library: temporary.library).events(since: "2024-03-01")
        #expect(recent.map(\.id) == all.map(\.id))
        #expect(try LibraryEvents(library: temporary.library).events(since: "2024-04-01").isEmpty)
    }
}
