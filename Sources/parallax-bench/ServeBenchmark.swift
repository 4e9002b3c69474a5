import Foundation
import ParallaxServer
import ParallaxStore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Issue 15's figures: the reading app's list, search and reader pages on a library of 100,000
/// articles, measured as the server spent on them (its `Server-Timing`), beside the same library
/// calls made directly; and the reader page's requests per second under `wrk`, beside a static
/// file served by the same server.
struct ServeBenchmark {
    let articles: Int
    let seconds: Int

    func run() async throws {
        let kept = try ScaleBenchmark.keptLibrary(articles: articles)
        let folder = try ScratchFolder()
        defer { withExtendedLifetime(folder) {} }
        let library = try kept.copy(into: folder.url)
        var configuration = ServerConfiguration()
        configuration.port = 0
        let server = try ReadingServer(library: library, configuration: configuration)
        let listening = AsyncStream.makeStream(of: Int.self)
        let running = Task { try await server.run { port in listening.continuation.yield(port) } }
        defer { running.cancel() }
        var ports = listening.stream.makeAsyncIterator()
        guard let port = await ports.next() else { return }
        let client = PageClient(base: "http://127.0.0.1:\(port)")
        try await client.signIn(server.loginLink(port: port))

        let page = try library.items(matching: Self.filter { $0.archived = false })
        let deep = try library.items(
            matching: Self.filter {
                $0.archived = false; $0.after = page.last?.id
            })
        let third = deep.last?.id ?? ""
        print(Bench.Ingest.row("on \(articles) articles", "p50 (ms)", "p95 (ms)", "direct", "ratio"))
        let lists: [(String, String, ItemFilter)] = [
            ("list (my list)", "/", Self.filter { $0.archived = false }),
            (
                "list by published", "/?sort=published",
                Self.filter {
                    $0.archived = false; $0.order = .published
                }
            ),
            (
                "list unread", "/?view=unread",
                Self.filter {
                    $0.archived = false; $0.readingState = .unread
                }
            ),
            ("list tag", "/?view=all&tag=research", Self.filter { $0.tag = "research" }),
            (
                "list page 3", "/?after=\(third)",
                Self.filter {
                    $0.archived = false; $0.after = third
                }
            ),
        ]
        for (name, path, filter) in lists {
            let served = try await client.serverTimes(path, runs: 31)
            let direct = try Self.directTimes(runs: 31) {
                let items = try library.items(matching: filter)
                _ = try library.shortIDs(for: items.map(\.id))
                _ = try library.statistics()
            }
            print(Self.row(name, served, direct: direct))
        }
        var random = SplitMix64(seed: 7)
        let terms = ArticleGenerator(seed: 12).vocabulary[40..<2_000]
        let queries = (0..<31).map { index -> String in
            let first = terms.randomElement(using: &random)!
            return index % 2 == 0 ? first : "\(first) AND \(terms.randomElement(using: &random)!)"
        }
        let searched = try await client.serverTimes(
            queries.map {
                "/search?q=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)
            })
        var queryIterator = queries.makeIterator()
        let directSearch = try Self.directTimes(runs: queries.count) {
            let hits = try library.search(queryIterator.next()!, limit: 50)
            _ = try library.shortIDs(for: hits.map(\.item.id))
        }
        print(Self.row("search (31 queries)", searched, direct: directSearch))
        let item = page[page.count / 2]
        let reader = try await client.serverTimes("/items/\(item.id)", runs: 31)
        let directReader = try Self.directTimes(runs: 31) {
            let item = try library.resolve(item.id)
            _ = try library.text(of: item)
            _ = try library.highlights(of: item)
            _ = try library.articleHTML(ofItem: item.id)
            _ = try library.articleImages(ofItem: item.id)
        }
        print(Self.row("reader page", reader, direct: directReader))
        print("Target: list and search p50 ≤ 20 ms of server time.")
        try measureThroughput(client: client, readerPath: "/items/\(item.id)")
    }

    /// Requests per second for the reader page under wrk, beside the stylesheet (no library work).
    private func measureThroughput(client: PageClient, readerPath: String) throws {
        guard
            let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(
                where: FileManager.default.isExecutableFile)
        else {
            print("wrk is not installed (apt install wrk): requests per second not measured")
            return
        }
        print("")
        print(Bench.Ingest.row("wrk -t2 -c16", "req/s", "p50", "p99"))
        for (name, path) in [("reader page", readerPath), ("stylesheet (baseline)", "/assets/parallax.css")] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: wrk)
            process.arguments = [
                "-t2", "-c16", "-d\(seconds)s", "--latency", "-H", "Cookie: \(client.cookie)",
                client.base + path,
            ]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            func field(_ pattern: String) -> String {
                guard let range = text.range(of: pattern, options: .regularExpression) else { return "?" }
                return text[range].split(separator: " ").last.map(String.init) ?? "?"
            }
            let rate = field(#"Requests/sec:\s+[0-9.]+"#)
            let median = field(#"50%\s+[0-9.]+[mu]?s"#)
            let tail = field(#"99%\s+[0-9.]+[mu]?s"#)
            let non2xx = text.contains("Non-2xx") ? " (some not 200!)" : ""
            print(Bench.Ingest.row(name, rate, median, tail) + non2xx)
        }
    }

    static func filter(_ change: (inout ItemFilter) -> Void) -> ItemFilter {
        var filter = ItemFilter()
        filter.limit = 51
        change(&filter)
        return filter
    }

    static func directTimes(runs: Int, _ body: () throws -> Void) throws -> [Double] {
        try (0..<runs).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        }
    }

    static func row(_ name: String, _ served: [Double], direct: [Double]) -> String {
        let p50 = Bench.Ingest.percentile(served, 0.5)
        let directP50 = Bench.Ingest.percentile(direct, 0.5)
        return Bench.Ingest.row(
            name, String(format: "%.1f", p50), String(format: "%.1f", Bench.Ingest.percentile(served, 0.95)),
            String(format: "%.1f", directP50), String(format: "%.2f×", p50 / max(directP50, 0.001)))
    }
}

/// A browser for the benchmark: one session, pages fetched one at a time.
final class PageClient: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    let base: String
    private(set) var cookie = ""
    private lazy var session = URLSession(configuration: .ephemeral, delegate: self, delegateQueue: nil)

    init(base: String) { self.base = base }

    /// Follows the sign-in link and keeps the cookie it sets.
    func signIn(_ link: String) async throws {
        let (_, response) = try await session.data(from: URL(string: link)!)
        let header = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Set-Cookie") ?? ""
        cookie = String(header.split(separator: ";").first ?? "")
    }

    /// The server's own time for a page (its `Server-Timing`), `runs` times after one warm-up.
    func serverTimes(_ path: String, runs: Int) async throws -> [Double] {
        try await serverTimes(Array(repeating: path, count: runs))
    }

    /// The server's own time for each page in turn, after one warm-up request for the first.
    func serverTimes(_ paths: [String]) async throws -> [Double] {
        var times: [Double] = []
        for (index, path) in ([paths[0]] + paths).enumerated() {
            var request = URLRequest(url: URL(string: base + path)!)
            request.setValue(cookie, forHTTPHeaderField: "Cookie")
            let (_, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse, http.statusCode == 200 else {
                throw CocoaError(
                    .fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "\(path) did not answer 200"])
            }
            let timing = http.value(forHTTPHeaderField: "Server-Timing") ?? ""
            if index > 0, let value = Double(timing.replacingOccurrences(of: "app;dur=", with: "")) {
                times.append(value)
            }
        }
        return times
    }

    /// Redirects are not followed: the sign-in's cookie comes with its redirect.
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
