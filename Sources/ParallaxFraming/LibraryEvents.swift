import Foundation
import ParallaxStore

/// The articles of a library grouped into events.
public struct LibraryEvents: Sendable {
    /// The library.
    public let library: Library
    /// How articles are grouped.
    public var grouper = GroupingSettings()
    /// Told how far grouping has got when events must be grouped first (from scratch, a
    /// million articles take minutes).
    public var progress: (@Sendable (GroupingProgress) -> Void)?

    /// An event: its id (its earliest item's) and its items.
    public struct Event: Sendable {
        /// The id of the event's earliest item.
        public let id: String
        /// Its articles.
        public let items: [Item]

        /// The outlets that covered it, by name.
        public var outlets: Set<String> { Set(items.compactMap(\.source)) }

        /// The date of its latest article: published, else saved.
        public var latest: String { items.map { $0.published ?? $0.saved }.max() ?? "" }

        /// Events as a reader scans them when feeds bring coverage in: first those two or more
        /// outlets covered, the most recent first, then the rest, the most recent first.
        public static func byCoverage(_ events: [Event]) -> [Event] {
            events.map { ($0, $0.outlets.count >= 2, $0.latest) }
                .sorted { ($0.1 ? 1 : 0, $0.2, $0.0.id) > ($1.1 ? 1 : 0, $1.2, $1.0.id) }
                .map(\.0)
        }
    }

    /// Groups a library's articles.
    public init(library: Library) { self.library = library }

    /// The events among the articles published (or else saved) on or after `since`, largest first.
    ///
    /// The library's grouping is brought up to date and kept in it: articles changed since it
    /// was stored update the events they touch (docs/architecture.md, "Incremental grouping"),
    /// and later calls read it until an article is added or changed. `since` then keeps the events'
    /// articles of those dates, so an event keeps its id whatever the window.
    public func events(since: String? = nil) throws -> [Event] {
        let floor = try since.map { try Timestamp.normalizedDate($0, field: "since") }
        let settings = "\(grouper)"
        let grouping: [String: String]
        let items: [Item]
        if try library.groupingIsCurrent(grouper: settings),
            case let window = try groupable(sources: nil, since: floor),
            let stored = try floor.map({ try library.storedGrouping(grouper: settings, datedSince: $0) })
                ?? library.storedGrouping(grouper: settings)
        {
            (grouping, items) = (stored, window)
        } else {
            // Read after grouping, so the library's items and its term vectors are never both held.
            grouping = try bringUpToDate(settings)
            items = try groupable(sources: nil, since: floor)
        }
        return Self.events(of: items, grouping: grouping)
    }

    /// The events that hold articles of every one of `sources`, each with only those outlets'
    /// articles dated on or after `since`. With a current stored grouping only the shared
    /// events' articles are read, however many articles the outlets have.
    func sharedEvents(since: String?, sources: Set<String>) throws -> [Event] {
        let floor = try since.map { try Timestamp.normalizedDate($0, field: "since") }
        let settings = "\(grouper)"
        var made: [String: String]?
        if try !library.groupingIsCurrent(grouper: settings) { made = try bringUpToDate(settings) }
        let grouping: [String: String]
        let items: [Item]
        if let shared = try library.storedGrouping(grouper: settings, sharedBy: sources, datedSince: floor) {
            (grouping, items) = (shared, try library.items(withIDs: shared.keys.sorted()))
        } else {
            // A library that could not store its grouping: read the outlets' articles.
            grouping = try made ?? bringUpToDate(settings)
            items = try groupable(sources: sources, since: floor)
        }
        return Self.events(of: items, grouping: grouping).filter {
            Set($0.items.compactMap(\.source)) == sources
        }
    }

    /// Items gathered into events: the reader's corrections win, and grouping sorts the rest.
    private static func events(of items: [Item], grouping: [String: String]) -> [Event] {
        let byEvent = Dictionary(grouping: items) { $0.event ?? grouping[$0.id] ?? $0.id }
        let all = byEvent.map { id, members in Event(id: id, items: members.sorted { $0.id < $1.id }) }
        return all.sorted { ($0.items.count, $1.id) > ($1.items.count, $0.id) }
    }

