import Foundation

/// A value behind a lock: the few mutable parts of otherwise immutable, sendable types, and
/// state that a bulk add's reading thread and its caller's progress both touch.
public final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    /// Holds a value.
    public init(_ value: Value) { stored = value }

    /// The value, read or replaced under the lock.
    public var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }

    /// Changes the value in place under the lock and returns what `change` returns.
    public func withLock<Result>(_ change: (inout Value) throws -> Result) rethrows -> Result {
        try lock.withLock { try change(&stored) }
    }
}
