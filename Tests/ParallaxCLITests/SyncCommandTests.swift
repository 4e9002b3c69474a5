import Foundation
import ParallaxTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The `sync` commands end to end, and an import killed at random moments.
@Suite struct SyncCommandTests {
    let directory = TemporaryDirectory()

    var parallax: ParallaxCommand { ParallaxCommand(in: directory) }

    /// Two libraries, "laptop" with `count` articles, "phone" empty; each trusts the other.
    func pairedLibraries(articles count: Int) throws {
        try Self.pairLibraries(in: directory, articles: count)
    }

    /// Makes "laptop.sqlite" with `count` articles and an empty "phone.sqlite" in `directory`,
    /// each trusting the other, through the binary as a user would.
    static func pairLibraries(in directory: TemporaryDirectory, articles count: Int) throws {
        let parallax = ParallaxCommand(in: directory)
        #expect(try parallax("init", library: "laptop.sqlite").status == 0)
        #expect(try parallax("init", library: "phone.sqlite").status == 0)
        let lines = (0..<count).map { number in
            #"{"url": "https://example.com/\#(number)", "title": "Article \#(number) on the sanctions", "source": "Wire", "text": "\#(String(repeating: "The officials discussed sanctions and the military in article \(number). ", count: 40))"}"#
        }
        let file = directory.write("articles.jsonl", lines.joined(separator: "\n"))
        #expect(try parallax("import", file, library: "laptop.sqlite").status == 0)
        for (from, to) in [("laptop.sqlite", "phone.sqlite"), ("phone.sqlite", "laptop.sqlite")] {
            let key = try #require(
                try parallax("sync", "key", library: from).stdout.split(separator: "\n").first)
            #expect(try parallax("sync", "trust", String(key), library: to).status == 0)
        }
    }

    @Test func testBundleTravelsAndUntrustedBundleIsRefused() throws {
        try pairedLibraries(articles: 3)
        let bundle = directory.path("laptop.pxb")
        #expect(try parallax("sync", "export", "-o", bundle, library: "laptop.sqlite").status == 0)
        let dryRun = try parallax("sync", "import", "--dry-run", bundle, library: "phone.sqlite")
        #expect(dryRun.status == 0 && dryRun.stdout.contains("would apply"))
        #expect(try parallax("export", library: "phone.sqlite").stdout.isEmpty)
        let imported = try parallax("sync", "import", bundle, library: "phone.sqlite")
        #expect(imported.status == 0 && imported.stdout.contains("3 new items"))
        #expect(
            try parallax("export", library: "phone.sqlite").stdout
                == parallax("export", library: "laptop.sqlite").stdout)
        let status = try parallax("sync", "status", "--json", library: "phone.sqlite")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect((object["receipts"] as? [Any])?.count == 1)
        #expect(object["device"] is String)

        #expect(try parallax("init", library: "stranger.sqlite").status == 0)
        let refused = try parallax("sync", "import", bundle, library: "stranger.sqlite")
        #expect(refused.status == 9)
        #expect(refused.stderr.contains("parallax sync trust"))
        #expect(refused.stderr.split(separator: "\n").count == 1)
        let damaged = directory.write("damaged.pxb", Data("PXBNDL\r\n but nothing else".utf8))
        let broken = try parallax("sync", "import", damaged, library: "phone.sqlite")
        #expect(broken.status == 4 && broken.stderr.contains("damaged.pxb"))
        let garbage = try parallax("sync", "trust", "not-a-key-or-file", library: "phone.sqlite")
        #expect(garbage.status == 2 && garbage.stderr.contains("neither a bundle file nor a key line"))
        let fileAsFolder = try parallax(
            "sync", "dir", directory.path("phone.sqlite"), library: "laptop.sqlite")
        #expect(fileAsFolder.status == 4 && fileAsFolder.stderr.split(separator: "\n").count == 1)
        let text = directory.write("notes.pxb", "just some notes")
        let notBundle = try parallax("sync", "import", text, library: "phone.sqlite")
        #expect(notBundle.status == 4 && notBundle.stderr.contains("not a valid Parallax bundle"))
    }

    @Test func testSharedFolderSyncsBothWays() throws {
        try pairedLibraries(articles: 2)
        let folder = directory.path("Sync")
        #expect(try parallax("sync", "dir", folder, library: "laptop.sqlite").status == 0)
        #expect(try parallax("sync", "dir", folder, library: "phone.sqlite").stdout.contains("2 new items"))
        #expect(try parallax("favorite", "zzzzzzzzzz", library: "phone.sqlite").status == 2)
        let id =
            try #require(
                try JSONSerialization.jsonObject(
                    with: Data(try parallax("list", "--json", library: "phone.sqlite").stdout.utf8))
                    as? [[String: Any]]
            ).first?["id"] as? String
        #expect(try parallax("favorite", try #require(id), library: "phone.sqlite").status == 0)
        #expect(try parallax("sync", "dir", folder, library: "phone.sqlite").status == 0)
        #expect(try parallax("sync", "dir", folder, library: "laptop.sqlite").status == 0)
        #expect(
            try parallax("export", library: "phone.sqlite").stdout
                == parallax("export", library: "laptop.sqlite").stdout)
    }

    @Test func testKilledImportLeavesTheLibraryBeforeOrAfter() throws {
        try pairedLibraries(articles: 1_500)
        let bundle = directory.path("big.pxb")
        #expect(try parallax("sync", "export", "-o", bundle, library: "laptop.sqlite").status == 0)
        let after = try parallax("export", "--include-deleted", library: "laptop.sqlite").stdout
        let pristine = ["", "-wal", "-shm"].map {
            FileManager.default.contents(atPath: directory.path("phone.sqlite") + $0)
        }
        var timings = KillTimings()
        for attempt in 0..<8 {
            let name = "phone-\(attempt).sqlite"
            for (suffix, data) in zip(["", "-wal", "-shm"], pristine) {
                if let data { directory.write(name + suffix, data) }
            }
            try parallax.runKilled(
                ["sync", "import", bundle], library: name, after: timings.delay(in: 0.05...1.5))
            #expect(try parallax("doctor", library: name).status == 0, "\(timings)")
            let export = try parallax("export", "--include-deleted", library: name).stdout
            #expect(
                export.isEmpty || export == after,
                "attempt \(attempt) left the library between states; \(timings)")
        }
    }

    @Test func testCopiedLibraryTakesANewDeviceSaysSoAndKeepsSyncing() throws {
        try pairedLibraries(articles: 2)
        let folder = directory.path("shared")
        for library in ["laptop.sqlite", "phone.sqlite"] {
            #expect(try parallax("sync", "dir", folder, library: library).status == 0)
        }
        try FileManager.default.copyItem(
            atPath: directory.path("laptop.sqlite"), toPath: directory.path("copy.sqlite"))
        let first = try parallax("sync", "status", "--json", library: "copy.sqlite")
        #expect(first.status == 0)
        #expect(first.stderr.contains("is now device") && first.stderr.split(separator: "\n").count == 1)
        #expect(try parallax("sync", "status", library: "copy.sqlite").stderr.isEmpty)
        let laptopStatus = try parallax("sync", "status", "--json", library: "laptop.sqlite").stdout
        #expect(!laptopStatus.contains(Self.device(in: first.stdout)))
        let id = try #require(
            try parallax("list", "--json", library: "laptop.sqlite").stdout.firstMatch(of: /"id" : "(\w+)"/)?
                .1)
        #expect(try parallax("tag", String(id), "+original", library: "laptop.sqlite").status == 0)
        #expect(try parallax("tag", String(id), "+copy", library: "copy.sqlite").status == 0)
        for _ in 0..<3 {
            for library in ["laptop.sqlite", "copy.sqlite", "phone.sqlite"] {
                let result = try parallax("sync", "dir", folder, library: library)
                #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
            }
        }
        let phone = try parallax("list", "--tag", "copy", "--json", library: "phone.sqlite")
        #expect(phone.stdout.contains(String(id)) && phone.stdout.contains("\"original\""))
    }

    @Test func testUndoThatWouldLoseALaterEditIsRefused() throws {
        try pairedLibraries(articles: 1)
        let bundle = directory.path("laptop.pxb")
        #expect(try parallax("sync", "export", "-o", bundle, library: "laptop.sqlite").status == 0)
        #expect(try parallax("sync", "import", bundle, library: "phone.sqlite").status == 0)
        let id = try #require(
            try parallax("list", "--json", library: "phone.sqlite").stdout.firstMatch(of: /"id" : "(\w+)"/)?.1
        )
        #expect(try parallax("note", String(id), "Written on the phone", library: "phone.sqlite").status == 0)
        let refused = try parallax("sync", "undo", library: "phone.sqlite")
        #expect(refused.status == 4)
        #expect(
            refused.stderr.contains("would lose later edits")
                && refused.stderr.split(separator: "\n").count == 1)
        #expect(
            try parallax("list", "--json", library: "phone.sqlite").stdout.contains("Written on the phone"))
    }

    static func device(in statusJSON: String) -> String {
        (try? JSONSerialization.jsonObject(with: Data(statusJSON.utf8)) as? [String: Any])?["device"]
            as? String ?? "?"
    }
}
