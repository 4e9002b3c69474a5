import ArgumentParser
import Testing

@testable import parallax

/// Arguments are checked as they are parsed, in process, before any library is opened: each bad
/// combination gives its one-line message and the usage exit code (64), and good ones parse into
/// the values the command runs with. Spawning the binary stays for what needs a process.
@Suite struct ArgumentValidationTests {
    /// Arguments that must be refused, and the message that must say why.
    struct Refusal: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let message: String
        var testDescription: String { arguments.joined(separator: " ") }
        init(_ arguments: [String], _ message: String) {
            (self.arguments, self.message) = (arguments, message)
        }
    }

    static let refusals: [Refusal] = [
        Refusal(
            ["highlight", "ab12", "a passage", "--remove", "cd34"], "Give a passage or --remove, not both."),
        Refusal(["highlight", "ab12", "--note", "why"], "--note needs a passage to highlight."),
        Refusal(["mark", "ab12", "reading", "--progress", "1.5"], "--progress must be between 0 and 1."),
        Refusal(["report", "--format", "md"], "Give either --event or --articles."),
        Refusal(["report", "--event", "ab", "--articles", "a,b"], "Give either --event or --articles."),
        Refusal(["report", "--articles", "ab12"], "--articles needs at least two ids, separated by commas."),
        Refusal(
            ["compare", "--sources", "BBC", "--sources", "BBC"],
            "--sources needs two or more different outlets."),
        Refusal(["import", "list.csv", "--concurrency", "0"], "--concurrency must be 1 to 16."),
        Refusal(["search", "  "], "The query is empty."),
        Refusal(["search", "strike", "--limit", "0"], "--limit must be at least 1."),
        Refusal(["log", "--limit", "0"], "--limit must be at least 1."),
        Refusal(["serve", "--port", "70000"], "--port must be from 0 to 65535."),
        Refusal(["images", "on", "--drop-kept"], "--drop-kept goes with 'off'."),
        Refusal(
            ["add", "page.html", "--url", "ftp://example.com/a"], "--url must be an http or https address."),
        Refusal(["feeds", "refresh", "ab12", "--all"], "Name feeds or give --all, not both."),
        Refusal(["feeds", "add", "https://example.com/", "--pick", "0"], "--pick counts from 1."),
        Refusal(["keep"], "Missing expected argument '<item> ...'"),
    ]

    @Test(arguments: refusals)
    func testBadArgumentsAreRefusedWithTheirReasonAndTheUsageCode(refusal: Refusal) {
        do {
            let command = try Parallax.parseAsRoot(refusal.arguments)
            Issue.record("parsed into \(type(of: command))")
        } catch {
            #expect(Parallax.message(for: error) == refusal.message)
            #expect(Parallax.exitCode(for: error).rawValue == 64)
        }
    }

    @Test func testGoodArgumentsParseIntoTheValuesTheCommandRunsWith() throws {
        let highlight = try #require(
            try Parallax.parseAsRoot(["highlight", "ab12", "a passage", "--note", "why"]) as? HighlightCommand
        )
        #expect(
            (highlight.id, highlight.quote, highlight.note, highlight.remove) == (
                "ab12", "a passage", "why", nil
            ))

        let mark = try #require(
            try Parallax.parseAsRoot(["mark", "ab12", "reading", "--progress", "0.4"]) as? MarkCommand)
        #expect(mark.progress == 0.4)

        let report = try #require(
            try Parallax.parseAsRoot(["report", "--articles", "ab,cd"]) as? ReportCommand)
        #expect(report.event == nil)

        let search = try #require(
            try Parallax.parseAsRoot(["search", "strike", "--limit", "5"]) as? SearchCommand)
        #expect((search.query, search.limit) == ("strike", 5))

        let importing = try #require(
            try Parallax.parseAsRoot(["import", "list.csv", "--fetch"]) as? ImportCommand)
        #expect((importing.file, importing.fetch, importing.concurrency) == ("list.csv", true, 4))

        let list = try #require(try Parallax.parseAsRoot(["list"]) as? ListCommand)
        #expect(list.scope == .mine)
        let feeds = try #require(try Parallax.parseAsRoot(["list", "--feeds"]) as? ListCommand)
        #expect(feeds.scope == .feeds)
        #expect(throws: (any Error).self) { try Parallax.parseAsRoot(["list", "--feeds", "--mine"]) }
    }
}
