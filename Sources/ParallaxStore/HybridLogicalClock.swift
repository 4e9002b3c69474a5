import Foundation

/// A hybrid logical clock timestamp: wall-clock milliseconds with a logical counter.
///
/// It orders changes across devices by time while staying monotonic when a wall clock
/// steps back or two changes fall in the same millisecond (Kulkarni et al., 2014). It
/// packs into 64 bits, milliseconds in the high 48 and the counter in the low 16, so
/// SQLite compares two of them as integers.
public struct HybridTimestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The packed value.
    public let rawValue: Int64

    /// Wraps a packed value.
    public init(rawValue: Int64) { self.rawValue = rawValue }

    /// Packs milliseconds and a logical counter.
    public init(milliseconds: Int64, logical: Int) {
        rawValue = (milliseconds << 16) | Int64(logical & 0xFFFF)
    }

    /// The wall-clock part, in milliseconds since 1970.
    public var milliseconds: Int64 { rawValue >> 16 }
    /// The logical part.
    public var logical: Int { Int(rawValue & 0xFFFF) }
    /// The wall-clock part as a date.
    public var date: Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    /// Decodes from the packed integer.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    /// Encodes as the packed integer.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Compares by the packed value.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The ISO 8601 time with the logical counter, e.g. `2026-11-29T01:50:32.120Z+3`.
    public var description: String {
        Timestamp.string(from: date, fractional: true) + (logical > 0 ? "+\(logical)" : "")
    }
}

/// The clock a library stamps its changes with.
public struct HybridLogicalClock: Sendable {
    /// The newest timestamp this clock has issued or seen.
    public private(set) var latest: HybridTimestamp
    private let wallClock: @Sendable () -> Date

    /// Resumes a clock from the newest timestamp it had issued.
    public init(latest: HybridTimestamp, wallClock: @escaping @Sendable () -> Date = { Date() }) {
        self.latest = latest
        self.wallClock = wallClock
    }

    /// Issues a timestamp for a local change, later than every one issued or seen.
    public mutating func tick() -> HybridTimestamp {
        let physical = Int64(wallClock().timeIntervalSince1970 * 1000)
        if physical > latest.milliseconds {
            latest = HybridTimestamp(milliseconds: physical, logical: 0)
        } else if latest.logical < 0xFFFF {
            latest = HybridTimestamp(milliseconds: latest.milliseconds, logical: latest.logical + 1)
        } else {
            // The counter is exhausted within one millisecond: borrow the next millisecond
            // rather than wrap, so order is kept.
            latest = HybridTimestamp(milliseconds: latest.milliseconds + 1, logical: 0)
        }
        return latest
    }

    /// Takes in a timestamp from another device so later local changes order after it.
    public mutating func receive(_ remote: HybridTimestamp) {
        if remote > latest { latest = remote }
    }
}
