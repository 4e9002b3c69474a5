import Foundation
import GRDB
import ParallaxTestSupport
import Testing

/// Text from outside never drives the terminal: escape sequences in titles, notes, tags and
/// bodies reach a terminal as visible characters. New text is stored without them; these tests
/// hold the text an earlier version stored, which the output cleans as a second line.
@Suite struct TerminalOutputTests {
    let directory = TemporaryDirectory()
    var library: String { directory.path("library.sqlite") }

    /// Runs `parallax` under a pseudo-terminal (util-linux's `script`), as a user at a terminal would.
    func atTerminal(_ arguments: [String]) throws -> String {
        let command = ([CommandLineRunner.executable.path] + arguments + ["--library", library])
            .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = nil
        environment["PARALLAX_LIBRARY"] = nil
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// util-linux's `script`, which Debian installs everywhere (package bsdutils).
    static let hasScript = FileManager.default.isExecutableFile(atPath: "/usr/bin/script")

    @Test(.enabled(if: hasScript, "needs util-linux's script to run parallax at a pseudo-terminal"))
    func testEscapeSequencesAnEarlierVersionStoredReachTheTerminalVisible() throws {
        #expect(try CommandLineRunner.run(["init", "--library", library]).status == 0)
        let record = #"""
            {"url": "https://example.com/1", "title": "Red\u001b[31m alert\u001b]0;pwned\u0007 here", "source": "Wire\u001b[2J", "note": "See\u001b[8m hidden", "tags": ["esc\u001bape"], "text": "The body \u001b[2J clears the screen and\u009b31m more words for an article body."}
            """#
        let file = directory.write("hostile.jsonl", record)
        #expect(try CommandLineRunner.run(["import", file, "--library", library]).status == 0)
        let id = try #require(
            try CommandLineRunner.run(["list", "--json", "--library", library]).stdout
                .firstMatch(of: /"id" : "(\w+)"/)?.1)
        // What an earlier version stored from the same record.
        try DatabaseQueue(path: library).write { db in
            try db.execute(
                sql: "UPDATE item SET title = ?, source = ?, note = ?",
                arguments: [
                    "Red\u{1B}[31m alert\u{1B}]0;pwned\u{07} here", "Wire\u{1B}[2J", "See\u{1B}[8m hidden",
                ])
            try db.execute(sql: "UPDATE item_tag SET tag = ?", arguments: ["esc\u{1B}ape"])
            try db.execute(
                sql: "UPDATE body SET text = ?",
                arguments: [
                    "The body \u{1B}[2J clears the screen and\u{9B}31m more words for an article body."
                ])
        }
        let commands: [[String]] = [
            ["list"], ["read", String(id)], ["search", "body"], ["history", String(id)], ["log"], ["stats"],
            ["note", String(id), "Again"], ["tag", String(id), "+more"],
        ]
        for arguments in commands {
            let output = try atTerminal(arguments)
            var stripped = output
            for own in ["\u{1B}[1m", "\u{1B}[2m", "\u{1B}[0m", "\u{1B}[2K"] {
                stripped = stripped.replacingOccurrences(of: own, with: "")
            }
            #expect(
                !stripped.contains("\u{1B}") && !stripped.contains("\u{07}") && !stripped.contains("\u{9B}"),
                "\(arguments) printed \(output.debugDescription)")
        }
        #expect(try atTerminal(["list"]).contains("␛"))
    }

    @Test(.enabled(if: hasScript, "needs util-linux's script to run parallax at a pseudo-terminal"))
    func testGroupingShowsItsProgressAtATerminalOnly() throws {
        #expect(try CommandLineRunner.run(["init", "--library", library]).status == 0)
        let records = (0..<4).map { index in
            #"{"url": "https://example.com/\#(index)", "title": "Dockworkers strike in Rotterdam", "source": "Outlet \#(index)", "text": "Dockworkers at the port of Rotterdam walked out on Tuesday over automated cranes."}"#
        }
        let file = directory.write("strike.jsonl", records.joined(separator: "\n"))
        #expect(try CommandLineRunner.run(["import", file, "--library", library]).status == 0)
        #expect(try atTerminal(["events"]).contains("Grouping: "))
        // A new article makes the next listing group again, this time into a pipe.
        let another = records[0].replacingOccurrences(of: "example.com/0", with: "example.com/new")
            .replacingOccurrences(of: "Outlet 0", with: "Outlet 9")
        #expect(
            try CommandLineRunner.run([
                "import", directory.write("more.jsonl", another), "--library", library,
            ])
            .status == 0)
        let piped = try CommandLineRunner.run(["events", "--library", library])
        #expect(piped.status == 0 && !piped.stderr.contains("Grouping"))
    }
}
