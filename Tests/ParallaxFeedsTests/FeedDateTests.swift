import Foundation
import ParallaxSimulation
import ParallaxTestSupport
import Testing

@testable import ParallaxFeeds

/// Dates in every form real feeds write them come out as the moment they name, in UTC.
@Suite struct FeedDateTests {
    /// A date string and the UTC moment it names, as `YYYY-MM-DDTHH:MM:SSZ`, or nil for none.
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let moment: String?
        var testDescription: String { text }
        init(_ text: String, _ moment: String?) { (self.text, self.moment) = (text, moment) }
    }

    static let specified: [Case] = [
        Case("Tue, 05 Mar 2024 14:30:00 EST", "2024-03-05T19:30:00Z"),
        Case("Tue, 05 Mar 2024 14:30:00 PDT", "2024-03-05T21:30:00Z"),
        Case("Tue, 05 Mar 2024 14:30:00 UT", "2024-03-05T14:30:00Z"),
        Case("Tue, 05 Mar 2024 14:30:00 GMT", "2024-03-05T14:30:00Z"),
        Case("Tue, 05 Mar 2024 14:30:00 Z", "2024-03-05T14:30:00Z"),
        // RFC 822's military zones, signed as RFC 822 wrote them: A is -1, N is +1.
        Case("Tue, 05 Mar 2024 14:30:00 A", "2024-03-05T15:30:00Z"),
        Case("Tue, 05 Mar 2024 14:30:00 N", "2024-03-05T13:30:00Z"),
        Case("Tue, 05 Mar 2024 14:30:00 Y", "2024-03-05T02:30:00Z"),
        Case("Wed, 06 Mar 24 09:15 GMT", "2024-03-06T09:15:00Z"),
        Case("06 Mar 99 09:15:00 +0000", "1999-03-06T09:15:00Z"),
        // The day name is wrong (7 March 2024 was a Thursday): the date stands.
        Case("Mon, 07 Mar 2024 08:00:00 +0100", "2024-03-07T07:00:00Z"),
        Case("Thu, 07 March 2024 08:00:00 +01:00", "2024-03-07T07:00:00Z"),
        Case("Thu, 07 Mar 2024 08:00:00 +0000 (UTC)", "2024-03-07T08:00:00Z"),
        Case("2024-03-05T10:14:55+01:00", "2024-03-05T09:14:55Z"),
        Case("2024-03-05T10:14+01:00", "2024-03-05T09:14:00Z"),
        Case("2024-03-05T10:14:55", "2024-03-05T10:14:55Z"),
        Case("2024-03-05T10:14:55.123456Z", "2024-03-05T10:14:55Z"),
        Case("2024-03-05", "2024-03-05T00:00:00Z"),
        Case("2024-02-30", nil),
        Case("yesterday", nil),
        Case("", nil),
        Case("Sun, 31 Dec 9999 23:59:59 -0100", nil),
        // Before year 0 there is no date to name, and no zone is a day or more from UTC.
        Case("0000-01-01T00:00:00+01:00", nil),
        Case("Sat, 01 Jan 0000 00:30:00 +0100", nil),
        Case("2024-03-05T10:14:55+99:59", nil),
        Case("Tue, 05 Mar 2024 14:30:00 +2400", nil),
        Case("Tue, 05 Mar 2024 14:30:00 +2359", "2024-03-04T14:31:00Z"),
    ]

    @Test(arguments: specified)
    func testADateInAnyFormFeedsWriteNamesItsMomentInUTC(_ date: Case) {
        #expect(FeedDate.parse(date.text).map(FeedDate.iso8601) == date.moment)
    }

    /// The parsers of feedparser's test file this reader covers; the Greek, Hungarian, Korean
    /// and Perforce forms, and ISO 8601's two-digit years and ordinal days, are not read.
    static let coveredParsers = ["_parse_date_rfc822", "_parse_date_w3dtf", "_parse_date_asctime"]

    @Test func testFeedparsersDateStringsGiveTheMomentsItExpects() throws {
        guard let shared = Fixtures.sharedDirectory else {
            print("skipped: ../shared is absent, so feedparser's date tests are not there")
            return
        }
        let file = shared.appendingPathComponent("corpora/feedparser-tests/test_date_parsers.py")
        let source = try String(contentsOf: file, encoding: .utf8)
        let cases = PythonDateCases.read(source).filter { Self.coveredParsers.contains($0.parser) }
        #expect(cases.count >= 40, "the test file's cases are found")
        for item in cases {
            let parsed = FeedDate.parse(item.input)
            if let expected = item.expected {
                let moment = try #require(parsed, "\(item.parser)(\(item.input)) gave no date")
                #expect(FeedDate.iso8601(moment) == expected, "\(item.parser)(\(item.input))")
            } else {
                #expect(parsed == nil, "\(item.parser)(\(item.input)) should be no date")
            }
        }
    }

    /// The bytes-only reading of the two common forms never disagrees with reading field by
    /// field: on every case here, on feedparser's, and on random near-canonical dates (digits
    /// out of range, one-digit fields, odd zones and day names).
    @Test(arguments: [UInt64(31), 32, 33])
    func testTheShortWayReadsCommonDatesAsTheLongWayDoes(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        func pick(_ choices: [String]) -> String { choices.randomElement(using: &generator)! }
        func digits(_ count: Int) -> String {
            String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
        }
        var texts = Self.specified.map(\.text)
        if let shared = Fixtures.sharedDirectory {
            let file = shared.appendingPathComponent("corpora/feedparser-tests/test_date_parsers.py")
            texts += PythonDateCases.read(try String(contentsOf: file, encoding: .utf8)).map(\.input)
        }
        // Mostly in range, so that most dates are real ones; sometimes any digits at all.
        func field(_ range: ClosedRange<Int>) -> String {
            Int.random(in: 0..<8, using: &generator) == 0
                ? digits(2) : String(format: "%02d", Int.random(in: range, using: &generator))
        }
        for _ in 0..<3_000 {
            let clock = "\(field(0...23)):\(field(0...59)):\(pick([field(0...60), digits(1)]))"
            let zone = pick([
                "Z", "Z", "z", "+\(field(0...14)):\(field(0...59))", "-\(field(0...12))\(field(0...59))",
                "+\(digits(2))", "", " GMT",
            ])
            texts.append(
                "\(pick(["2024", digits(4)]))-\(field(1...12))-\(pick([field(1...31), digits(1)]))"
                    + "\(pick(["T", "T", "t", " "]))\(clock)" + pick(["", ".\(digits(3))", "."]) + zone)
            let named = pick([
                "GMT", "gmt", "UT", "EST", "PDT", "Z", "A", "N", "XYZ", "+0100", "-0530", "+01:00", "+9999",
            ])
            texts.append(
                "\(pick(["Tue", "Mon", "Mar", "Tues", "tue"]))\(pick([", ", " ", ","]))"
                    + "\(pick([field(1...31), digits(1)])) \(pick(["Mar", "mar", "Feb", "March", "Xyz"])) "
                    + "\(pick([digits(4), digits(2)])) \(clock) \(named)")
        }
        var read = 0
        for text in texts {
            let trimmed = FeedText.trimmedWhitespace(text)
            guard let short = FeedDate.canonical(trimmed) else { continue }
            read += 1
            #expect(FeedDate.parsedByFields(trimmed) == short, "for \(text)")
        }
        // The short way is taken often enough for the comparison to mean something.
        #expect(read > 100)
    }

    @Test func testMomentsRoundTripThroughTheCivilCalendar() {
        for days in stride(from: -800_000, through: 2_900_000, by: 997) {
            let (year, month, day) = FeedDate.civil(fromDays: days)
            #expect(FeedDate.daysFromCivil(year: year, month: month, day: day) == days)
        }
    }
}

