import ArgumentParser
import Foundation
import ParallaxFeeds
import ParallaxStore

struct FeedsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the feeds you follow, with their last and next fetch.",
        discussion: """
            Each feed shows its outlet, short id and address, then how many articles it brought \
            in on this device, when it was fetched and is due again, and its last error. Which \
            feeds you follow syncs; when each device fetched them does not. With --json, an \
            array of {"id", "url", "title", "source", "tags", "added", "articles", "failures", \
            "gone", "last_fetch", "next_fetch", "last_error", "pending_pages"}.
            """)

    @Flag(help: "Include the feeds you stopped following.") var unfollowed = false
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let library = try libraryOptions.open(.readOnly)
        let feeds = try library.subscriptions(includeUnfollowed: unfollowed)
        let states = try FeedRefresh(library: library).states()
        let listed = feeds.map {
            ListedSubscription(feed: $0, state: states[$0.id] ?? FeedFetchState(feed: $0.id))
        }
        if output.json { return try Terminal.printJSON(listed) }
        guard !feeds.isEmpty else {
            return Terminal.line(
                "You follow no feeds yet: 'parallax feeds add https://www.example-news.com/'.")
        }
        let now = library.environment.now()
        for entry in listed {
            FeedRendering.status(entry.feed, entry.state, now: now).forEach { Terminal.line($0) }
            if entry.feed.deleted { Terminal.line("    unfollowed") }
        }
    }
}
