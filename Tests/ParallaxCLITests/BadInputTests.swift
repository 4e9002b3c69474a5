import Foundation
import GRDB
import ParallaxTestSupport
import Testing

/// Each bad input: one line on stderr, the documented exit code, and the library exactly as it was.
@Suite struct BadInputTests {
    let directory = TemporaryDirectory()
    var libraryPath: String { directory.path("library.sqlite") }

    /// A library with two items, so prefixes can be ambiguous.
    func prepareLibrary() throws {
        #expect(try run(["init"]).status == 0)
        for number in 1...2 {
            let file = directory.write(
                "a\(number).txt", "Headline Number \(number) Here\n\nA body sentence for article \(number).")
            #expect(try run(["add", file]).status == 0)
        }
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try CommandLineRunner.run(arguments + ["--library", libraryPath], environment: environment)
    }

    func export() throws -> String { try run(["export", "--include-deleted"]).stdout }

    func expectRefusal(
        _ arguments: [String], code: Int32, mentioning text: String, environment: [String: String] = [:]
    ) throws {
        let before = try export()
        let result = try run(arguments, environment: environment)
        #expect(result.status == code, "\(arguments): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(arguments) printed \(result.stderr)")
        #expect(result.stderr.hasPrefix("parallax: error: "))
        #expect(result.stderr.contains(text), "\(result.stderr)")
        #expect(try export() == before)
    }

    @Test func testDashAsOutputIsStandardOutputOrRefused() throws {
        try prepareLibrary()
        let dash = FileManager.default.currentDirectoryPath + "/-"
        defer { try? FileManager.default.removeItem(atPath: dash) }
        let exported = try run(["export", "-o", "-"])
        #expect(exported.status == 0)
        #expect(exported.stdout.contains("Headline Number 1 Here"))
        #expect(!FileManager.default.fileExists(atPath: dash))
        // Usage errors print the usage after their line, as the argument parser does.
        let bundle = try run(["sync", "export", "-o", "-"])
        #expect(bundle.status == 64 && bundle.stderr.contains("-o - is not supported"))
        let epub = try run(["export", "--format", "epub", "-o", "-"])
        #expect(epub.status == 64 && epub.stderr.contains("needs -o"))
        #expect(!FileManager.default.fileExists(atPath: dash))
    }

    @Test func testInitOnAFolderSaysItIsAFolder() throws {
        let result = try CommandLineRunner.run(["init", "--library", directory.url.path])
        #expect(result.status == 5)
        #expect(result.stderr.contains("is a folder"))
        #expect(!result.stderr.contains("already exists"))
    }

    @Test func testBadArticleFilesAreRefused() throws {
        try prepareLibrary()
        try expectRefusal(["add", directory.path("absent.txt")], code: 2, mentioning: "no such file")
        try expectRefusal(["add", directory.url.path], code: 4, mentioning: "is a folder")
        let binary = directory.write(
            "image.png", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00]))
        try expectRefusal(["add", binary], code: 4, mentioning: "binary")
        let latin1 = directory.write("latin1.txt", Data("Caf".utf8) + Data([0xE9]) + Data(" con leche".utf8))
        try expectRefusal(["add", latin1], code: 4, mentioning: "not valid UTF-8")
        let empty = directory.write("empty.txt", "\n  \n")
        try expectRefusal(["add", empty], code: 4, mentioning: "has no text")
    }

    @Test func testUnknownAndAmbiguousIDsAreRefused() throws {
        try prepareLibrary()
        try expectRefusal(["read", "zzzzzzzz"], code: 2, mentioning: "no item matches")
        try expectRefusal(["rm", "zzzzzzzz"], code: 2, mentioning: "no item matches")
        try expectRefusal(["mark", "0", "read"], code: 3, mentioning: "matches several items")
        try expectRefusal(["restore", "0", "--to", "1"], code: 3, mentioning: "matches several items")
    }

    @Test func testLibraryProblemsAreRefused() throws {
        try expectRefusal(["list"], code: 2, mentioning: "no library at")
        directory.write("library.sqlite", "this is a text file, not a library\n")
        let contents = FileManager.default.contents(atPath: libraryPath)
        let result = try run(["list"])
        #expect(result.status == 5 && result.stderr.contains("is not a Parallax library"))
        #expect(FileManager.default.contents(atPath: libraryPath) == contents)
        let underFile = try CommandLineRunner.run([
            "init", "--library", libraryPath + "/nested/library.sqlite",
        ])
        #expect(underFile.status == 7 && underFile.stderr.contains("cannot write"))
    }

    @Test func testLockedLibraryIsRefusedAfterTheBusyTimeout() throws {
        try prepareLibrary()
        let before = try export()
        let holder = try DatabaseQueue(path: libraryPath)
        let result = try holder.writeWithoutTransaction { db -> CommandResult in
            try db.execute(sql: "BEGIN EXCLUSIVE")
            defer { try? db.execute(sql: "ROLLBACK") }
            let file = directory.write("third.txt", "Third Headline Here Now\n\nA third body sentence.")
            return try run(["add", file], environment: ["PARALLAX_BUSY_TIMEOUT": "0.3"])
        }
        try holder.close()
        #expect(result.status == 6)
        #expect(result.stderr.contains("locked by another process"))
        #expect(try export() == before)
    }

    @Test func testInvalidSearchAndTagAreRefused() throws {
        try prepareLibrary()
        try expectRefusal(["search", "AND"], code: 4, mentioning: "cannot search")
        try expectRefusal(["tag", "0", "+a,b"], code: 4, mentioning: "invalid tag")
    }

    @Test func testOutputPathsNeverReplaceTheUsersOwnFiles() throws {
        try prepareLibrary()
        let notes = directory.write("notes.txt", "The reader's own notes.")
        for arguments in [
            ["export", "--format", "jsonl", "-o", notes], ["export", "--format", "html", "-o", notes],
            ["export", "--format", "epub", "-o", notes], ["sync", "export", "-o", notes],
        ] {
            try expectRefusal(arguments, code: 4, mentioning: "is not")
            #expect(try String(contentsOfFile: notes, encoding: .utf8) == "The reader's own notes.")
        }
        let vault = directory.path("vault")
        try FileManager.default.createDirectory(atPath: vault, withIntermediateDirectories: false)
        _ = directory.write("vault/index.md", "# My notes")
        _ = directory.write("vault/precious.txt", "mine")
        try expectRefusal(["export", "--format", "markdown", "-o", vault], code: 4, mentioning: "vault")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: vault).sorted() == [
                "index.md", "precious.txt",
            ])
        // The same commands replace their own earlier output.
        let bundle = directory.path("out.pxb")
        for _ in 0..<2 { #expect(try run(["sync", "export", "-o", bundle]).status == 0) }
    }
}