/// The cases of feedparser's `test_date_parsers.py`: `(parser, "input", (y, m, d, H, M, S, …))`.
enum PythonDateCases {
    struct Case {
        var parser: String
        var input: String
        /// The moment as `YYYY-MM-DDTHH:MM:SSZ`, or nil when feedparser expects no date.
        var expected: String?
    }

    static func read(_ source: String) -> [Case] {
        let pattern =
            #"\(\s*(_parse_date_\w+),\s*"((?:[^"\\]|\\.)*)",\s*(None|\((\d+), (\d+), (\d+), (\d+), (\d+), (\d+),[^)]*\))"#
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(source.startIndex..., in: source)
        return expression.matches(in: source, range: range).compactMap { match in
            func group(_ index: Int) -> String? {
                Range(match.range(at: index), in: source).map { String(source[$0]) }
            }
            guard let parser = group(1), let input = group(2).map(unescaped) else { return nil }
            guard let year = group(4).flatMap(Int.init), let month = group(5).flatMap(Int.init),
                let day = group(6).flatMap(Int.init), let hour = group(7).flatMap(Int.init),
                let minute = group(8).flatMap(Int.init), let second = group(9).flatMap(Int.init)
            else { return Case(parser: parser, input: input, expected: nil) }
            let moment = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour, minute, second)
            return Case(parser: parser, input: input, expected: moment)
        }
    }

    /// A Python string literal's text: `\uXXXX` escapes read.
    static func unescaped(_ literal: String) -> String {
        var result = ""
        var scalars = literal.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\\", let escaped = scalars.next() else {
                result.unicodeScalars.append(scalar)
                continue
            }
            if escaped == "u" {
                var hex = ""
                for _ in 0..<4 { if let digit = scalars.next() { hex.unicodeScalars.append(digit) } }
                if let value = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(value) {
                    result.unicodeScalars.append(decoded)
                }
            } else {
                result.unicodeScalars.append(escaped)
            }
        }
        return result
    }
}
