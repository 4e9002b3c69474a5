import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxFraming

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
        #expect(try events.events().map(\.items.count) == [2])
        let fingerprint = try #require(try temporary.library.groupingFingerprint())
        // A stored grouping for the same articles is read, not made again: store a different one.
        try temporary.library.storeGrouping(
            Dictionary(uniqueKeysWithValues: ids.map { ($0, $0) }), fingerprint: fingerprint)
        #expect(try events.events().map(\.items.count) == [1, 1])
        // A new article changes the fingerprint: the library is grouped again.
        var other = ItemDraft(
            title: "Snow closes schools", text: "Heavy snow closed schools across the state on Monday.")
        other.source = "Weather Desk"
        _ = try temporary.library.add(other)
        #expect(try events.events().map(\.items.count) == [2, 1])
        #expect(try temporary.library.groupingFingerprint() != fingerprint)
    }

    @Test func testAReadOnlyLibraryIsGroupedWithoutStoringAndSinceKeepsEventIDs() throws {
        let (temporary, _) = try Self.library()
        let readOnly = try Library.open(at: temporary.path, mode: .readOnly)
        let grouped = try LibraryEvents(library: readOnly).events()
        #expect(grouped.map(\.items.count) == [2])
        #expect(try readOnly.groupingFingerprint() == nil)
        let all = try LibraryEvents(library: temporary.library).events()
        let recent = try LibraryEvents(library: temporary.library).events(since: "2024-03-01")
        #expect(recent.map(\.id) == all.map(\.id))
        #expect(try LibraryEvents(library: temporary.library).events(since: "2024-04-01").isEmpty)
    }
}
