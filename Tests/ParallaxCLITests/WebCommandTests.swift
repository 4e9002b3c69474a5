import Foundation
import ParallaxTestSupport
import Testing

/// `add` and `extract` of web pages, against a server the test starts on 127.0.0.1.
@Suite struct WebCommandTests {
    let directory = TemporaryDirectory()
    var libraryPath: String { directory.path("library.sqlite") }
    static let page = try! Data(
        contentsOf: Fixtures.samplePage)

    var parallax: ParallaxCommand { ParallaxCommand(in: directory, library: libraryPath) }

    func server() throws -> LocalHTTPServer {
        try LocalHTTPServer { path in
            switch path {
            case "/strike": .init(body: Self.page)
            case "/short": .redirect(to: "/strike?utm_source=newsletter")
            case "/strike?utm_source=newsletter": .init(body: Self.page)
            case "/front":
                .init(body: Data("<html><body><nav><a href='/a'>News</a></nav></body></html>".utf8))
            case "/paper.pdf": .init(contentType: "application/pdf", body: Data("%PDF-1.4".utf8))
            default: .init(status: 404)
            }
        }
    }

    @Test func testAddFetchesExtractsAndDoesNotFetchASavedURLAgain() throws {
        let server = try server()
        defer { server.stop() }
        #expect(try parallax("init").status == 0)
        let added = try parallax("add", server.baseURL + "/short", "--tag", "labour", "--json")
        #expect(added.status == 0, "\(added.stderr)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])
        let item = try #require(json["item"] as? [String: Any])
        #expect(item["title"] as? String == "Dockworkers walk out as talks over automation collapse")
        #expect(item["source"] as? String == "The Coastal Ledger")
        #expect(item["byline"] as? String == "Mara Lindqvist, Tomas Ek")
        #expect(item["published"] as? String == "2024-03-05T06:30:00Z")
        #expect(item["url"] as? String == server.baseURL + "/strike?utm_source=newsletter")
        #expect(item["tags"] as? [String] == ["labour"])
        let read = try parallax("read", try #require(json["short_id"] as? String))
        #expect(read.stdout.contains("fourteen vessels were anchored outside the breakwater"))
        #expect(!read.stdout.contains("cookies"))

        let requestsBefore = server.requests.count
        let again = try parallax("add", server.baseURL + "/strike#comments")
        #expect(again.status == 0 && again.stdout.contains("Already saved (same URL)"))
        #expect(server.requests.count == requestsBefore)
    }

    @Test func testExtractPrintsTheArticleAndStoresNothing() throws {
        let server = try server()
        defer { server.stop() }
        let result = try CommandLineRunner.run(["extract", server.baseURL + "/strike", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["site"] as? String == "The Coastal Ledger")
        #expect(json["language"] as? String == "en")
        #expect((json["word_count"] as? Int ?? 0) > 150)
        #expect((json["text"] as? String)?.hasPrefix("Dockworkers at the harbour") == true)
        #expect(
            json["canonical_url"] as? String == server.baseURL
                + "/business/2024/03/05/dockworkers-strike?utm_source=rss")

        let saved = directory.write("page.html", String(decoding: Self.page, as: UTF8.self))
        let text = try CommandLineRunner.run(["extract", saved, "--url", "https://ledger.example.com/x"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("Site:       The Coastal Ledger"))
        #expect(!FileManager.default.fileExists(atPath: libraryPath))
    }

    @Test func testFetchFailuresAreOneLineWithTheirExitCodeAndLeaveTheLibraryUnchanged() throws {
        let server = try server()
        defer { server.stop() }
        #expect(try parallax("init").status == 0)
        let cases: [(String, Int32, String)] = [("/missing", 10, "404"), ("/front", 4, "no article")]
        for (path, code, words) in cases {
            let result = try parallax("add", server.baseURL + path)
            #expect(result.status == code, "\(path): \(result.stderr)")
            #expect(result.stderr.contains(words), "\(path): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(path): \(result.stderr)")
        }
        let unknownHost = try parallax("add", "http://parallax-test.invalid/story")
        #expect(unknownHost.status == 10 && unknownHost.stderr.contains("parallax-test.invalid"))
        let badURL = try parallax("add", "page.html", "--url", "not a url")
        #expect(badURL.status == 64)
        let incomplete = try parallax("add", "http://")
        #expect(incomplete.status == 4 && incomplete.stderr.contains("not a complete http or https address"))
        let listed = try JSONSerialization.jsonObject(with: Data(try parallax("list", "--json").stdout.utf8))
        #expect((listed as? [Any])?.isEmpty == true)

        // A PDF is kept as a link with a note, not refused.
        let pdf = try parallax("add", server.baseURL + "/paper.pdf", "--json")
        #expect(pdf.status == 0, "\(pdf.stderr)")
        let item = try #require(
            (try JSONSerialization.jsonObject(with: Data(pdf.stdout.utf8)) as? [String: Any])?["item"]
                as? [String: Any])
        #expect(item["title"] as? String == "paper.pdf" && item["word_count"] as? Int == 0)
        #expect((item["note"] as? String)?.contains("PDF") == true)
    }
}

/// `import` of reading lists, with `--fetch`, through the built binary.
@Suite struct ImportCommandTests {
    let directory = TemporaryDirectory()
    var libraryPath: String { directory.path("library.sqlite") }

