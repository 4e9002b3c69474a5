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

/// Takes in a change stream inside the transaction that merges it: documents are stored as they
/// come (checked against their hash), images and records are staged in temporary tables, and
/// the records merge when the stream ends, so memory stays bounded however large the stream.
public final class ChangeIntake {
    let writer: ChangeWriter

    init(writer: ChangeWriter) throws {
        self.writer = writer
        // The staged records spill to a temporary file past this cache, so memory stays bounded;
        // below it they are never written (SQLite's default of 2 MB wrote nearly all of them).
        try writer.db.execute(sql: "PRAGMA temp.cache_size = -32768")
        try writer.db.execute(
            sql: """
                CREATE TEMP TABLE IF NOT EXISTS incoming_record (
                    phase INTEGER NOT NULL, hlc INTEGER NOT NULL, device TEXT NOT NULL,
                    counter INTEGER NOT NULL, entity TEXT NOT NULL, item TEXT NOT NULL, key TEXT NOT NULL,
                    field TEXT NOT NULL, epoch INTEGER, json BLOB NOT NULL);
                CREATE TEMP TABLE IF NOT EXISTS incoming_asset (
                    hash TEXT PRIMARY KEY, type TEXT NOT NULL, data BLOB NOT NULL);
                CREATE TEMP TABLE IF NOT EXISTS incoming_image (hash TEXT PRIMARY KEY);
                DELETE FROM incoming_record; DELETE FROM incoming_asset; DELETE FROM incoming_image;
                """)
    }

    /// Takes one entry of the stream.
    /// - Throws: ``LibraryError/invalidChange(entity:row:field:reason:)`` for a document or image
    ///   that does not match its hash, format or size.
    public func add(_ entry: ChangeEntry) throws {
        let db = writer.db
        switch entry {
        case .body(let text):
            try writer.storeBody(text, hash: ContentHash.of(text))
        case .asset(let asset):
            guard ImageType(detecting: asset.data) == asset.type, asset.data.count <= ImageAsset.maximumBytes
            else {
                throw LibraryError.invalidChange(
                    entity: "asset", row: asset.hash, field: "data",
                    reason: "its format or size does not match")
            }
            try db.execute(
                sql: "INSERT OR IGNORE INTO incoming_asset (hash, type, data) VALUES (?, ?, ?)",
                arguments: [asset.hash, asset.type.rawValue, asset.data])
        case .record(let record):
            let value = record.field == "*" ? record.row?[ItemField.images.rawValue] : record.value
            if record.entity == .item, record.field == "*" || record.field == ItemField.images.rawValue,
                let json = value?.textValue, let references = ImageReferences(json: json)
            {
                for hash in Set(references.assets.values) {
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO incoming_image (hash) VALUES (?)", arguments: [hash])
                }
            }
            try db.execute(
                sql: """
                    INSERT INTO incoming_record (phase, hlc, device, counter, entity, item, key, field, epoch, json)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    Library.phase(record), record.hlc.rawValue, record.device, record.counter,
                    record.entity.rawValue, record.item, record.key ?? "", record.field, record.epoch,
                    try Self.encoder.encode(record),
                ])
        }
    }

    private static let encoder = JSONEncoder()

    /// Stores the staged images the records name, then merges the records in apply order:
    /// every clock is taken in first, so a merge that writes a local change stamps it after all.
    func merge(senderVector: VersionVector?) throws -> ApplySummary {
        let db = writer.db
        // Only images the records name are kept: a stream may not leave others behind.
        let assets = try Row.fetchCursor(
            db,
            sql: """
                SELECT hash, type, data FROM incoming_asset WHERE hash IN (SELECT hash FROM incoming_image)
                """)
        while let row = try assets.next() {
            guard let type = ImageType(rawValue: row["type"]) else { continue }
            try writer.storeAsset(ImageAsset(type: type, data: row["data"]), hash: row["hash"])
        }
        var merge = try ChangeMerge(writer: writer, senderVector: senderVector)
        let order = "ORDER BY phase, hlc, device, counter, entity, item, key, field"
        // The clocks are read from their columns: decoding every record twice cost a third of a merge.
        let clocks = try Row.fetchCursor(
            db,
            sql: "SELECT hlc, device, counter, epoch, entity, item, key, field FROM incoming_record \(order)")
        while let row = try clocks.next() {
            let key: String = row["key"]
            _ = try merge.observe(
                ChangeRecord(
                    entity: Entity(rawValue: row["entity"]) ?? .item, item: row["item"],
                    key: key.isEmpty ? nil : key,
                    field: row["field"], value: .null, row: nil, hlc: HybridTimestamp(rawValue: row["hlc"]),
                    device: row["device"], counter: row["counter"], epoch: row["epoch"]))
        }
        // Records are decoded a batch ahead, on another thread, while this one merges.
        let records = try Data.fetchCursor(db, sql: "SELECT json FROM incoming_record \(order)")
        func nextBatch() throws -> [Data] {
            var batch: [Data] = []
            while batch.count < 512, let json = try records.next() { batch.append(json) }
            return batch
        }
        var decoding = RecordBatchDecoding(try nextBatch())
        while true {
            let following = try nextBatch()
            let upcoming = following.isEmpty ? nil : RecordBatchDecoding(following)
            for record in try decoding.records() {
                try merge.apply(record, stamp: try merge.observe(record))
            }
            guard let upcoming else { break }
            decoding = upcoming
        }
        try db.execute(
            sql: "DELETE FROM incoming_record; DELETE FROM incoming_asset; DELETE FROM incoming_image")
        return merge.summary
    }
}

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

/// Decodes a batch of staged records on another thread, from the moment it is made.
private final class RecordBatchDecoding: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<[ChangeRecord], any Error> = .success([])

    init(_ batch: [Data]) {
        DispatchQueue.global(qos: .userInitiated).async {
            let decoder = JSONDecoder()
            self.result = Result { try batch.map { try decoder.decode(ChangeRecord.self, from: $0) } }
            self.done.signal()
        }
    }

    /// The decoded records, once they are ready.
    func records() throws -> [ChangeRecord] {
        done.wait()
        return try result.get()
    }
}
