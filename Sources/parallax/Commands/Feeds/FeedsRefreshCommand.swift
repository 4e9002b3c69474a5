import ArgumentParser
import Foundation
import ParallaxFeeds
import ParallaxFraming
import ParallaxIngest
import ParallaxStore

struct FeedsRefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Fetch the feeds that are due and bring their new entries in as articles.",
        discussion: """
            A feed is due half an hour after its last fetch, or later when it asks (ttl, \
            sy:updatePeriod, Cache-Control) or its server is failing (30 minutes doubling, up to \
            a day) or said when to come back (Retry-After). Requests are conditional, so an \
            unchanged feed sends no body; at most two go to one host at a time. A feed that moved \
            for good (301, 308) is followed at its new address; one that is gone (410) is no \
            longer fetched unless named.

            Each new entry becomes an article once, across feeds and devices, credited to the \
            feed's outlet and kept off your list ('parallax list --feeds' shows them; 'parallax \
            keep' saves one). An entry that carries its whole text (over 150 words) is kept from \
            the feed; otherwise its page is fetched and extracted as 'add' does, and when that \
            fails its summary is kept and the page is tried again later. An article you removed \
            is never brought back. New articles are then grouped into events.

              parallax feeds refresh
              parallax feeds refresh "Example News" --no-images
              parallax feeds refresh --all --json
            """)

    @Argument(
        help: ArgumentHelp(
            "Feeds to fetch now, by id, address or outlet (default: those due).", valueName: "feed"))
    var feeds: [String] = []
    @Flag(help: "Fetch every followed feed, due or not.") var all = false
    @Flag(help: "Keep no images of the new articles.") var noImages = false
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if all && !feeds.isEmpty { throw ValidationError("Name feeds or give --all, not both.") }
    }

    func run() async throws {
        let library = try libraryOptions.open()
        let refresh = FeedRefresh(
            library: library, images: try library.imageFetcher(fetchingImages: !noImages))
        let chosen = try refresh.feedsToFetch(named: feeds, all: all)
        let summary = try await refresh.run(chosen) { progress in
            Terminal.progress(
                "\(Terminal.progressBar(done: progress.done, total: progress.total)) "
                    + "\(progress.done)/\(progress.total) feeds  \(Terminal.truncate(progress.feed, 40))")
        }
        Terminal.endProgress()
        var covered: [LibraryEvents.Event] = []
        if !summary.addedItems.isEmpty {
            let since = Timestamp.string(from: library.environment.now().addingTimeInterval(-2 * 86_400))
            covered = try LibraryEvents.showingProgress(library).events(since: String(since.prefix(10)))
                .filter { Set($0.items.compactMap(\.source)).count >= 2 }
            Terminal.endProgress()
        }
        if output.json {
            try Terminal.printJSON(RefreshResult(summary: summary, coveredEvents: covered.count))
        } else {
            report(summary, chosen: chosen, covered: covered.count, library: library)
        }
        if summary.feeds > 0 && summary.failed == summary.feeds {
            throw Failure(
                message: summary.feeds == 1
                    ? "the feed could not be read" : "none of the \(summary.feeds) feeds could be read",
                code: Failure.fetchFailed)
        }
    }

    private func report(
        _ summary: FeedRefreshSummary, chosen: [FeedSubscription], covered: Int, library: Library
    ) {
        for problem in summary.problems { Terminal.printWarning(problem) }
        guard summary.feeds > 0 || summary.pagesRecovered > 0 else {
            let message =
                (try? library.subscriptions().isEmpty) == true
                ? "You follow no feeds yet: 'parallax feeds add https://www.example-news.com/'."
                : "No feed is due; 'parallax feeds list' shows when each is, and --all fetches every one."
            return Terminal.line(message)
        }
        var parts = ["\(summary.changed) changed", "\(summary.notModified) unchanged"]
        if summary.failed > 0 { parts.append("\(summary.failed) failed") }
        Terminal.line(
            "Fetched \(summary.feeds) feed\(summary.feeds == 1 ? "" : "s"): " + parts.joined(separator: ", "))
        var articles = "\(summary.newArticles) new article\(summary.newArticles == 1 ? "" : "s")"
        if summary.newArticles > 0 {
            articles += " (\(summary.fromFeedText) whole in the feed, \(summary.pagesFetched) pages fetched"
            articles += summary.keptSummaries > 0 ? ", \(summary.keptSummaries) kept as summaries)" : ")"
        }
        if summary.pagesRecovered > 0 {
            articles += "; \(summary.pagesRecovered) earlier pages fetched at last"
        }
        Terminal.line(articles)
        if covered > 0 {
            Terminal.line(
                "\(covered) event\(covered == 1 ? "" : "s") of the last two days covered by two or more outlets: "
                    + "'parallax events'")
        }
    }
}

/// What `feeds refresh --json` prints.
private struct RefreshResult: Encodable {
    let summary: FeedRefreshSummary
    let coveredEvents: Int

    enum CodingKeys: String, CodingKey {
        case feeds, changed, failed, gone, requests, bytes, problems
        case notModified = "not_modified"
        case newArticles = "new_articles"
        case fromFeedText = "from_feed_text"
        case pagesFetched = "pages_fetched"
        case keptSummaries = "kept_summaries"
        case pagesRecovered = "pages_recovered"
        case addedItems = "added_items"
        case coveredEvents = "covered_events"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(summary.feeds, forKey: .feeds)
        try container.encode(summary.changed, forKey: .changed)
        try container.encode(summary.notModified, forKey: .notModified)
        try container.encode(summary.failed, forKey: .failed)
        try container.encode(summary.gone, forKey: .gone)
        try container.encode(summary.newArticles, forKey: .newArticles)
        try container.encode(summary.fromFeedText, forKey: .fromFeedText)
        try container.encode(summary.pagesFetched, forKey: .pagesFetched)
        try container.encode(summary.keptSummaries, forKey: .keptSummaries)
        try container.encode(summary.pagesRecovered, forKey: .pagesRecovered)
        try container.encode(summary.requests, forKey: .requests)
        try container.encode(summary.bytes, forKey: .bytes)
        try container.encode(summary.problems, forKey: .problems)
        try container.encode(summary.addedItems, forKey: .addedItems)
        try container.encode(coveredEvents, forKey: .coveredEvents)
    }
}