    var parallax: ParallaxCommand { ParallaxCommand(in: directory, library: libraryPath) }

    @Test func testImportWithFetchSavesListsThenArticlesAndResumes() throws {
        let page = try Data(contentsOf: Fixtures.samplePage)
        let server = try LocalHTTPServer { path in
            path.hasPrefix("/ok") ? .init(body: page) : .init(status: 500)
        }
        defer { server.stop() }
        #expect(try parallax("init").status == 0)
        let rows =
            ["title,url,time_added,cursor,tags,status"]
            + (1...30).map { "Story \($0),\(server.baseURL)/ok/\($0),1709620200,,news,unread" }
            + ["Broken,\(server.baseURL)/fails,1709620200,,,archive"]
        let csv = directory.write("pocket.csv", rows.joined(separator: "\n"))

        let listOnly = try parallax("import", csv)
        #expect(listOnly.status == 0, "\(listOnly.stderr)")
        #expect(listOnly.stdout.contains("Imported \(csv) (pocket): 31 saved"))
        #expect(listOnly.stdout.contains("31 links have no text yet"))
        #expect(server.requests.isEmpty)

        let fetched = try parallax("import", csv, "--fetch", "--concurrency", "3", "--json")
        #expect(fetched.status == 10, "\(fetched.stderr)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(fetched.stdout.utf8)) as? [String: Any])
        #expect(
            json["duplicates"] as? Int == 31 && json["fetched"] as? Int == 30
                && json["unfetched"] as? Int == 1)
        let warnings = fetched.stderr.split(separator: "\n")
        #expect(warnings.contains { $0.contains("/fails: the server answered 500") })
        #expect(warnings.contains { $0.contains("fetching: 31/31, 30 saved, 1 failed") })

        let read = try parallax("read", "--no-mark", try #require(try listedID(title: "Broken")))
        #expect(read.stdout.contains("not fetched yet"))
        let requests = server.requests.count
        let again = try parallax("import", csv, "--fetch")
        #expect(again.stdout.contains("Fetched 0 pages, 1 failed."), "\(again.stdout)")
        #expect(server.requests.count == requests + 1)
        let listed = try JSONSerialization.jsonObject(
            with: Data(try parallax("list", "--all", "--json", "--limit", "100").stdout.utf8))
        #expect((listed as? [Any])?.count == 31)
    }

    @Test func testBadImportFilesFailWithOneLine() throws {
        #expect(try parallax("init").status == 0)
        let prose = directory.write("notes.txt", "Some notes\nwithout any links\n")
        let unknown = try parallax("import", prose)
        #expect(unknown.status == 4 && unknown.stderr.contains("--format"))
        #expect(unknown.stderr.split(separator: "\n").count == 1)
        let missing = try parallax("import", directory.path("absent.csv"))
        #expect(missing.status == 2)
        let empty = try parallax("import", directory.write("empty.csv", ""))
        #expect(empty.status == 4 && empty.stderr.contains("has no text"))
        let badConcurrency = try parallax("import", prose, "--concurrency", "0")
        #expect(badConcurrency.status == 64)
        let stdinPocket = try parallax("import", "-", "--format", "pocket")
        #expect(stdinPocket.status == 64)
    }

    func listedID(title: String) throws -> String? {
        let listed = try JSONSerialization.jsonObject(
            with: Data(try parallax("list", "--all", "--json", "--limit", "100").stdout.utf8))
        let item = (listed as? [[String: Any]])?.first { $0["title"] as? String == title }
        return item?["id"] as? String
    }
}

/// `export` in every format, through the built binary.
@Suite struct ExportCommandTests {
    let directory = TemporaryDirectory()
    var libraryPath: String { directory.path("library.sqlite") }

    var parallax: ParallaxCommand { ParallaxCommand(in: directory, library: libraryPath) }

