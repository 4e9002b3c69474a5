import Foundation

/// Reads the dates feeds carry, in the forms real feeds write them: RFC 822 and its many
/// variations (two-digit years, missing seconds, named and military zones, day names that are
/// wrong or missing, long month names, a month before its day), asctime, and ISO 8601 /
/// W3C-DTF with or without seconds, fractions and zone (and the space-separated form databases
/// write). Each gives a moment in UTC; a date that names an impossible day, time or zone is nil.
public enum FeedDate {
    /// The moment `text` names, or nil when it is no date this reader knows.
    public static func parse(_ text: String) -> Date? {
        guard text.utf8.count <= 200 else { return nil }
        let trimmed = FeedText.trimmedWhitespace(text)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 80 else { return nil }
        if let date = canonical(trimmed) { return date }
        return parsedByFields(trimmed)
    }

    /// The moment a trimmed date names, read field by field in every form this reader knows.
    static func parsedByFields(_ trimmed: String) -> Date? {
        if let first = trimmed.utf8.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
            let date = w3c(trimmed)
        {
            return date
        }
        return rfc822(trimmed) ?? asctime(trimmed)
    }

    // MARK: - ISO 8601 and W3C-DTF

    /// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, then optionally `T` (or a space) and `hh:mm[:ss[.f]]`
    /// with `Z`, `±hh:mm` or `±hhmm`.
    static func w3c(_ text: String) -> Date? {
        let (datePart, timePart) = splitDateAndTime(text)
        let fields = datePart.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(fields.count), fields[0].count == 4, let year = Int(fields[0]) else {
            return nil
        }
        // Google once wrote the month with three digits ("2003-012-31").
        let month = fields.count > 1 ? number(fields[1], digits: 2...3) : 1
        let day = fields.count > 2 ? number(fields[2], digits: 2...2) : 1
        guard let month, let day else { return nil }
        var seconds = 0
        var offset = 0
        if let timePart {
            guard let (clock, zone) = clockAndZone(timePart), let time = time(clock, fractions: true) else {
                return nil
            }
            seconds = time
            offset = zone
        }
        return moment(year: year, month: month, day: day, seconds: seconds, offset: offset)
    }

    private static func splitDateAndTime(_ text: String) -> (Substring, Substring?) {
        if let t = text.firstIndex(where: { $0 == "T" || $0 == "t" }) {
            return (text[..<t], text[text.index(after: t)...])
        }
        if let space = text.firstIndex(of: " ") {
            return (text[..<space], text[text.index(after: space)...].drop { $0 == " " })
        }
        return (text[...], nil)
    }

