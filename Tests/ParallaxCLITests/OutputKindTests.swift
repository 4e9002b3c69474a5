import Foundation
import ParallaxTestSupport
import Testing

/// `-o PATH` replaces only an earlier output of its own kind, told by the mark Parallax writes
/// in it: a user's file, or another command's output, is refused with exit 4 and one line, and
/// stays as it was byte for byte.
@Suite struct OutputKindTests {
    let directory = TemporaryDirectory()

    var parallax: ParallaxCommand { ParallaxCommand(in: directory) }

    /// The sample event: the seed article and its companions, from four outlets.
    func addSampleEvent() throws -> String {
        #expect(try parallax(["init"]).status == 0)
        let seed = directory.write("seed.txt", Fixtures.seedArticle)
        let added = try parallax(
            ["add", seed, "--source", "Al-Ahed News", "--published", "2019-02-14", "--json"])
        let seedID = try #require(
            (try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])?["short_id"]
                as? String)
        #expect(try parallax(["import", CommandLineTests.companions]).status == 0)
        return seedID
    }

    func expectRefused(_ arguments: [String], keeps path: String, kind: String) throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try parallax(arguments)
        #expect(result.status == 4, "\(arguments): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        #expect(
            result.stderr.hasPrefix(
                "parallax: error: \(path): the file exists and is not \(kind) Parallax wrote"),
            "\(arguments): \(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "\(arguments) changed \(path)")
    }

    @Test func jsonLinesExportRefusesAUsersJSONAndReplacesOnlyAnEarlierExport() throws {
        #expect(try parallax(["init"]).status == 0)
        let article = directory.write(
            "a.txt", "Harbour Talks Resume\n\nThe talks at the harbour resumed on Monday.")
        #expect(try parallax(["add", article]).status == 0)
        let settings = directory.write("settings.json", #"{"theme":"dark","apiKey":"k-123"}"#)
        let notes = directory.write(
            "notes.jsonl",
            #"{"id":1,"title":"Groceries","body":"milk"}"# + "\n" + #"{"id":2,"title":"Call Ana"}"# + "\n")
        for path in [settings, notes] {
            try expectRefused(
                ["export", "--format", "jsonl", "-o", path], keeps: path, kind: "a JSON Lines export")
        }
        let export = directory.path("export.jsonl")
        #expect(try parallax(["export", "-o", export]).status == 0)
        let more = directory.write("b.txt", "Ferry Service Returns\n\nThe ferry sailed again on Tuesday.")
        #expect(try parallax(["add", more]).status == 0)
        let again = try parallax(["export", "--format", "jsonl", "-o", export])
        #expect(again.status == 0, "\(again.stderr)")
        let lines = try String(contentsOfFile: export, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2 && lines.allSatisfy { $0.hasPrefix(#"{"_parallax_export":1,"#) })
    }

    @Test func eachHTMLKindReplacesOnlyItsOwnKind() throws {
        let seedID = try addSampleEvent()
        let outlets = ["--sources", "Al-Ahed News", "Meridian Wire (sample)"]
        let writers: [(kind: String, arguments: (String) -> [String])] = [
            ("an article page", { ["open", seedID, "--no-browser", "-o", $0] }),
            ("an HTML export", { ["export", "--format", "html", "-o", $0] }),
            ("a framing report", { ["report", "--event", seedID, "--format", "html", "-o", $0] }),
            ("an outlet comparison", { ["compare"] + outlets + ["--format", "html", "-o", $0] }),
        ]
        var pages: [String] = []
        for (index, writer) in writers.enumerated() {
            let path = directory.path("page-\(index).html")
            for _ in 0..<2 {
                let written = try parallax(writer.arguments(path))
                #expect(written.status == 0, "\(writer.kind): \(written.stderr)")
            }
            pages.append(path)
        }
        for (index, writer) in writers.enumerated() {
            for (other, page) in pages.enumerated() where other != index {
                try expectRefused(writer.arguments(page), keeps: page, kind: writer.kind)
            }
        }
    }

    @Test func reportsInMarkdownAndJSONReplaceOnlyTheirOwnCommandsOutput() throws {
        let seedID = try addSampleEvent()
        let outlets = ["--sources", "Al-Ahed News", "Meridian Wire (sample)"]
        for format in ["md", "json"] {
            let report = directory.path("report.\(format)")
            let comparison = directory.path("comparison.\(format)")
            #expect(
                try parallax(["report", "--event", seedID, "--format", format, "-o", report]).status == 0)
            #expect(try parallax(["compare"] + outlets + ["--format", format, "-o", comparison]).status == 0)
            try expectRefused(
                ["report", "--event", seedID, "--format", format, "-o", comparison], keeps: comparison,
                kind: "a framing report")
            try expectRefused(
                ["compare"] + outlets + ["--format", format, "-o", report], keeps: report,
                kind: "an outlet comparison")
        }
    }
}
