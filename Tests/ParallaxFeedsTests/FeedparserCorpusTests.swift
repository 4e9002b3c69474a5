import Foundation
import ParallaxTestSupport
import Testing

@testable import ParallaxFeeds

/// feedparser's own test documents (`../shared/corpora/feedparser-tests`, BSD) read as feedparser
/// reads them, for what Parallax keeps: feed and entry titles (as text), links, ids, authors and
/// dates. Each document states its expectation as a Python expression in its opening comment;
/// the documents whose every clause is about those fields are checked, the others skipped.
@Suite struct FeedparserCorpusTests {
    /// One clause of an `Expect:` line: a field of the feed or of its first entry, and its value.
    struct Clause {
        var field: String
        var ofEntry: Bool
        var value: String
    }

    /// The fields checked, by feedparser's name: of an entry, and of the feed itself.
    static let entryFields: Set<String> = [
        "title", "link", "id", "author", "published_parsed", "updated_parsed",
    ]
    static let feedFields: Set<String> = ["title", "link"]

    /// Folders of formats Parallax does not follow (Microsoft's CDF), and documents whose
    /// expectation depends on HTTP headers the corpus does not carry (`http_…`).
    static func isOutOfScope(_ relative: String) -> Bool {
        relative.hasPrefix("cdf/") || (relative as NSString).lastPathComponent.hasPrefix("http_")
    }

    /// Documents whose expectation Parallax meets differently on purpose, and why.
    static let knownDifferences: [String: String] = [
        "wellformed/sanitize/xml_declaration_unexpected_character.xml":
            "an HTML title that is only '<!DOCTYPE ~' holds no text for libxml2's HTML parser, so no title is kept",
        "wellformed/sanitize/xml_malicious_comment.xml":
            "libxml2's HTML parser reads an unclosed comment to the title's end, where feedparser's sanitizer "
            + "resumes after '>': Parallax keeps 'sa', and no script either way",
    ]

    @Test func testFeedparsersDocumentsReadAsFeedparserReadsThem() throws {
        guard let shared = Fixtures.sharedDirectory else {
            print("skipped: ../shared is absent, so feedparser's test documents are not there")
            return
        }
        let root = shared.appendingPathComponent("corpora/feedparser-tests")
        var checked = 0
        var failures: [String] = []
        for folder in ["wellformed", "encoding"] {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let relative as String in walker
            where relative.hasSuffix(".xml") && !Self.isOutOfScope(relative) {
                let path = base.appendingPathComponent(relative).path
                guard let clauses = Self.clauses(in: path) else { continue }
                let name = "\(folder)/\(relative)"
                checked += 1
                let problem = Self.problem(reading: path, against: clauses)
                if let problem, Self.knownDifferences[name] == nil { failures.append("\(name): \(problem)") }
            }
        }
        print("feedparser corpus: \(checked) documents checked, \(failures.count) differ")
        #expect(checked >= 100, "the corpus's documents are found")
        let listed = failures.prefix(40).joined(separator: "\n")
        #expect(failures.isEmpty, "\(failures.count) differ:\n\(listed)")
    }

    /// What differs between Parallax's reading and the expectation; nil when nothing does.
    static func problem(reading path: String, against clauses: [Clause]) -> String? {
        let feed: ParsedFeed
        do {
            feed = try FeedParser.parse(file: path, address: "http://example.com/feed.xml")
        } catch {
            return "not read: \(error.localizedDescription)"
        }
        for clause in clauses {
            let actual =
                clause.ofEntry
                ? feed.entries.first.flatMap { value(of: clause.field, in: $0) }
                : value(
                    of: clause.field, in: feed)
            if !matches(actual, clause) {
                return "\(clause.field) is \(actual ?? "nil"), expected \(clause.value)"
            }
        }
        return nil
    }

    /// How feedparser's value translates into what Parallax keeps. feedparser keeps an HTML
    /// title's markup and Parallax its text, so a title matches as written or as text; an empty
    /// title is none; and feedparser appends an Atom author's e-mail address, which Parallax's
    /// author line leaves out.
    static func matches(_ actual: String?, _ clause: Clause) -> Bool {
        let expected = clause.value
        switch clause.field {
        case "title":
            return (actual ?? "") == expected || (actual ?? "") == plainTitle(expected)
        case "author":
            guard let actual else { return expected.isEmpty }
            return actual == expected || (expected.hasPrefix(actual + " (") && expected.hasSuffix(")"))
        default:
            return actual == expected
        }
    }

    static func value(of field: String, in entry: FeedEntry) -> String? {
        switch field {
        case "title": entry.title
        case "link": entry.url
        case "id": entry.id
        case "author": entry.author
        case "published_parsed": entry.published.map(FeedDate.iso8601)
        case "updated_parsed": entry.updated.map(FeedDate.iso8601)
        default: nil
        }
    }

    static func value(of field: String, in feed: ParsedFeed) -> String? {
        switch field {
        case "title": feed.title
        case "link": feed.home
        default: nil
        }
    }

    /// feedparser keeps an HTML title's markup; Parallax keeps its text, as the HTML parser reads it.
    static func plainTitle(_ html: String) -> String {
        FeedText.line(FeedText.plain(fromHTML: html)) ?? ""
    }

    // MARK: - Reading expectations

    /// The clauses of a document's `Expect:` line, when every one is about a checked field.
    static func clauses(in path: String) -> [Clause]? {
        guard let handle = FileHandle(forReadingAtPath: path),
            let opening = try? handle.read(upToCount: 4_096)
        else { return nil }
        try? handle.close()
        let header = String(decoding: opening, as: UTF8.self)
        guard let line = header.split(separator: "\n").first(where: { $0.hasPrefix("Expect:") }) else {
            return nil
        }
        let expression = line.dropFirst("Expect:".count).trimmingCharacters(in: .whitespaces)
        var clauses: [Clause] = []
        for part in expression.components(separatedBy: " and ") {
            let clause = part.trimmingCharacters(in: .whitespaces)
            if clause == "not bozo" { continue }
            guard let parsed = Self.clause(clause) else { return nil }
            clauses.append(parsed)
        }
        return clauses.isEmpty ? nil : clauses
    }

    /// `feed['title'] == u'…'`, `entries[0]['link'] == '…'`, `entries[0]['updated_parsed'] == (…)`.
    static func clause(_ text: String) -> Clause? {
        let pattern =
            #"^(feed|entries\[0\])\[['"](\w+)['"]\] == (u?'(?:[^'\\]|\\.)*'|u?"(?:[^"\\]|\\.)*"|\([\d, ]+\))$"#
        guard let expression = try? NSRegularExpression(pattern: pattern),
            let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let owner = Range(match.range(at: 1), in: text), let field = Range(match.range(at: 2), in: text),
            let value = Range(match.range(at: 3), in: text)
        else { return nil }
        let ofEntry = text[owner].hasPrefix("entries")
        guard (ofEntry ? entryFields : feedFields).contains(String(text[field])) else { return nil }
        let literal = String(text[value])
        let decoded: String
        if literal.hasPrefix("(") {
            let numbers = literal.dropFirst().dropLast().split(separator: ",").compactMap {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
            guard numbers.count >= 6 else { return nil }
            decoded = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02dZ", numbers[0], numbers[1], numbers[2], numbers[3],
                numbers[4],
                numbers[5])
        } else {
            let body = literal.drop { $0 == "u" }.dropFirst().dropLast()
            decoded = PythonDateCases.unescaped(String(body))
        }
        return Clause(field: String(text[field]), ofEntry: ofEntry, value: decoded)
    }
}
