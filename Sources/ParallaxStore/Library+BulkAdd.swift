import Foundation
import GRDB

// MARK: - Adding many articles

extension Library {
    /// Saves many articles in few transactions, each draft all or nothing.
    ///
    /// A draft that fails is rolled back alone and reported to `progress`; the rest carry on.
    /// While one batch is written, a second thread reads and prepares the next (decoding,
    /// checking, hashing, counting words), so an import runs at the speed of the store rather
    /// than at the sum of both; at most one batch waits, and a batch holds at most 16 MiB of
    /// text, so memory stays bounded.
    /// - Parameters:
    ///   - drafts: The articles, read lazily so a large import stays in bounded memory. They are
    ///     read on another thread, one at a time, and never after this returns, but for one
    ///     case: when an error stops the add while a draft is being read, that read is left to
    ///     finish on its own and its draft dropped. It may be waiting on a pipe or a terminal
    ///     that nothing will write to or close, and the error must not wait for it.
    ///   - force: As for ``add(_:force:)``.
    ///   - batchSize: How many drafts share one transaction at most. Each transaction writes one
    ///     new segment of the search index, so fewer, larger ones leave less to merge.
    ///   - progress: Called after each draft's transaction commits, with its index and outcome or error.
    public func add<Drafts: Sequence>(
        contentsOf drafts: Drafts, force: Bool = false, batchSize: Int = 2_000,
        progress: (Int, Result<AddOutcome, any Error>) -> Void
    ) throws where Drafts.Element == Result<ItemDraft, any Error> {
        var iterator = drafts.makeIterator()
        let batches = PreparedBatches(batchSize: max(1, batchSize)) { iterator.next() }
        defer { batches.stop() }
        // Checkpointing every 4 MiB of log, as SQLite does by default, rewrote the same index
        // pages into the file again and again over a long import.
        try? database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384")
        }
        defer {
            try? database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 1000")
            }
        }
        var index = 0
        while let batch = batches.next() {
            for outcome in try write(batch, force: force) {
                progress(index, outcome)
                index += 1
            }
        }
    }
}

private extension Library {
    /// Writes one batch in one transaction, falling back to a savepoint per draft when one fails.
    func write(_ batch: [Result<PreparedDraft, any Error>], force: Bool) throws -> [Result<
        AddOutcome, any Error
    >] {
        do {
            // The common case writes the batch without savepoints, which would double its cost.
            return try write("add items") { writer in
                try batch.map { draft in
                    .success(try writer.add(draft.get(), force: force, library: self))
                }
            }
        } catch {
            let outcomes = try write("add items") { writer in
                batch.map { draft in
                    Result {
                        let prepared = try draft.get()
                        return try writer.inSavepoint {
                            try writer.add(prepared, force: force, library: self)
                        }
                    }
                }
            }
            if let fatal = outcomes.lazy.compactMap(storageFailure).first { throw fatal }
            return outcomes
        }
    }

    /// An error that stops a bulk add rather than failing one draft: the library is locked, full or unreadable.
    func storageFailure(_ outcome: Result<AddOutcome, any Error>) -> (any Error)? {
        guard case .failure(let error as DatabaseError) = outcome,
            [.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_CORRUPT]
                .contains(error.resultCode.primaryResultCode)
        else { return nil }
        return LibraryError.translating(error, path: path, operation: "add items", busyTimeout: busyTimeout)
    }
}

/// Batches of prepared drafts, made on a thread of their own ahead of the writer.
///
/// The drafts are read by that thread only, and each batch is handed to the reader
/// whole under the lock, so nothing is shared between the two at once: this is why the class
/// can be `@unchecked Sendable`.
private final class PreparedBatches: @unchecked Sendable {
    typealias Batch = [Result<PreparedDraft, any Error>]

    private let condition = NSCondition()
    private var ready: [Batch] = []
    private var finished = false
    private var stopped = false
    private var running = true
    /// Whether the preparing thread is inside `nextDraft`, which may wait on its input for ever.
    private var reading = false
    /// How many batches may wait for the writer: one is enough to keep it busy, and each
    /// more held a batch's worth of decoded text.
    private static var capacity: Int { 1 }
    /// How much a batch may hold (text, HTML and images) before it is handed over, so that long
    /// articles make shorter batches and memory stays bounded whatever the articles' size.
    private static var batchTextBytes: Int { 16 << 20 }

    /// The next draft; called by the preparing thread only.
    private let nextDraft: () -> Result<ItemDraft, any Error>?
    private let batchSize: Int

    init(batchSize: Int, nextDraft: @escaping () -> Result<ItemDraft, any Error>?) {
        self.nextDraft = nextDraft
        self.batchSize = batchSize
        Thread { [self] in prepare() }.start()
    }

    /// The preparing thread's work: batches until the drafts end or the writer stops.
    private func prepare() {
        defer { finish() }
        while true {
            var batch: Batch = []
            var textBytes = 0
            while batch.count < batchSize, textBytes < Self.batchTextBytes, beginReading() {
                let next = nextDraft()
                guard endReading(), let next else { break }
                let prepared = Result { try PreparedDraft(next.get()) }
                textBytes += (try? prepared.get()).map(Self.bytes) ?? 0
                batch.append(prepared)
            }
            guard !batch.isEmpty, hand(batch) else { return }
        }
    }

    /// What a prepared draft holds in memory: its text, its HTML and its images.
    private static func bytes(_ prepared: PreparedDraft) -> Int {
        prepared.draft.text.utf8.count + (prepared.draft.html?.utf8.count ?? 0)
            + prepared.assets.values.reduce(0) { $0 + $1.data.count }
    }

    /// The next batch, waiting for it; nil when the drafts are all read.
    func next() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        guard !ready.isEmpty else { return nil }
        defer { condition.broadcast() }
        return ready.removeFirst()
    }

    /// Stops the reading thread and waits for it, so the drafts are never read after this; but
    /// a read already under way is not waited for (see ``Library/add(contentsOf:force:batchSize:progress:)``).
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopped = true
        condition.broadcast()
        while running && !reading { condition.wait() }
    }

    /// Marks the preparing thread as reading a draft; false, and no read, once stopped.
    private func beginReading() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        reading = !stopped
        return reading
    }

    /// Marks the read as done; false when the writer stopped meanwhile, and the draft is dropped.
    private func endReading() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        reading = false
        condition.broadcast()
        return !stopped
    }

    /// Queues a batch, waiting for room; false when the writer has stopped.
    private func hand(_ batch: Batch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= Self.capacity && !stopped { condition.wait() }
        guard !stopped else { return false }
        ready.append(batch)
        condition.broadcast()
        return true
    }

    private func finish() {
        condition.lock()
        defer { condition.unlock() }
        (finished, running) = (true, false)
        condition.broadcast()
    }
}
