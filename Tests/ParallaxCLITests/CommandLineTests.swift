import Foundation
import GRDB
import ParallaxTestSupport
import Testing

/// End-to-end specifications: each runs the built `parallax` binary.
@Suite struct CommandLineTests {
    let directory = TemporaryDirectory()
    var libraryPath: String { directory.path("library.sqlite") }

    var parallax: ParallaxCommand { ParallaxCommand(in: directory, library: libraryPath) }

    func jsonArray(_ result: CommandResult) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    @Test func testReadingListWorkflow() throws {
        #expect(try parallax("init").status == 0)
        let seed = directory.write("seed.txt", Fixtures.seedArticle)
        let added = try parallax(
            "add", seed, "--source", "Al-Ahed News", "--published", "2019-02-14", "--json")
        #expect(added.status == 0, "\(added.stderr)")
        let addedItem = try #require(
            try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])
        #expect(addedItem["status"] as? String == "added")
        let item = try #require(addedItem["item"] as? [String: Any])
        #expect(
            item["title"] as? String == "US in Touch With Venezuelan Military, Mulls New Sanctions on Maduro")
        #expect(item["byline"] as? String == "Staff, News Agencies")
        let seedID = try #require(addedItem["short_id"] as? String)

        let markdown =
            "# Sanctions Widen\n\nThe Treasury added five officials to its list on Friday, officials said.\n"
        #expect(
            try parallax("add", "-", "--source", "Reuters", "--tag", "later", stdin: markdown).status == 0)
        let duplicate = try parallax("add", seed)
        #expect(duplicate.status == 0 && duplicate.stdout.contains("Already saved"))

        var listed = try jsonArray(try parallax("list", "--json"))
        #expect(listed.count == 2)
        #expect(Set(listed.compactMap { $0["source"] as? String }) == ["Al-Ahed News", "Reuters"])

        let read = try parallax("read", seedID)
        #expect(read.status == 0)
        #expect(read.stdout.contains("self-proclaimed interim president"))
        #expect(!read.stdout.contains("starAdd"))
        #expect(try jsonArray(try parallax("list", "--reading", "--json")).count == 1)

        #expect(try parallax("mark", seedID, "reading", "--progress", "0.4").status == 0)
        #expect(
            try parallax("tag", seedID, "+venezuela", "framing", "-later").stdout.contains(
                "#framing #venezuela"))
        #expect(try parallax("note", seedID, "Loaded wording").status == 0)
        #expect(
            try parallax("highlight", seedID, "self-proclaimed interim president", "--note", "title").status
                == 0)
        #expect(try parallax("archive", seedID).status == 0)
        #expect(try parallax("favorite", seedID).status == 0)
        #expect(try jsonArray(try parallax("list", "--tag", "venezuela", "--json")).isEmpty)
        listed = try jsonArray(try parallax("list", "--archived", "--favorite", "--json"))
        #expect(listed.first?["progress"] as? Double == 0.4)

        let search = try jsonArray(try parallax("search", "sanctions AND military", "--json"))
        #expect(search.count == 1)
        #expect((search.first?["snippet"] as? String)?.contains("**") == true)

        #expect(try parallax("rm", seedID).status == 0)
        #expect(try jsonArray(try parallax("list", "--all", "--json")).count == 1)
        #expect(try parallax("restore", seedID).status == 0)
        let history = try jsonArray(try parallax("history", seedID, "--json"))
        #expect(history.contains { $0["field"] as? String == "deleted" })
        let log = try jsonArray(try parallax("log", "--limit", "3", "--json"))
        #expect(log.count == 3)

        let exportPath = directory.path("export.jsonl")
        #expect(try parallax("export", "--format", "jsonl", "-o", exportPath).status == 0)
        let exported = try String(contentsOfFile: exportPath, encoding: .utf8)
        #expect(exported == (try parallax("export").stdout))
        #expect(exported.split(separator: "\n").count == 2)

        let stats = try #require(
            try JSONSerialization.jsonObject(with: Data(try parallax("stats", "--json").stdout.utf8))
                as? [String: Any])
        #expect(stats["items"] as? Int == 2 && stats["highlights"] as? Int == 1)
        #expect(try parallax("doctor").status == 0)
    }

    /// The sample articles the demo ships: the seed article, then its three companions.
    static let companions = Fixtures.projectRoot.appendingPathComponent(
        "Sources/ParallaxIngest/Samples/companions.jsonl"
    ).path

    /// A new library holding the sample event: the seed article and its companions.
    func addSampleEvent() throws {
        #expect(try parallax("init").status == 0)
        let seed = directory.write("seed.txt", Fixtures.seedArticle)
        #expect(
            try parallax("add", seed, "--source", "Al-Ahed News", "--published", "2019-02-14").status == 0)
        #expect(try parallax("import", Self.companions).status == 0)
    }

    @Test func testEventsGroupTheSampleCoverageOfOneStory() throws {
        try addSampleEvent()
        var unrelated = "# Heavy Snow Closes Schools Across Minnesota\n\n"
        unrelated +=
            "Schools across Minnesota closed on Thursday as a blizzard brought heavy snow and icy roads to the state."
        #expect(
            try parallax(
                "add", "-", "--source", "Weather Desk", "--published", "2019-02-14", stdin: unrelated
            ).status == 0)
        let events = try jsonArray(try parallax("events", "--json"))
        #expect(events.count == 1)
        #expect((events.first?["items"] as? [Any])?.count == 4)
        #expect(try jsonArray(try parallax("events", "--all", "--json")).count == 2)
        #expect(try parallax("events", "--since", "yesterday").status == 64)

        // The reader's corrections: split the event, merge two of its articles back, assign a third.
        let ids = try #require(events.first?["items"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(try parallax("events", "split", ids[0]).status == 0)
        #expect(try jsonArray(try parallax("events", "--json")).isEmpty)
        #expect(try parallax("events", "merge", ids[0], ids[1]).status == 0)
        #expect(try parallax("events", "assign", ids[2], "--to", ids[0]).status == 0)
        let corrected = try jsonArray(try parallax("events", "--json"))
        #expect(corrected.count == 1 && (corrected.first?["items"] as? [Any])?.count == 3)
        #expect(try parallax("events", "merge", ids[0], "zzzzzzzzzz").status == 2)
        let history = try jsonArray(try parallax("history", ids[2], "--json"))
        #expect(history.contains { $0["field"] as? String == "event" })
    }

    @Test func testLoadedShowsAnArticlesFlaggedWordsFromAFileAnItemOrStandardInput() throws {
        #expect(try parallax("init").status == 0)
        let seed = directory.write("seed.txt", Fixtures.seedArticle)
        let fromFile = try parallax("loaded", seed, "--json")
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        let reading = try #require(
            try JSONSerialization.jsonObject(with: Data(fromFile.stdout.utf8)) as? [String: Any])
        let terms = try #require(reading["terms"] as? [[String: Any]])
        #expect(
            terms.contains {
                $0["text"] as? String == "self-proclaimed" && $0["category"] as? String == "label"
            })
        #expect(terms.contains { $0["in_quote"] as? Bool == true })
        #expect((reading["rate_per_1000_words"] as? Double ?? 0) > 0)
        let added = try parallax("add", seed, "--source", "Al-Ahed News", "--json")
        let id = try #require(
            ((try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])?["item"]
                as? [String: Any])?["id"] as? String)
        // The stored text is the cleaned article: the same flags, without the page's furniture.
        let fromItem = try parallax("loaded", id)
        #expect(fromItem.status == 0 && fromItem.stdout.contains("[self-proclaimed]"), "\(fromItem.stdout)")
        let piped = try parallax("loaded", "-", stdin: "Critics slammed the draconian plan.")
        #expect(piped.stdout.contains("[slammed]") && piped.stdout.contains("[draconian]"), "\(piped.stdout)")
        let missing = try parallax("loaded", "zzzzzzzz")
        #expect(missing.status == 2 && missing.stderr.split(separator: "\n").count == 1)
    }

    @Test func testCompareNeedsTwoOutletsThatShareAnEvent() throws {
        try addSampleEvent()
        let json = try parallax(
            "compare", "--sources", "Al-Ahed News", "Meridian Wire (sample)", "--format", "json")
        #expect(json.status == 0, "\(json.stderr)")
        let comparison = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((comparison["events"] as? [Any])?.count == 1)
        #expect((comparison["loaded"] as? [[String: Any]])?.count == 2)
        // -o replaces its own earlier output in every format, and never a file of the user's.
        for format in ["md", "json", "html"] {
            let path = directory.path("comparison.\(format)")
            for _ in 0..<2 {
                let written = try parallax(
                    "compare", "--sources", "Al-Ahed News", "Meridian Wire (sample)", "--format", format,
                    "-o", path)
                #expect(written.status == 0, "\(format): \(written.stderr)")
            }
        }
        let mine = directory.write("notes.md", "# My notes\n")
        let refused = try parallax(
            "compare", "--sources", "Al-Ahed News", "Meridian Wire (sample)", "-o", mine)
        #expect(refused.status == 4, "\(refused.stderr)")
        #expect(try String(contentsOfFile: mine, encoding: .utf8) == "# My notes\n")
        #expect(try parallax("compare", "--sources", "Al-Ahed News").status == 64)
        let none = try parallax("compare", "--sources", "Al-Ahed News", "Nobody")
        #expect(none.status == 4 && none.stderr.split(separator: "\n").count == 1)
    }

    @Test func testEnvironmentVariableChoosesTheLibrary() throws {
        let path = directory.path("from-env.sqlite")
        #expect(try CommandLineRunner.run(["init"], environment: ["PARALLAX_LIBRARY": path]).status == 0)
        #expect(FileManager.default.fileExists(atPath: path))
        let xdg = directory.path("xdg")
        #expect(try CommandLineRunner.run(["init"], environment: ["XDG_DATA_HOME": xdg]).status == 0)
        #expect(FileManager.default.fileExists(atPath: xdg + "/parallax/library.sqlite"))
    }

    @Test func testImportReportsBadLinesAndKeepsTheRest() throws {
        #expect(try parallax("init").status == 0)
        let file = directory.write(
            "in.jsonl",
            """
            {"url": "https://x.example.com/1", "title": "One", "text": "Text one."}
            {"url": "https://x.example.com/2", "title": "Two"
            {"url": "https://x.example.com/3", "title": "Three", "text": "Text three.", "progress": "far"}
            """)
        let result = try parallax("import", file)
        #expect(result.status == 4)
        #expect(result.stdout.contains("1 saved"))
        #expect(result.stderr.split(separator: "\n").count == 2)
        #expect(result.stderr.contains("in.jsonl:2:") && result.stderr.contains("in.jsonl:3:"))
    }

    @Test func testDemoRunsOnAFreshMachine() throws {
        let result = try CommandLineRunner.run(["demo"], environment: ["HOME": directory.url.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("US in Touch With Venezuelan Military, Mulls New Sanctions on Maduro"))
        #expect(result.stdout.contains("sanctions AND military"))
        #expect(result.stdout.contains("History of"))
        #expect(result.stderr.isEmpty)
    }

    @Test(arguments: [
        "init", "add", "import", "list", "read", "mark", "archive", "favorite", "tag", "note", "highlight",
        "search", "rm",
        "history", "restore", "log", "export", "stats", "doctor", "demo", "sync export", "sync import",
        "sync dir",
        "sync status", "sync key", "sync trust", "sync revoke", "sync undo", "events", "events merge",
        "events split",
        "events assign", "report",
    ])
    func testEveryCommandExplainsItself(command: String) throws {
        let result = try CommandLineRunner.run(command.split(separator: " ").map(String.init) + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("OVERVIEW:") && result.stdout.contains("USAGE: parallax \(command)"))
    }

    @Test func testUsageErrorsExitWith64() throws {
        #expect(try parallax("mark", "x", "finished").status == 64)
        #expect(try parallax("list", "--read", "--unread").status == 64)
        #expect(try CommandLineRunner.run(["frobnicate"]).status == 64)
    }
}

