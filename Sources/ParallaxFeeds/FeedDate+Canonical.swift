import Foundation

// MARK: - The two forms nearly every feed writes

extension FeedDate {
    /// The moment of a date in one of the two forms nearly every feed writes, read straight from
    /// its bytes: `2024-03-05T10:14:55Z` (with a fraction, or a `±hh:mm` zone) and
    /// `Tue, 05 Mar 2024 14:30:00 GMT` (a `±hhmm` zone or a named one). Splitting these into
    /// fields as ``parsedByFields(_:)`` does took a fifth of a feed's parse. Nil for any other
    /// text, which then takes the long way, so this never decides what is no date.
    static func canonical(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes in
            var reader = DateBytes(bytes: bytes)
            return bytes.first.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } == true
                ? reader.w3c() : reader.rfc822()
        }
    }
}

/// A cursor over a date's bytes that reads fixed-width fields.
private struct DateBytes {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func skip(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Exactly `count` ASCII digits as a number.
    mutating func digits(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<count {
            let byte = bytes[index + offset]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        index += count
        return value
    }

    /// Letters up to the next byte that is not one, lower-cased.
    mutating func word() -> String {
        var letters: [UInt8] = []
        while index < bytes.count, let lower = Self.lowercasedLetter(bytes[index]) {
            letters.append(lower)
            index += 1
        }
        return String(decoding: letters, as: UTF8.self)
    }

    static func lowercasedLetter(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte | 0x20
        default: nil
        }
    }

    /// `hh:mm:ss` as seconds into the day (a leap second is read as :59, as the long way does).
    mutating func clock() -> Int? {
        guard let hours = digits(2), skip(UInt8(ascii: ":")), let minutes = digits(2),
            skip(UInt8(ascii: ":")),
            let seconds = digits(2), hours < 24, minutes < 60, seconds < 61
        else { return nil }
        return hours * 3_600 + minutes * 60 + min(seconds, 59)
    }

    /// `±hh:mm` or `±hhmm`, in seconds east of UTC, ending the text.
    mutating func numericZone() -> Int? {
        guard index < bytes.count else { return nil }
        let sign = bytes[index]
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        index += 1
        guard let hours = digits(2) else { return nil }
        _ = skip(UInt8(ascii: ":"))
        guard let minutes = digits(2), hours < 24, minutes < 60, atEnd else { return nil }
        return (sign == UInt8(ascii: "-") ? -1 : 1) * (hours * 3_600 + minutes * 60)
    }

    /// `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm|±hhmm)`.
    mutating func w3c() -> Date? {
        guard let year = digits(4), skip(UInt8(ascii: "-")), let month = digits(2), skip(UInt8(ascii: "-")),
            let day = digits(2), skip(UInt8(ascii: "T")), let seconds = clock()
        else { return nil }
        if skip(UInt8(ascii: ".")) {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            guard index > start else { return nil }
        }
        let offset: Int
        if skip(UInt8(ascii: "Z")) {
            guard atEnd else { return nil }
            offset = 0
        } else {
            guard let zone = numericZone() else { return nil }
            offset = zone
        }
        return FeedDate.moment(year: year, month: month, day: day, seconds: seconds, offset: offset)
    }

    /// `Www, DD Mmm YYYY hh:mm:ss (±hhmm|named zone)`, the day one or two digits.
    mutating func rfc822() -> Date? {
        // A month where the day's name goes is read another way by the long way; leave it to it.
        let dayName = word()
        guard dayName.count == 3, !FeedDate.months.contains(dayName), skip(UInt8(ascii: ",")),
            skip(UInt8(ascii: " "))
        else { return nil }
        let day: Int?
        if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: " ") {
            day = digits(1)
        } else {
            day = digits(2)
        }
        guard let day, skip(UInt8(ascii: " ")) else { return nil }
        let monthName = word()
        guard monthName.count == 3, let month = FeedDate.months.firstIndex(of: monthName),
            skip(UInt8(ascii: " ")), let year = digits(4), skip(UInt8(ascii: " ")), let seconds = clock(),
            skip(UInt8(ascii: " "))
        else { return nil }
        let offset: Int
        if let zone = numericZone() {
            offset = zone
        } else {
            let name = word()
            guard atEnd, name.count >= 2, let hours = FeedDate.zoneHours[name] else { return nil }
            offset = hours * 3_600
        }
        return FeedDate.moment(year: year, month: month + 1, day: day, seconds: seconds, offset: offset)
    }
}