    @Test func testEveryFormatIsWrittenAndJSONLinesRoundTrips() throws {
        #expect(try parallax("init").status == 0)
        let seed = directory.write("seed.txt", Fixtures.seedArticle)
        #expect(try parallax("add", seed, "--source", "Al-Ahed News", "--tag", "venezuela").status == 0)
        let urls = directory.write("urls.txt", "https://news.example.org/later A link for later\n")
        #expect(try parallax("import", urls).status == 0)
        for (format, name) in [("markdown", "notes"), ("html", "reading.html"), ("epub", "reading.epub")] {
            let result = try parallax("export", "--format", format, "-o", directory.path(name))
            #expect(result.status == 0, "\(format): \(result.stderr)")
            #expect(result.stderr.contains("Exported 2 items"))
        }
        let tagged = try parallax(
            "export", "--format", "html", "--tag", "venezuela", "-o", directory.path("v.html"))
        #expect(tagged.stderr.contains("Exported 1 items"))

        let jsonl = directory.path("all.jsonl")
        #expect(try parallax("export", "-o", jsonl).status == 0)
        let copy = directory.path("copy.sqlite")
        #expect(try CommandLineRunner.run(["init", "--library", copy]).status == 0)
        #expect(try CommandLineRunner.run(["import", jsonl, "--library", copy]).status == 0)
        let again = directory.path("again.jsonl")
        #expect(try CommandLineRunner.run(["export", "-o", again, "--library", copy]).status == 0)
        // A new library gives items new ids; everything else comes back.
        func withoutIDs(_ path: String) throws -> Set<String> {
            let ids = try NSRegularExpression(pattern: "\"id\":\"[0-9a-z]+\"")
            return Set(
                try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
                    let text = String(line)
                    return ids.stringByReplacingMatches(
                        in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "")
                })
        }
        #expect(try withoutIDs(again) == withoutIDs(jsonl))
        #expect(try withoutIDs(jsonl).count == 2)
    }

    @Test func testExportRefusesDestinationsItCannotUse() throws {
        #expect(try parallax("init").status == 0)
        #expect(try parallax("export", "--format", "epub").status == 64)
        let file = directory.write("taken.md", "mine")
        let onFile = try parallax("export", "--format", "markdown", "-o", file)
        #expect(onFile.status == 4 && onFile.stderr.split(separator: "\n").count == 1)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "mine")
        let missing = try parallax("export", "--format", "html", "-o", directory.path("absent/page.html"))
        #expect(missing.status == 7)
    }
}

/// Imports killed at random moments, then run again to the end.
@Suite struct InterruptedImportTests {
    let directory = TemporaryDirectory()
    var libraryPath: String { directory.path("library.sqlite") }

    var parallax: ParallaxCommand { ParallaxCommand(in: directory, library: libraryPath) }

    func itemCount() throws -> Int {
        let stats = try JSONSerialization.jsonObject(with: Data(try parallax("stats", "--json").stdout.utf8))
        return try #require((stats as? [String: Any])?["items"] as? Int)
    }

    @Test func testKilledImportAndFetchResumeWithoutDuplicates() throws {
        let page = try Data(contentsOf: Fixtures.samplePage)
        let server = try LocalHTTPServer { _ in .init(body: page, delay: 0.02) }
        defer { server.stop() }
        #expect(try parallax("init").status == 0)
        let rows =
            ["title,url,time_added,cursor,tags,status"]
            + (1...6000).map { "Story \($0),\(server.baseURL)/story/\($0),1709620200,,news,unread" }
        let csv = directory.write("pocket.csv", rows.joined(separator: "\n"))
        var timings = KillTimings()
        for _ in 0..<3 {
            try parallax.runKilled(["import", csv], after: timings.delay(in: 0.1...1.2))
            #expect(try parallax("doctor").status == 0, "\(timings)")
        }
        let finished = try parallax("import", csv)
        #expect(finished.status == 0, "\(finished.stderr) \(timings)")
        #expect(try itemCount() == 6000, "\(timings)")

        // Fetch the first 40 links, killed twice on the way.
        let few = directory.write("few.csv", rows.prefix(41).joined(separator: "\n"))
        for _ in 0..<2 {
            try parallax.runKilled(["import", few, "--fetch"], after: timings.delay(in: 0.2...0.6))
            #expect(try parallax("doctor").status == 0, "\(timings)")
        }
        let fetched = try parallax("import", few, "--fetch", "--json")
        #expect(fetched.status == 0, "\(fetched.stderr)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(fetched.stdout.utf8)) as? [String: Any])
        #expect(json["unfetched"] as? Int == 0 && json["duplicates"] as? Int == 40, "\(timings)")
        #expect(try itemCount() == 6000, "\(timings)")
        let stories = Set(server.requests.filter { $0.hasPrefix("/story/") })
        #expect(stories.count == 40, "\(timings)")
    }
}