    /// Each automatically grouped article's event id (its group's earliest article), from the
    /// stored grouping, which is made and stored first when it is not current. A reader's
    /// correction, the item's `event`, wins over it.
    public func automaticGrouping() throws -> [String: String] {
        let settings = "\(grouper)"
        if let stored = try library.storedGrouping(grouper: settings) { return stored }
        return try bringUpToDate(settings)
    }

    /// Brings the stored grouping up to date and returns it: the articles changed since it
    /// was stored update the events they touch, or the library is grouped from scratch when
    /// the grouper's settings changed, nothing is stored yet, or the library has grown by a
    /// quarter since it was last grouped from scratch (so no stored weight is further than
    /// that from today's). A read-only library is grouped in memory.
    private func bringUpToDate(_ settings: String) throws -> [String: String] {
        guard library.mode == .readWrite else { return try groupFromScratch(settings, storing: false) }
        let updated = try library.updateGroupingState { state -> Bool in
            let (grouper, documents, fromScratch) = try state.stored()
            let pending = try state.pendingChanges()
            guard grouper == settings, fromScratch > 0,
                (documents + pending.items.count) * 4 <= fromScratch * 5
            else { return false }
            let engine = GroupingEngine(
                grouper: self.grouper, source: state, documents: documents,
                largestTermID: try state.largestTermID())
            engine.progress = progress
            // In id order, which every device shares, rather than in this library's seqs.
            let changed = try state.articlesToGroup(pending.items).sorted { $0.article.id < $1.article.id }
            let adding = changed.map { Self.toAdd($0.article, text: $0.text) }
            try engine.update(removing: pending.items, adding: adding, expected: adding.count)
            try state.apply(engine.changes())
            try state.finish(grouper: settings, documents: engine.documents, changesThrough: pending.through)
            return true
        }
        if updated, let stored = try library.storedGrouping(grouper: settings) { return stored }
        return try groupFromScratch(settings, storing: true)
    }

    /// Groups the whole library now, storing the grouping and its state when `storing`.
    private func groupFromScratch(_ settings: String, storing: Bool) throws -> [String: String] {
        // Read before the articles, so a change made while grouping stays noted.
        let changesThrough = try library.groupingChangesThrough()
        let engine = try group(library.articlesToGroup())
        if storing {
            // Keeping it is a saving, not the answer: a library another process holds locked, or
            // a full disk, still gets its events, grouped again next time.
            let progress = progress
            try? library.replaceGroupingState(
                engine.changes(), grouper: settings, changesThrough: changesThrough
            ) { progress?(GroupingProgress(stage: .storing, done: $0, total: $1)) }
        }
        var grouping: [String: String] = [:]
        for article in engine.articles.values { grouping[article.id] = engine.articles[article.event]?.id }
        return grouping
    }

    /// The articles that can be grouped (links not fetched yet have no words to compare), of
    /// `sources` and dated on or after `since` when given.
    private func groupable(sources: Set<String>?, since: String?) throws -> [Item] {
        var all = ItemFilter()
        all.archived = nil
        all.datedSince = since
        // In date order the publication-date index finds the window instead of every item.
        all.order = since == nil ? .saved : .published
        let filters =
            sources.map { names in
                names.sorted().map { name -> ItemFilter in
                    var filter = all
                    filter.source = name
                    return filter
                }
            } ?? [all]
        return try filters.flatMap { try library.items(matching: $0) }.filter {
            $0.wordCount > 0 && (sources?.contains($0.source ?? "") ?? true)
        }
    }

    /// The grouping of `items` from scratch.
    ///
    /// Texts are read 500 at a time as the grouping asks for them, so memory holds the term
    /// counts of the library, not its text.
    private func group(_ items: [Library.ArticleToGroup]) throws -> GroupingEngine {
        var failure: (any Error)?
        let articles = stride(from: 0, to: items.count, by: 500).lazy.flatMap { start in
            let chunk = items[start..<min(start + 500, items.count)]
            let texts: [String]
            do {
                texts = try library.texts(ofItemIDs: chunk.map(\.id))
            } catch {
                failure = failure ?? error
                texts = []
            }
            return zip(chunk, texts).map { Self.toAdd($0, text: $1) }
        }
        // Counts wait in a file beside the library: on its disk, not in a memory-backed /tmp.
        let engine = GroupingEngine(
            grouper: grouper, source: NoStoredGrouping(), documents: 0, largestTermID: 0,
            spillingInto: items.count > 10_000
                ? URL(fileURLWithPath: library.path).deletingLastPathComponent() : nil)
        engine.progress = progress
        try engine.update(removing: [], adding: articles, expected: items.count)
        if let failure { throw failure }
        return engine
    }

