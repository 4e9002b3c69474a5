import Foundation

/// For each device, the highest change counter of it that a library has seen.
public struct VersionVector: Codable, Hashable, Sendable {
    /// Device id to counter.
    public var counters: [String: Int]

    /// A vector, empty by default (a library that has seen nothing).
    public init(counters: [String: Int] = [:]) { self.counters = counters }

    /// The pointwise maximum of two vectors: what has been seen by either.
    public func merged(with other: VersionVector) -> VersionVector {
        VersionVector(counters: counters.merging(other.counters, uniquingKeysWith: max))
    }

    /// Whether everything `other` has seen has been seen here too.
    public func covers(_ other: VersionVector) -> Bool {
        other.counters.allSatisfy { device, counter in counter <= (counters[device] ?? 0) }
    }
}