@Suite struct ReportCommandTests {
    let directory = TemporaryDirectory()

    var parallax: ParallaxCommand { ParallaxCommand(in: directory) }

    @Test func testReportOfTheSampleEventInMarkdownAndJSON() throws {
        #expect(try parallax("init").status == 0)
        let seed = directory.write("seed.txt", Fixtures.seedArticle)
        let added = try parallax(
            "add", seed, "--source", "Al-Ahed News", "--published", "2019-02-14", "--json")
        let seedID = try #require(
            (try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])?["short_id"]
                as? String)
        #expect(try parallax("import", CommandLineTests.companions).status == 0)
        let markdown = try parallax("report", "--event", seedID)
        #expect(markdown.status == 0, "\(markdown.stderr)")
        #expect(markdown.stdout.contains("# Framing report") && markdown.stdout.contains("self-proclaimed"))
        let path = directory.path("report.json")
        #expect(try parallax("report", "--event", seedID, "--format", "json", "-o", path).status == 0)
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
                as? [String: Any])
        #expect((report["sources"] as? [Any])?.count == 4)
        let single = try parallax("report", "--articles", "\(seedID),\(seedID)")
        #expect(single.status == 4 && single.stderr.contains("compares sources"))
        #expect(try parallax("report").status == 64)
        #expect(try parallax("report", "--event", "zzzzzzzzzz").status == 2)
    }
}