    private static func toAdd(_ item: Library.ArticleToGroup, text: String) -> ArticleToAdd {
        ArticleToAdd(
            seq: item.seq, id: item.id, title: item.title, text: text,
            source: item.source ?? "unknown source",
            day: (try? Date(String(item.date.prefix(10)), strategy: .iso8601.year().month().day()))
                .map(GroupingSettings.day))
    }

    /// Makes two events one, as the reader's correction (recorded in the change log, so it syncs).
    public func merge(_ first: String, _ second: String) throws -> Event {
        let (kept, other) = (try event(first), try event(second))
        try library.setEvent(kept.id, of: (kept.items + other.items).map(\.id))
        return try event(kept.id)
    }

    /// Breaks an event up: each of its articles becomes an event of its own.
    public func split(_ reference: String) throws -> [Event] {
        let broken = try event(reference)
        for item in broken.items { try library.setEvent(item.id, of: [item.id]) }
        return try broken.items.map { try event($0.id) }
    }

    /// Moves an article into an event, keeping the event's other articles in it.
    public func assign(_ item: String, to reference: String) throws -> Event {
        let target = try event(reference)
        let moved = try library.resolve(item)
        try library.setEvent(target.id, of: target.items.map(\.id) + [moved.id])
        return try event(target.id)
    }
}

extension LibraryEvents {
    /// The event whose id starts with `reference`, or that holds the item it names.
    /// - Throws: ``LibraryError/unknownItem(reference:)`` when none does.
    public func event(_ reference: String) throws -> Event {
        let item = try library.resolve(reference)
        guard let event = try events().first(where: { $0.items.contains { $0.id == item.id } }) else {
            throw LibraryError.unknownItem(reference: reference)
        }
        return event
    }

    /// The framing report of some items, with the whole library as the prior's background
    /// (``backgroundCounts(_:)``).
    /// - Throws: ``ReportError`` for a single source or no text; ``LibraryError`` for unknown ids.
    public func report(items: [Item], lexicons: [MarkerLexicon] = MarkerLexicon.shipped) throws
        -> FramingReport
    {
        let articles = zip(items, try library.texts(ofItemIDs: items.map(\.id))).map { (item: $0, text: $1) }
        let libraryArticles = try library.statistics().items
        return try FramingReport.compare(articles, lexicons: lexicons) { vocabulary in
            let (counts, total) = try backgroundCounts(vocabulary)
            return .init(counts: counts, total: total, articles: libraryArticles)
        }
    }

    /// The library's counts of some terms, for a log-odds prior, and its token total.
    ///
    /// Word counts come from the search index's vocabulary, so a prior costs the same in a
    /// library of any size. The index splits words at hyphens and apostrophes and has no
    /// phrases, so a hyphenated word counts as its rarest part (an upper bound) and a bigram
    /// as its words' counts would give it if they were independent, c(a)·c(b)/C.
    func backgroundCounts(_ vocabulary: TermCounts.Vocabulary) throws -> (
        counts: [String: Double], total: Int
    ) {
        func parts(_ word: String) -> [String] {
            word.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
                .split(whereSeparator: { $0 == "-" || $0 == "'" }).map(String.init)
        }
        let words = Set(vocabulary.terms.flatMap { $0.split(separator: " ").flatMap { parts(String($0)) } })
        let (found, total) = try library.wordCounts(of: words)
        func count(_ word: Substring) -> Double {
            Double(parts(String(word)).map { found[$0] ?? 0 }.min() ?? 0)
        }
        var counts: [String: Double] = [:]
        for term in vocabulary.terms {
            let pair = term.split(separator: " ")
            counts[term] =
                pair.count == 2 ? count(pair[0]) * count(pair[1]) / Double(max(total, 1)) : count(pair[0])
        }
        return (counts, total)
    }
}
