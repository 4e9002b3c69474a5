import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxFraming
@testable import ParallaxReports

/// `parallax compare` on a small library with a planted difference: one outlet calls the
/// government a regime and casts doubt on what it says, the other does neither.
@Suite struct OutletComparisonTests {
    static let topics = [
        ("oil sanctions", "new sanctions on the state oil company and its exports"),
        ("election", "the disputed election result and the count in the capital"),
        ("protests", "the protests in the capital and the arrests that followed"),
    ]

    static func library() throws -> TemporaryLibrary {
        let temporary = try TemporaryLibrary()
        for (index, topic) in topics.enumerated() {
            var ids: [String] = []
            for (source, name, verb, actor) in [
                ("Left Daily", "regime", "claimed", "dictator Nicolas Maduro"),
                ("Right Wire", "government", "said", "President Nicolas Maduro"),
            ] {
                var draft = ItemDraft(
                    title: "\(topic.0.capitalized) news \(source)",
                    text: """
                        The \(name) of \(actor) faced \(topic.1). The \(name) \(verb) on Monday that it \
                        would not bend. Officials of the \(name) met in the capital, and the \(name) \(verb) \
                        that talks had failed. Observers watched \(topic.1) closely as the week went on.
                        """)
                draft.source = source
                draft.published = "2024-0\(index + 1)-10"
                draft.tags = index == 0 ? ["energy"] : []
                guard case .added(let item) = try temporary.library.add(draft) else {
                    throw CancellationError()
                }
                ids.append(item.id)
            }
            try temporary.library.setEvent(ids[0], of: ids)
        }
        return temporary
    }

    @Test func testAPlantedDifferenceIsFoundOverMatchedEvents() throws {
        let temporary = try Self.library()
        let comparison = try LibraryEvents(library: temporary.library).compare(
            outlets: ["Left Daily", "Right Wire"])
        #expect(comparison.events.count == 3)
        let left = try #require(comparison.distinctive.first { $0.outlet == "Left Daily" })
        let regime = try #require(left.terms.first { $0.score.term == "regime" }, "\(left)")
        #expect(regime.score.z >= 1.96 && regime.events.count == 3 && !regime.sentences.isEmpty)
        #expect(comparison.distinguishable)
        let rates = Dictionary(uniqueKeysWithValues: comparison.loaded.map { ($0.outlet, $0) })
        let leftRate = try #require(rates["Left Daily"])
        let rightRate = try #require(rates["Right Wire"])
        #expect(leftRate.perThousandWords > rightRate.perThousandWords)
        #expect(leftRate.low <= leftRate.perThousandWords && leftRate.perThousandWords <= leftRate.high)
        let verbs = Dictionary(uniqueKeysWithValues: comparison.attribution.map { ($0.outlet, $0) })
        #expect(verbs["Left Daily"]?.doubtShare == 1 && verbs["Right Wire"]?.doubtShare == 0)
        let maduro = try #require(comparison.naming.first { $0.actor == "Maduro" })
        let leftNames =
            maduro.sources.first { $0.source == "Left Daily" }?.descriptors.map(\.descriptor) ?? []
        #expect(leftNames.contains("dictator"), "\(maduro)")
        let markdown = ComparisonReport.markdown(comparison)
        #expect(markdown.contains("**regime**") && markdown.contains("3 events"))
        // A blank line ends each list: a line right after an item would continue it.
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        for (line, next) in zip(lines, lines.dropFirst()) where line.hasPrefix("- ") {
            #expect(next.isEmpty || next.hasPrefix("- "), "\(line) / \(next)")
        }
    }

    /// Shared events come from the stored grouping's indexes when it is current, and from
    /// reading the outlets' articles when it cannot be stored: the two find the same events,
    /// the reader's corrections and grouped events alike.
    @Test func testSharedEventsFromTheStoredGroupingMatchThoseFoundByReading() throws {
        let temporary = try Self.library()
        for (source, twist) in [
            ("Left Daily", "Union leaders said the walkout would last a week."),
            ("Right Wire", "Shipping companies said the strike would cost millions a day."),
            ("Center Post", "The port authority said talks would resume on Friday."),
        ] {
            _ = try temporary.library.add(StoredGroupingTests.story(source, twist))
        }
        var lonely = StoredGroupingTests.story("Left Daily", "Only one outlet reported the crane fire.")
        lonely.title = "Crane fire at the port"
        lonely.published = "2024-09-01"
        _ = try temporary.library.add(lonely)
        let outlets: Set<String> = ["Left Daily", "Right Wire"]
        let stored = try LibraryEvents(library: temporary.library).sharedEvents(since: nil, sources: outlets)
        #expect(try temporary.library.groupingIsCurrent(grouper: "\(GroupingSettings())"))
        // An article of another outlet leaves the stored grouping stale, and a read-only
        // library cannot bring it up to date: it reads the outlets' articles instead.
        var other = ItemDraft(title: "Snow closes schools", text: "Heavy snow closed schools on Monday.")
        other.source = "Weather Desk"
        _ = try temporary.library.add(other)
        let readOnly = try Library.open(at: temporary.path, mode: .readOnly)
        let read = try LibraryEvents(library: readOnly).sharedEvents(since: nil, sources: outlets)
        #expect(stored.map { [$0.id] + $0.items.map(\.id) } == read.map { [$0.id] + $0.items.map(\.id) })
        #expect(stored.count == 4 && stored.allSatisfy { $0.items.count == 2 })
        #expect(try !readOnly.groupingIsCurrent(grouper: "\(GroupingSettings())"))
        let since = try LibraryEvents(library: readOnly).sharedEvents(since: "2024-03-01", sources: outlets)
        let storedSince = try LibraryEvents(library: temporary.library).sharedEvents(
            since: "2024-03-01", sources: outlets)
        #expect(try temporary.library.groupingIsCurrent(grouper: "\(GroupingSettings())"))
        #expect(since.map(\.id) == storedSince.map(\.id) && since.count == 2)
    }

    @Test func testFiltersNarrowTheEventsAndNoSharedEventIsAnError() throws {
        let temporary = try Self.library()
        let events = LibraryEvents(library: temporary.library)
        #expect(try events.compare(outlets: ["Left Daily", "Right Wire"], tag: "energy").events.count == 1)
        #expect(
            try events.compare(outlets: ["Left Daily", "Right Wire"], since: "2024-02-01").events.count == 2)
        #expect(try events.compare(outlets: ["Left Daily", "Left Daily", "Right Wire"]).outlets.count == 2)
        #expect(throws: ComparisonError.noMatchedEvents(["Left Daily", "Nobody"])) {
            try events.compare(outlets: ["Left Daily", "Nobody"])
        }
    }
}
