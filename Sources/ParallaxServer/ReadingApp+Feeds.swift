import Foundation
import Hummingbird
import ParallaxFeeds
import ParallaxIngest
import ParallaxStore

// MARK: - Following feeds

extension ReadingApp {
    func addFeeds(to router: Router<ServerContext>) {
        router.get("/feeds") { _, context in
            let content = try await access.run { try FeedsPage.load(from: $0) }
            return Response.page(FeedsPage.render(content, session: context.session))
        }
        router.post("/feeds/add") { request, context in
            let form = try await FormFields.action(request, context: context)
            let address = try form.required("url")
            guard PageFetcher.isWebAddress(address) else {
                throw ServerError.badField("url", "give the http or https address of a site or feed")
            }
            var outcome: [String]
            do {
                let report = try await FeedFollowing.follow(address, in: library, fetcher: fetcher)
                outcome = report.followed.map { "Following \($0.outlet ?? $0.url)." }
                outcome += report.alreadyFollowed.map { "Already following \($0.outlet ?? $0.url)." }
            } catch FeedError.webPage(_, let declared) where declared.count > 1 {
                let found = try await FeedFollowing.follow(address, in: library, pick: 1, fetcher: fetcher)
                outcome = found.followed.map {
                    "Following \($0.outlet ?? $0.url), the first of the site's \(declared.count) feeds."
                }
            }
            let content = try await access.run { [outcome] in try FeedsPage.load(from: $0, outcome: outcome) }
            return Response.page(FeedsPage.render(content, session: context.session))
        }
        router.post("/feeds/refresh") { request, context in
            _ = try await FormFields.action(request, context: context)
            let summary = try await refreshFeeds(all: true)
            var outcome = [
                "Fetched \(summary.feeds) feeds: \(summary.newArticles) new articles, \(summary.notModified) unchanged."
            ]
            outcome += summary.problems.prefix(10)
            let content = try await access.run { [outcome] in try FeedsPage.load(from: $0, outcome: outcome) }
            return Response.page(FeedsPage.render(content, session: context.session))
        }
        router.post("/feeds/{id}/remove") { request, context in
            let id = try Self.parameter("id", of: context)
            _ = try await FormFields.action(request, context: context)
            try await access.run { _ = try $0.unfollow(id) }
            return Response.seeOther("/feeds")
        }
    }

    /// Fetches the feeds that are due (or every one), as `parallax feeds refresh` does.
    func refreshFeeds(all: Bool = false) async throws -> FeedRefreshSummary {
        let refresh = FeedRefresh(
            library: library, policy: fetcher.policy,
            images: configuration.fetchesImages ? try library.imageFetcher(fetchingImages: true) : nil)
        return try await refresh.run(try refresh.feedsToFetch(all: all))
    }
}
