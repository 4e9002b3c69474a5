import Foundation
import ParallaxStore

/// The one date rule every import follows: a date a record gives is one a person could have
/// meant, or its record fails with a line naming the field. Nothing is dropped or replaced by
/// today in silence.
///
/// A date a reader acted on (saved, highlighted) lies in 1980–9999: no reading service or
/// browser saved anything earlier, and ISO 8601 writes no later year. An article may be older
/// than the services that kept it, so a publication date may lie anywhere in 1000–9999; a
/// year before that is a placeholder (`0001-01-01`), not a date.
enum ImportDate {
    /// What a date says, which decides how far back it may go.
    enum Meaning {
        /// When a reader saved or highlighted something.
        case action
        /// When the article was published.
        case publication

        var years: ClosedRange<Int> {
            switch self {
            case .action: 1980...9999
            case .publication: 1000...9999
            }
        }
    }

    /// A date written as text, in any form a service writes (ISO 8601, `YYYY-MM-DD HH:MM:SS`
    /// in UTC, "19 Nov 2019"), in the form the library stores.
    /// - Throws: ``ImportRecordError/malformed(_:)`` for text that is no date, or a date outside
    ///   the years of its meaning.
    static func text(_ text: String, field: String, meaning: Meaning = .action) throws -> String {
        guard let date = PublicationDate.normalize(text) else { throw refused(text, field, meaning) }
        try check(date, shown: text, field: field, meaning: meaning)
        return date
    }

    /// A date written as a count of seconds (Pocket, Instapaper, bookmarks files) or smaller
    /// units since 1970, or since `epoch` seconds after 1970; nil when absent, empty or zero,
    /// which services write for "no date".
    /// - Parameter unitsPerSecond: 1 for seconds, 1,000,000 for the microseconds of browsers.
    /// - Throws: ``ImportRecordError/malformed(_:)`` for anything but a whole number giving a
    ///   date in 1980–9999: a negative one, one past the year 9999, text.
    static func count(
        _ text: String?, field: String, unitsPerSecond: Double = 1, since epoch: Double = 0
    ) throws -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let units = Double(text), units.isFinite, !text.contains(where: { $0.isLetter }) else {
            throw refused(text, field, .action)
        }
        if units == 0 { return nil }
        let seconds = units / unitsPerSecond + epoch
        // Beyond these bounds Date itself loses the year; the check below says why in words.
        guard abs(seconds) < 1e15 else { throw refused(text, field, .action) }
        let date = Timestamp.string(from: Date(timeIntervalSince1970: seconds))
        try check(date, shown: text, field: field, meaning: .action)
        return date
    }

    /// Checks the year of a date in the library's form (`YYYY-MM-DD…`): four digits, in the
    /// years of its meaning.
    /// - Parameter shown: The date as the file wrote it, for the message.
    /// - Throws: ``ImportRecordError/malformed(_:)``.
    static func check(_ date: String, shown: String, field: String, meaning: Meaning) throws {
        let year = date.prefix { $0 != "-" }
        guard year.count == 4, let number = Int(year), meaning.years.contains(number) else {
            throw refused(shown, field, meaning)
        }
    }
}

private extension ImportDate {
    static func refused(_ text: String, _ field: String, _ meaning: Meaning) -> ImportRecordError {
        let shown = text.replacingOccurrences(of: "\n", with: " ").prefix(40)
        let years = meaning.years
        return .malformed(
            "the field \(field) holds '\(shown)', not a date between \(years.lowerBound) and \(years.upperBound)"
        )
    }
}
