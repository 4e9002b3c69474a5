import Foundation
import GRDB

/// Takes in a change stream inside the transaction that merges it: documents are stored as they
/// come (checked against their hash) and images are staged in a temporary table. Records are
/// held as they were decoded, and merge in apply order when the stream ends; a stream whose
/// records outgrow ``LibraryEnvironment/heldChangeBytes`` has them staged in a temporary table
/// instead, which spills to disk, so memory stays bounded however large the stream.
public final class ChangeIntake {
    let writer: ChangeWriter
    /// The records taken in, while they fit the budget.
    private var held: [ChangeRecord] = []
    /// An estimate of what the held records occupy.
    private var heldBytes = 0
    private let budget: Int
    /// Whether the records went to the temporary table (every one, once the budget was passed).
    private var staged = false

    init(writer: ChangeWriter) throws {
        self.writer = writer
        budget = writer.environment.heldChangeBytes
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
            guard !staged else { return try stage(record) }
            held.append(record)
            heldBytes += Self.estimatedBytes(of: record)
            if heldBytes > budget {
                staged = true
                for record in held { try stage(record) }
                held = []
            }
        }
    }

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
        if staged {
            try mergeStaged(into: &merge)
        } else {
            // Decoded once, as they arrived, and ordered as the staged records are.
            held.sort(by: Self.appliesBefore)
            for record in held { _ = try merge.observe(record) }
            for record in held { try merge.apply(record, stamp: try merge.observe(record)) }
            held = []
        }
        try db.execute(
            sql: "DELETE FROM incoming_record; DELETE FROM incoming_asset; DELETE FROM incoming_image")
        return merge.summary
    }

    // MARK: - Held records

    /// Apply order, the same as the staged records' `ORDER BY`: creations first, then by clock,
    /// then by entity, item, key and field, text compared byte by byte as SQLite compares it.
    static func appliesBefore(_ first: ChangeRecord, _ second: ChangeRecord) -> Bool {
        let lhs = (Library.phase(first), first.hlc.rawValue, first.counter)
        let rhs = (Library.phase(second), second.hlc.rawValue, second.counter)
        if lhs.0 != rhs.0 { return lhs.0 < rhs.0 }
        if lhs.1 != rhs.1 { return lhs.1 < rhs.1 }
        if first.device != second.device { return precedes(first.device, second.device) }
        if lhs.2 != rhs.2 { return lhs.2 < rhs.2 }
        for (left, right) in [
            (first.entity.rawValue, second.entity.rawValue), (first.item, second.item),
            (first.key ?? "", second.key ?? ""), (first.field, second.field),
        ] where left != right {
            return precedes(left, right)
        }
        return false
    }

    private static func precedes(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    /// Roughly what a decoded record occupies: its texts and a fixed share for the rest.
    private static func estimatedBytes(of record: ChangeRecord) -> Int {
        var bytes = 160 + record.item.utf8.count + record.field.utf8.count + (record.key?.utf8.count ?? 0)
        if case .text(let text) = record.value { bytes += text.utf8.count }
        for (name, value) in record.row ?? [:] {
            bytes += 48 + name.utf8.count
            if case .text(let text) = value { bytes += text.utf8.count }
        }
        return bytes
    }

    // MARK: - Staged records

    private func stage(_ record: ChangeRecord) throws {
        try writer.db.execute(
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

    private static let encoder = JSONEncoder()

    private func mergeStaged(into merge: inout ChangeMerge) throws {
        let db = writer.db
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