    /// A clock and its zone, as W3C-DTF writes them: `10:14:55.1Z`, `23:56:58 -00:20`.
    private static func clockAndZone(_ text: Substring) -> (Substring, Int)? {
        if text.hasSuffix("Z") || text.hasSuffix("z") { return (text.dropLast(), 0) }
        if let sign = text.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            guard let zone = numericZone(text[sign...]) else { return nil }
            return (text[..<sign].trimmingSuffix(" "), zone)
        }
        return (text, 0)
    }

    // MARK: - RFC 822

    /// `[Day,] DD Mon YYYY [hh:mm[:ss]] [zone]`, tolerating what feeds do to it.
    static func rfc822(_ text: String) -> Date? {
        var tokens = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
        // A comment after the zone, such as "(UTC)", names it again.
        if let comment = tokens.firstIndex(where: { $0.hasPrefix("(") }), comment > 3 {
            tokens.removeSubrange(comment...)
        }
        // A day name, right or wrong, says nothing the date does not.
        if let first = tokens.first, first.allSatisfy(\.isLetter), monthNumber(first) == nil {
            tokens.removeFirst()
        }
        // "Aug 30 2012": the month before its day.
        if tokens.count >= 2, monthNumber(tokens[0]) != nil, Int(tokens[1]) != nil {
            tokens.swapAt(0, 1)
        }
        guard tokens.count >= 3, let day = number(tokens[0], digits: 1...2),
            let month = monthNumber(tokens[1]), tokens[2].count == 2 || tokens[2].count == 4,
            var year = Int(tokens[2])
        else { return nil }
        if tokens[2].count == 2 { year += year < 50 ? 2000 : 1900 }
        var seconds = 0
        var offset = 0
        if tokens.count > 3 {
            guard let time = time(tokens[3], fractions: false) else { return nil }
            seconds = time
        }
        if tokens.count > 4 {
            guard let zone = zone(tokens[4]) else { return nil }
            offset = zone
        }
        guard tokens.count <= 5 else { return nil }
        return moment(year: year, month: month, day: day, seconds: seconds, offset: offset)
    }

    /// `Sun Jan  4 16:29:06 2004`, and Twitter's `Sun Jul 15 01:16:00 +0000 2012`.
    static func asctime(_ text: String) -> Date? {
        var tokens = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" })
        if let first = tokens.first, first.allSatisfy(\.isLetter), monthNumber(first) == nil {
            tokens.removeFirst()
        }
        guard tokens.count == 4 || tokens.count == 5, let month = monthNumber(tokens[0]),
            let day = number(tokens[1], digits: 1...2), let seconds = time(tokens[2], fractions: false),
            let year = number(tokens.last!, digits: 4...4)
        else { return nil }
        let offset = tokens.count == 5 ? zone(tokens[3]) : 0
        guard let offset else { return nil }
        return moment(year: year, month: month, day: day, seconds: seconds, offset: offset)
    }

    // MARK: - Fields

    /// Seconds into the day of `hh:mm[:ss[.fraction]]`.
    private static func time(_ text: Substring, fractions: Bool) -> Int? {
        var clock = text
        if fractions, let dot = clock.firstIndex(of: ".") {
            guard clock[clock.index(after: dot)...].allSatisfy(\.isASCIIDigit) else { return nil }
            clock = clock[..<dot]
        }
        let parts = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), let hours = number(parts[0], digits: 1...2),
            let minutes = number(parts[1], digits: 1...2)
        else { return nil }
        let seconds = parts.count == 3 ? number(parts[2], digits: 1...2) : 0
        guard let seconds, hours < 24, minutes < 60, seconds < 61 else { return nil }
        return hours * 3_600 + minutes * 60 + min(seconds, 59)
    }

    /// The offset from UTC, in seconds, of a zone as RFC 822 and its abusers write it.
    private static func zone(_ text: Substring) -> Int? {
        var name = text
        if name.hasPrefix("etc/") { name = name.dropFirst(4) }
        if let numeric = numericZone(name) { return numeric }
        if let hours = zoneHours[String(name)] { return hours * 3_600 }
        for prefix in ["gmt", "utc", "ut"] where name.hasPrefix(prefix) {
            return numericZone(name.dropFirst(prefix.count))
        }
        if name.count == 1, let letter = name.unicodeScalars.first, letter.properties.isAlphabetic {
            return militaryZone(Character(letter)).map { $0 * 3_600 }
        }
        // An unknown name is read as UTC, as feed readers do, rather than losing the date.
        return name.allSatisfy(\.isLetter) ? 0 : nil
    }

    /// `+hhmm`, `+hh:mm` or `+hh`, in seconds.
    private static func numericZone(_ text: Substring) -> Int? {
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        let digits = String(text.dropFirst().filter { $0 != ":" })
        guard digits.count == 4 || digits.count == 2, digits.allSatisfy(\.isASCIIDigit) else { return nil }
        let hours = Int(digits.prefix(2))!
        let minutes = digits.count == 4 ? Int(digits.suffix(2))! : 0
        // No zone is a day or more from UTC.
        guard hours < 24, minutes < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3_600 + minutes * 60)
    }

    /// RFC 822's military zones, signed as RFC 822 wrote them (and feedparser reads them).
    private static func militaryZone(_ letter: Character) -> Int? {
        guard let value = letter.asciiValue else { return nil }
        switch value {
        case UInt8(ascii: "z"): return 0
        case UInt8(ascii: "a")...UInt8(ascii: "i"): return -Int(value - UInt8(ascii: "a") + 1)
        case UInt8(ascii: "k")...UInt8(ascii: "m"): return -Int(value - UInt8(ascii: "k") + 10)
        case UInt8(ascii: "n")...UInt8(ascii: "y"): return Int(value - UInt8(ascii: "n") + 1)
        default: return nil
        }
    }

    static let zoneHours: [String: Int] = [
        "ut": 0, "gmt": 0, "utc": 0, "z": 0, "adt": -3, "ast": -4, "at": -4, "edt": -4, "est": -5, "et": -5,
        "cdt": -5, "cst": -6, "ct": -6, "mdt": -6, "mst": -7, "mt": -7, "pdt": -7, "pst": -8, "pt": -8,
        "met": 1, "mest": 2, "cet": 1, "cest": 2, "bst": 1, "wet": 0, "west": 1, "eet": 2, "eest": 3,
    ]

    static let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]

    /// The month a name starts with ("January", "jan", "Sept").
    private static func monthNumber(_ name: Substring) -> Int? {
        guard name.count >= 3, name.allSatisfy(\.isLetter) else { return nil }
        return months.firstIndex(of: String(name.prefix(3)).lowercased()).map { $0 + 1 }
    }

    private static func number(_ text: Substring, digits: ClosedRange<Int>) -> Int? {
        guard digits.contains(text.count), text.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(text)
    }

    // MARK: - The moment

    /// The moment of a civil date and time at `offset` seconds east of UTC, on the proleptic
    /// Gregorian calendar; nil for a day the month does not have or a year past 9999.
    static func moment(year: Int, month: Int, day: Int, seconds: Int, offset: Int) -> Date? {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            (0...9_999).contains(year)
        else { return nil }
        let total = daysFromCivil(year: year, month: month, day: day) * 86_400 + seconds - offset
        // A zone may carry the moment into year 10000 or before year 0, which no date format
        // here can name.
        guard total < daysFromCivil(year: 10_000, month: 1, day: 1) * 86_400,
            total >= daysFromCivil(year: 0, month: 1, day: 1) * 86_400
        else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(total))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Substring {
    fileprivate func trimmingSuffix(_ character: Character) -> Substring {
        var text = self
        while text.last == character { text = text.dropLast() }
        return text
    }
}
