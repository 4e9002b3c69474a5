import Foundation
import ParallaxTestSupport
import Testing

/// `sync remote`, `push`, `pull`, `compact` and `forget`, run as a user would.
@Suite struct SyncRemoteCommandTests {
    let directory = TemporaryDirectory()

    var parallax: ParallaxCommand { ParallaxCommand(in: directory) }

    /// Two libraries that trust each other, the laptop with two articles.
    func pairedLibraries() throws { try SyncCommandTests.pairLibraries(in: directory, articles: 2) }

    @Test func testAFolderRemoteIsAddedUsedByNameAndRemoved() throws {
        try pairedLibraries()
        let folder = directory.path("stick/parallax")
        for library in ["laptop.sqlite", "phone.sqlite"] {
            let added = try parallax("sync", "remote", "add", "usb", folder, library: library)
            #expect(added.status == 0 && added.stdout.contains("Added remote usb"), "\(added.stderr)")
        }
        let pushed = try parallax("sync", "push", library: "laptop.sqlite")
        #expect(pushed.status == 0 && pushed.stdout.contains("Wrote \(folder)/"), "\(pushed.stderr)")
        let pulled = try parallax("sync", "pull", "usb", "--json", library: "phone.sqlite")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(pulled.stdout.utf8)) as? [String: Any])
        #expect((report["imported"] as? [[String: Any]])?.first?["createdItems"] as? Int == 2)
        #expect(try parallax("sync", "usb", library: "phone.sqlite").status == 0)
        let list = try parallax("sync", "remote", "list", "--json", library: "phone.sqlite")
        #expect(list.stdout.contains("\"name\" : \"usb\"") && list.stdout.contains(folder))

        let compacted = try parallax("sync", "compact", library: "laptop.sqlite")
        #expect(
            compacted.status == 0 && compacted.stdout.contains("Wrote the snapshot"), "\(compacted.stderr)")

        #expect(
            try parallax("sync", "remote", "add", "home", directory.path("other"), library: "phone.sqlite")
                .status == 0)
        let unnamed = try parallax("sync", library: "phone.sqlite")
        #expect(unnamed.status == 3 && unnamed.stderr.contains("home, usb"))
        let unknown = try parallax("sync", "nowhere", library: "phone.sqlite")
        #expect(unknown.status == 2 && unknown.stderr.contains("no remote is named 'nowhere'"))
        let taken = try parallax(
            "sync", "remote", "add", "usb", directory.path("third"), library: "phone.sqlite")
        #expect(taken.status == 4 && taken.stderr.split(separator: "\n").count == 1)
        let badName = try parallax("sync", "remote", "add", "--oops", folder, library: "phone.sqlite")
        #expect(badName.status != 0)
        let spaced = try parallax("sync", "remote", "add", "my stick", folder, library: "phone.sqlite")
        #expect(spaced.status == 4 && spaced.stderr.contains("letters, digits"))
        #expect(try parallax("sync", "remote", "remove", "usb", library: "phone.sqlite").status == 0)
        #expect(try parallax("sync", "usb", library: "phone.sqlite").status == 2)
        #expect(FileManager.default.fileExists(atPath: folder), "removing a remote leaves its files")
        let forget = try parallax("sync", "forget", "zzzz", library: "phone.sqlite")
        #expect(forget.status == 2 && forget.stderr.contains("no device known"))
    }

    @Test func testNoRemoteIsAClearErrorAndAnAddressWithAPasswordIsRefused() throws {
        #expect(try parallax("init", library: "lonely.sqlite").status == 0)
        let none = try parallax("sync", "push", library: "lonely.sqlite")
        #expect(none.status == 2 && none.stderr.contains("sync remote add"))
        let secret = try parallax(
            "sync", "remote", "add", "home", "https://me:hunter2@cloud.example.org/dav/",
            library: "lonely.sqlite")
        #expect(secret.status == 4 && secret.stderr.contains("never stored"))
        let plain = try parallax(
            "sync", "remote", "add", "home", "http://cloud.example.org/dav/", library: "lonely.sqlite")
        #expect(plain.status == 10 && plain.stderr.contains("in the clear"))
        let list = try parallax("sync", "remote", "list", "--json", library: "lonely.sqlite").stdout
        #expect((try JSONSerialization.jsonObject(with: Data(list.utf8)) as? [Any])?.isEmpty == true)
    }

    @Test(
        .enabled(
            if: LocalWebDAVServer.isInstalled,
            "Apache with mod_dav is not installed: scripts/install-dependencies adds Debian's apache2"))
    func testAWebDAVPasswordComesFromTheEnvironmentOrNetrcAndIsNeverStored() throws {
        let server = try #require(LocalWebDAVServer(), "Apache did not start")
        try pairedLibraries()
        let address = server.url.absoluteString
        let home = directory.path("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let noPassword = ["HOME": home, "PARALLAX_DAV_PASSWORD": ""]
        let wrong = try parallax(
            "sync", "remote", "add", "home", address, "--user", server.user, library: "laptop.sqlite",
            environment: ["HOME": home, "PARALLAX_DAV_PASSWORD": "wrong"])
        #expect(wrong.status == 10 && wrong.stderr.split(separator: "\n").count == 1, "\(wrong.stderr)")
        #expect(
            try parallax("sync", "remote", "list", library: "laptop.sqlite").stdout.contains("No remotes"))

        let added = try parallax(
            "sync", "remote", "add", "home", address, "--user", server.user, library: "laptop.sqlite",
            environment: ["HOME": home, "PARALLAX_DAV_PASSWORD": server.password])
        #expect(added.status == 0, "\(added.stderr)")
        let pushed = try parallax(
            "sync", "home", library: "laptop.sqlite",
            environment: ["HOME": home, "PARALLAX_DAV_PASSWORD": server.password])
        #expect(pushed.status == 0 && pushed.stdout.contains("Wrote \(address)"), "\(pushed.stderr)")

        // The phone keeps the password in ~/.netrc, as curl and git read it.
        directory.write(
            "home/.netrc", "machine 127.0.0.1\n  login \(server.user)\n  password \"\(server.password)\"\n")
        var environment = noPassword
        environment["PARALLAX_DAV_PASSWORD"] = nil
        #expect(
            try parallax(
                "sync", "remote", "add", "home", address, library: "phone.sqlite", environment: environment
            )
            .status == 0)
        let pulled = try parallax("sync", "pull", library: "phone.sqlite", environment: environment)
        #expect(pulled.status == 0 && pulled.stdout.contains("2 new items"), "\(pulled.stderr)")

        for library in ["laptop.sqlite", "phone.sqlite"] {
            for suffix in ["", "-wal"] {
                let bytes = FileManager.default.contents(atPath: directory.path(library) + suffix) ?? Data()
                #expect(
                    bytes.range(of: Data(server.password.utf8)) == nil,
                    "\(library)\(suffix) holds the password")
            }
        }
    }
}

