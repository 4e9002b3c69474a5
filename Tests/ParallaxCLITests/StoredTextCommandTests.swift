import Foundation
import GRDB
import ParallaxTestSupport
import Testing

/// Controls in text from outside are dropped when it is stored, so they reach no terminal even
/// through a pipe, and `doctor --repair` cleans what earlier versions stored.
@Suite struct StoredTextCommandTests {
    let directory = TemporaryDirectory()
    var library: String { directory.path("library.sqlite") }

    var parallax: ParallaxCommand { ParallaxCommand(in: directory, library: library) }

    static func hasControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x0A: false
            case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
            default: false
            }
        }
    }

    @Test func anImportedTitleReachesAPipeWithoutEscapes() throws {
        #expect(try parallax("init").status == 0)
        let record = #"""
            {"url": "https://example.com/1", "title": "Red\u001b]0;pwned\u0007 alert\u001b[2J \u202ehere", "source": "Wire\u001b[2J", "byline": "Jane\u009b31m", "note": "See\u001b[8m hidden", "tags": ["esc\u001bape"], "text": "The body \u001b[2J clears the screen and\u009b31m more words.\n\nA second\tparagraph.", "highlights": [{"quote": "second\tparagraph", "note": "n\u0007"}]}
            """#
        #expect(try parallax("import", directory.write("hostile.jsonl", record)).status == 0)
        for command in [["list"], ["search", "body"], ["export"], ["stats"]] {
            let result = try CommandLineRunner.run(command + ["--library", library])
            #expect(
                result.status == 0 && !Self.hasControl(result.stdout),
                "\(command): \(result.stdout.debugDescription)")
        }
        #expect(try parallax("list").stdout.contains("Red]0;pwned alert[2J here"))
        let exported = try parallax("export").stdout
        // Newline and tab are kept in a body; JSON writes them escaped.
        #expect(exported.contains(#"A second\tparagraph."#) && exported.contains(#"more words.\n\nA second"#))
        #expect(exported.contains(#""tags":["escape"]"#))
    }

    @Test func doctorReportsControlsAnEarlierVersionStoredAndRepairCleansThem() throws {
        #expect(try parallax("init").status == 0)
        let file = directory.write(
            "a.txt", "Headline Number One Here\n\nA body sentence with officials discussed in it.")
        #expect(try parallax("add", file, "--tag", "plain").status == 0)
        let id = try #require(try parallax("list", "--json").stdout.firstMatch(of: /"id" : "(\w+)"/)?.1)
        #expect(try parallax("highlight", String(id), "officials discussed", "--note", "kept").status == 0)
        let queue = try DatabaseQueue(path: library)
        try queue.write { db in
            try db.execute(
                sql: "UPDATE item SET title = ?", arguments: ["Red\u{1B}]0;pwned\u{07} \u{202E}alert"])
            try db.execute(sql: "UPDATE item_tag SET tag = ?", arguments: ["pla\u{1B}in"])
            try db.execute(sql: "UPDATE highlight SET note = ?", arguments: ["ke\u{9B}pt"])
        }
        let found = try parallax("doctor")
        #expect(found.status == 8)
        #expect(found.stdout.contains("text: 1 item, 1 tag, 1 highlight hold control characters"))
        let repaired = try parallax("doctor", "--repair")
        #expect(repaired.status == 0, "\(repaired.stdout) \(repaired.stderr)")
        #expect(repaired.stdout.contains("Cleaned the text of 1 item, 1 tag, 1 highlight."))
        #expect(try parallax("doctor").status == 0)
        let listed = try parallax("list").stdout
        #expect(listed.contains("Red]0;pwned alert") && !Self.hasControl(listed))
    }
}
