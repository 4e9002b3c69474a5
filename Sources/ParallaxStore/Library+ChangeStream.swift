import Foundation
import GRDB

/// The documents and images a set of records names, by hash.
struct ContentReferences {
    var bodies = Set<String>()
    var assets = Set<String>()
}

/// One piece of a change stream, in the order a bundle carries them: the documents, then the
/// images, then the records.
public enum ChangeEntry: Sendable {
    /// An article's text or HTML; records name it by its SHA-256.
    case body(String)
    /// An image an `images` field names.
    case asset(ImageAsset)
    /// A change of one field.
    case record(ChangeRecord)
}

/// What a change stream held.
public struct StreamedChanges: Sendable {
    /// The version vector the changes bring a receiver to.
    public var vector = VersionVector()
    /// How many records, documents and images it held.
    public var records = 0, bodies = 0, assets = 0
}

// MARK: - Streaming out

extension Library {
    /// Hands on the changes above `known` one entry at a time, documents first, then images,
    /// then records, all read in one snapshot, so that memory stays bounded however large the
    /// library (a snapshot of all of it is the largest case).
    ///
    /// The records are built twice: once to learn which documents and images they name, which
    /// go first in a bundle, and again to hand them on, rather than held in memory between.
    /// - Throws: ``LibraryError/invalidChange(entity:row:field:reason:)`` when a record's counter
    ///   is above what the library claims to have seen; errors `write` throws.
    public func streamChanges(since known: VersionVector, _ write: (ChangeEntry) throws -> Void) throws
        -> StreamedChanges
    {
        try read("collect changes") { db in
            var streamed = StreamedChanges(vector: try Self.versionVector(db))
            let references = try Self.forEachRecord(db, since: known) { _ in }
            for hash in references.bodies.sorted() {
                guard let text = try Self.body(db, hash: hash) else { continue }
                try write(.body(text))
                streamed.bodies += 1
            }
            for hash in references.assets.sorted() {
                guard let asset = try Self.asset(db, hash: hash) else { continue }
                try write(.asset(asset))
                streamed.assets += 1
            }
            _ = try Self.forEachRecord(db, since: known) { record in
                guard record.counter <= streamed.vector.counters[record.device] ?? 0 else {
                    throw LibraryError.invalidChange(
                        entity: record.entity.rawValue, row: record.key ?? record.item, field: record.field,
                        reason: "its counter \(record.counter) is above what the library claims to have seen")
                }
                try write(.record(record))
                streamed.records += 1
            }
            return streamed
        }
    }
}

// MARK: - Streaming in

extension Library {
    /// Merges a change stream from another library in one transaction: each field takes the
    /// value with the later clock (``apply(_:dryRun:)`` for a set held in memory).
    /// - Parameters:
    ///   - incoming: Where the changes came from: they must continue from what this library has
    ///     seen, and bring it to what their sender had.
    ///   - ledger: The record of imports, consulted and written in the same transaction; when it
    ///     has the set already, nothing changes and `feed` is not called.
    ///   - dryRun: Work out the summary, then roll everything back.
    ///   - feed: Hands the stream's entries to the intake; what it throws rolls everything back.
    @discardableResult
    package func apply(
        incoming: IncomingChanges?, ledger: (any ImportLedger)?, dryRun: Bool = false,
        feed: (ChangeIntake) throws -> Void
    ) throws -> ApplySummary {
        try write("apply changes", commit: !dryRun) { writer in
            if let ledger, try ledger.hasApplied(writer.db) { return ApplySummary(alreadyImported: true) }
            if let incoming { try checkContinuity(incoming, in: writer.db) }
            let intake = try ChangeIntake(writer: writer)
            try feed(intake)
            let summary = try intake.merge(senderVector: incoming?.senderVector)
            if let incoming { try raiseVector(to: incoming, in: writer) }
            try ledger?.record(
                ImportOutcome(
                    summary: summary, version: writer.changed ? writer.version : nil,
                    historyRows: writer.historyRows),
                writer.db)
            return summary
        }
    }
}

// MARK: - Merging a set held in memory

extension Library {
    /// Merges changes from another library: each field takes the value with the later clock.
    ///
    /// Applying the same set twice, or overlapping sets in any order, gives the same state.
    /// - Parameters:
    ///   - set: The changes and the bodies they refer to.
    ///   - dryRun: Work out the summary, then roll everything back.
    /// - Throws: ``LibraryError/invalidChange(entity:row:field:reason:)`` for a record that does not
    ///   fit this library; nothing is applied then.
    @discardableResult
    public func apply(_ set: ChangeSet, dryRun: Bool = false) throws -> ApplySummary {
        try apply(set, incoming: nil, ledger: nil, dryRun: dryRun)
    }

    /// Merges a set that came from another library, recorded in `ledger` in the same transaction.
    @discardableResult
    package func apply(
        _ set: ChangeSet, incoming: IncomingChanges?, ledger: (any ImportLedger)?, dryRun: Bool = false
    ) throws -> ApplySummary {
        try apply(incoming: incoming, ledger: ledger, dryRun: dryRun) { intake in
            for (hash, text) in set.bodies {
                guard ContentHash.of(text) == hash else {
                    throw LibraryError.invalidChange(
                        entity: "body", row: hash, field: "text", reason: "its hash does not match")
                }
                try intake.add(.body(text))
            }
            for (hash, asset) in set.assets {
                guard asset.hash == hash else {
                    throw LibraryError.invalidChange(
                        entity: "asset", row: hash, field: "data", reason: "its hash does not match")
                }
                try intake.add(.asset(asset))
            }
            for record in set.records { try intake.add(.record(record)) }
        }
    }

    /// Items are created first, then highlights, so that every field finds its row.
    static func phase(_ record: ChangeRecord) -> Int {
        guard record.field == "*" else { return 2 }
        return record.entity == .item ? 0 : 1
    }
}

extension Library {
    /// Whether the library holds any change above `known`.
    public func hasChanges(since known: VersionVector) throws -> Bool {
        try read("look for changes") { db in
            for device in try Row.fetchAll(db, sql: "SELECT seq, id, max_counter FROM device") {
                if (device["max_counter"] as Int? ?? 0) > known.counters[device["id"] as String] ?? 0,
                    try Bool.fetchOne(
                        db, sql: "SELECT 1 FROM field_clock WHERE device = ? AND counter > ? LIMIT 1",
                        arguments: [device["seq"] as Int64, known.counters[device["id"] as String] ?? 0])
                        == true
                {
                    return true
                }
            }
            return false
        }
    }
}
