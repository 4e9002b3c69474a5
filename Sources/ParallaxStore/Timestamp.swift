import Foundation

/// ISO 8601 formatting and validation of the dates a library stores.
public enum Timestamp {
    /// Formats a date in UTC, e.g. `2026-11-29T01:50:32Z`.
    public static func string(from date: Date, fractional: Bool = false) -> String {
        var style = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)
        if fractional { style = style.time(includingFractionalSeconds: true) }
        return date.formatted(style)
    }

    /// Now, formatted.
    public static func now() -> String { string(from: Date()) }

    /// Checks a publication date and returns it in a canonical form.
    ///
    /// Accepts `YYYY-MM-DD` (kept as a date) or a full ISO 8601 date and time (converted to UTC).
    /// - Throws: ``LibraryError/invalidValue(field:value:reason:)`` for anything else.
    public static func normalizedDate(_ value: String, field: String) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        let dateOnly = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).year().month().day()
        if trimmed.count == 10, let date = try? dateOnly.parse(trimmed) {
            return date.formatted(dateOnly)
        }
        for style in [Date.ISO8601FormatStyle(), Date.ISO8601FormatStyle(includingFractionalSeconds: true)] {
            if let date = try? style.parse(trimmed) { return string(from: date) }
        }
        throw LibraryError.invalidValue(
            field: field, value: value,
            reason: "expected an ISO 8601 date such as 2019-02-14 or 2019-02-14T09:30:00Z")
    }
}
