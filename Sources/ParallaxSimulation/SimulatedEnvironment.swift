import Foundation
import ParallaxStore

/// A wall clock a test sets and moves: devices hours apart, or a clock that steps back.
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    /// A clock that starts at `start` (by default 2026-01-01T00:00:00Z).
    public init(start: Date = Date(timeIntervalSince1970: 1_767_225_600)) { current = start }

    /// The time now; each reading moves the clock on by a millisecond, as real time would.
    public func now() -> Date {
        lock.withLock {
            current += 0.001
            return current
        }
    }

    /// Moves the clock by `seconds` (back when negative).
    public func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// Random bits from a seed, shared by the threads of a library, so a run can be replayed exactly.
public final class SeededBits: @unchecked Sendable {
    private let lock = NSLock()
    private var generator: SeededGenerator

    /// Starts from `seed`.
    public init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    /// The next 64 bits.
    public func next() -> UInt64 { lock.withLock { generator.next() } }
}

extension LibraryEnvironment {
    /// A test's environment: its clock, ids from a seed, and a machine name.
    public static func simulated(clock: TestClock, seed: UInt64, machine: String = "test-machine") -> Self {
        let bits = SeededBits(seed: seed)
        return LibraryEnvironment(now: { clock.now() }, randomBits: { bits.next() }, machine: machine)
    }
}
