import Foundation
import ParallaxTestSupport
import Testing

/// A value past its field's cap fails its record in one line; an import saves the others.
@Suite struct FieldCapCommandTests {
    let directory = TemporaryDirectory()
    var library: String { directory.path("library.sqlite") }

    var parallax: ParallaxCommand { ParallaxCommand(in: directory, library: library) }

    @Test func addWithATitlePastTheCapFailsInOneLineAndStoresNothing() throws {
        #expect(try parallax(["init"]).status == 0)
        let file = directory.write("a.txt", "Headline Number One Here\n\nA body sentence for the article.")
        let result = try parallax(["add", file, "--title", String(repeating: "T", count: 2_001)])
        #expect(result.status == 4)
        #expect(
            result.stderr.split(separator: "\n").count == 1 && result.stderr.count < 200, "\(result.stderr)")
        #expect(result.stderr.contains("a title may hold at most 2,000 characters"))
        #expect(try parallax(["export"]).stdout.isEmpty)
    }

    @Test func noteAndHighlightPastTheirCapsFailInOneLine() throws {
        #expect(try parallax(["init"]).status == 0)
        let file = directory.write("a.txt", "Headline Number One Here\n\nA body sentence for the article.")
        #expect(try parallax(["add", file]).status == 0)
        let id = try #require(try parallax(["list", "--json"]).stdout.firstMatch(of: /"id" : "(\w+)"/)?.1)
        let before = try parallax(["export"]).stdout
        let note = try parallax(["note", String(id), String(repeating: "n", count: 100_001)])
        #expect(note.status == 4 && note.stderr.split(separator: "\n").count == 1)
        #expect(note.stderr.contains("a note may hold at most 100,000 characters"))
        let highlight = try parallax([
            "highlight", String(id), "body sentence", "--note", String(repeating: "n", count: 100_001),
        ])
        #expect(highlight.status == 4 && highlight.stderr.contains("at most 100,000 characters"))
        #expect(try parallax(["export"]).stdout == before)
    }

    @Test func anImportSavesTheOtherRecordsAndNamesTheOneOverACap() throws {
        #expect(try parallax(["init"]).status == 0)
        let records = [
            #"{"url": "https://example.com/1", "title": "First", "text": "The first article's text."}"#,
            #"{"url": "https://example.com/2", "title": "\#(String(repeating: "x", count: 3 << 20))", "text": "The second article's text."}"#,
            #"{"url": "https://example.com/3", "title": "Third", "source": "\#(String(repeating: "s", count: 501))", "text": "The third article's text."}"#,
            #"{"url": "https://example.com/4", "title": "Fourth", "text": "The fourth article's text."}"#,
        ]
        let file = directory.write("capped.jsonl", records.joined(separator: "\n"))
        let result = try parallax(["import", file])
        #expect(result.status == 4)
        #expect(result.stdout.contains("2 saved") && result.stdout.contains("2 failed"), "\(result.stdout)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 2 && result.stderr.count < 400, "\(result.stderr)")
        #expect(
            lines.first?.contains("capped.jsonl:2:") == true
                && lines.first?.contains("a title may hold") == true)
        #expect(
            lines.last?.contains("capped.jsonl:3:") == true
                && lines.last?.contains("a source may hold") == true)
        let listed = try parallax(["list"]).stdout
        #expect(listed.contains("First") && listed.contains("Fourth") && !listed.contains("Third"))
    }
}