/// Bad input to the remote commands, found by trying the binary as an attacker would.
@Suite struct SyncRemoteBadInputTests {
    let directory = TemporaryDirectory()

    var parallax: ParallaxCommand { ParallaxCommand(in: directory) }

    @Test func testABadKeyFileIsOneLineAndAGoneFolderIsNotRecreated() throws {
        #expect(try parallax("init", library: "a.sqlite").status == 0)
        let garbage = directory.write("g.key", Data((0..<50).map { UInt8(truncatingIfNeeded: $0 &* 37) }))
        let bad = try parallax(
            "sync", "remote", "add", "enc", directory.path("enc"), "--key-file", garbage, library: "a.sqlite")
        #expect(
            bad.status == 4 && bad.stderr.hasPrefix("parallax: error:")
                && bad.stderr.split(separator: "\n").count == 1)
        let missing = try parallax(
            "sync", "remote", "add", "enc", directory.path("enc"), "--key-file", directory.path("nope.key"),
            library: "a.sqlite")
        #expect(missing.status == 2 && missing.stderr.contains("no such key file"))
        #expect(
            try parallax("sync", "remote", "add", "usb", directory.path("stick"), library: "a.sqlite").status
                == 0)
        try FileManager.default.moveItem(
            atPath: directory.path("stick"), toPath: directory.path("stick-unmounted"))
        let gone = try parallax("sync", "usb", library: "a.sqlite")
        #expect(gone.status == 10 && gone.stderr.contains("is the drive mounted"), "\(gone.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("stick")))
    }

    @Test func testAnEmptyLibraryPathAndAnOutputNamingAFolderAreRefused() throws {
        #expect(try CommandLineRunner.run(["stats", "--library", ""]).status == 64)
        #expect(try parallax("init", library: "a.sqlite").status == 0)
        let earlier = directory.path("x.pxb")
        #expect(try parallax("sync", "export", "-o", earlier, library: "a.sqlite").status == 0)
        let before = FileManager.default.contents(atPath: earlier)
        let slash = try parallax("sync", "export", "-o", earlier + "/", library: "a.sqlite")
        #expect(slash.status == 4 && slash.stderr.contains("give a file name"), "\(slash.stderr)")
        #expect(FileManager.default.contents(atPath: earlier) == before)
        #expect(try parallax("sync", "export", "-o", "", library: "a.sqlite").status == 4)
    }
}
