import Foundation
import ParallaxStore

/// Hands a bundle's entries from the thread that reads, inflates and checks them to the one
/// that merges them, a few at a time: the two halves of an import then run at once, and memory
/// stays bounded by the channel's capacity.
final class EntryChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var entries: [ChangeEntry] = []
    private var bytes = 0
    private var ended = false
    private var failure: (any Error)?
    private var cancelled = false

    /// Entries waiting at most, and their bytes at most, before the reader waits.
    static let capacity = 256
    static let capacityBytes = 16 << 20

    /// Gives an entry; waits while the channel is full.
    /// - Throws: ``Cancelled`` once the merging side has stopped.
    func put(_ entry: ChangeEntry) throws {
        let size = Self.size(of: entry)
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && !entries.isEmpty
            && (entries.count >= Self.capacity || bytes + size > Self.capacityBytes)
        {
            condition.wait()
        }
        if cancelled { throw Cancelled() }
        entries.append(entry)
        bytes += size
        condition.broadcast()
    }

    /// Says the reader is done, with the error that stopped it, if any.
    func finish(_ error: (any Error)?) {
        condition.lock()
        ended = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// Takes the waiting entries, in order; empty once the reader is done.
    /// - Throws: the reader's error.
    func take() throws -> [ChangeEntry] {
        condition.lock()
        defer { condition.unlock() }
        while entries.isEmpty && !ended { condition.wait() }
        if entries.isEmpty, let failure { throw failure }
        let taken = entries
        entries = []
        bytes = 0
        condition.broadcast()
        return taken
    }

    /// Stops the reader: its next `put` throws.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The merging side stopped.
    struct Cancelled: Error {}

    private static func size(of entry: ChangeEntry) -> Int {
        switch entry {
        case .body(let text): text.utf8.count
        case .asset(let asset): asset.data.count
        case .record: 1_024
        }
    }
}
