import Foundation
import GRDB

extension Library {
    /// The highest counter seen of each device.
    public func versionVector() throws -> VersionVector {
        try read("read the version vector") { db in try Self.versionVector(db) }
    }

    static func versionVector(_ db: Database) throws -> VersionVector {
        var counters: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, max_counter FROM device WHERE max_counter > 0") {
            counters[row["id"]] = row["max_counter"]
        }
        return VersionVector(counters: counters)
    }

    /// The changes a library that has seen `known` lacks, and the version vector they bring it
    /// to, read in one snapshot: a vector read apart from its changes could claim a change made
    /// in between, which the receiver would then never get.
    public func snapshot(since known: VersionVector = VersionVector()) throws -> (
        changes: ChangeSet, vector: VersionVector
    ) {
        try read("collect changes") { db in
            let vector = try Self.versionVector(db)
            let set = try Self.changes(db, since: known)
            for record in set.records where record.counter > vector.counters[record.device] ?? 0 {
                throw LibraryError.invalidChange(
                    entity: record.entity.rawValue, row: record.key ?? record.item, field: record.field,
                    reason: "its counter \(record.counter) is above what the library claims to have seen")
            }
            return (set, vector)
        }
    }

    /// The changes a library that has seen `known` lacks: current values read from the rows, with their clocks.
    public func changes(since known: VersionVector = VersionVector()) throws -> ChangeSet {
        try read("collect changes") { db in try Self.changes(db, since: known) }
    }

    private static func changes(_ db: Database, since known: VersionVector) throws -> ChangeSet {
        var set = ChangeSet()
        let references = try forEachRecord(db, since: known) { set.records.append($0) }
        set.records.sort(by: Self.appliesBefore)
        for hash in references.bodies { set.bodies[hash] = try body(db, hash: hash) }
        for hash in references.assets { set.assets[hash] = try asset(db, hash: hash) }
        return set
    }

    /// Builds each record above `known`, device by device in counter order, and returns the
    /// documents and images they name that the receiver does not hold already.
    static func forEachRecord(
        _ db: Database, since known: VersionVector, _ body: (ChangeRecord) throws -> Void
    )
        throws -> ContentReferences
    {
        var references = ContentReferences()
        for device in try Row.fetchAll(db, sql: "SELECT seq, id FROM device ORDER BY id") {
            let deviceID: String = device["id"]
            let clocks = try Row.fetchCursor(
                db,
                sql:
                    "SELECT * FROM field_clock WHERE device = ? AND counter > ? ORDER BY counter, entity, row, field",
                arguments: [device["seq"] as Int64, known.counters[deviceID] ?? 0])
            while let clock = try clocks.next() {
                try body(try Self.changeRecord(db, clock: clock, device: deviceID, into: &references))
            }
        }
        try Self.dropBodiesKnown(to: known, from: &references.bodies, db)
        try Self.dropAssetsKnown(to: known, from: &references.assets, db)
        return references
    }

    static func body(_ db: Database, hash: String) throws -> String? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT text FROM body WHERE hash = ?"), arguments: [hash])
    }

    static func asset(_ db: Database, hash: String) throws -> ImageAsset? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT type, data FROM asset WHERE hash = ?"), arguments: [hash]),
            let type = ImageType(rawValue: row["type"])
        else { return nil }
        return ImageAsset(type: type, data: row["data"])
    }

    /// Leaves out a body the receiver already holds: one that some item it has seen points at,
    /// by the write (the item's creation, or its later change of that document) that set it,
    /// as its text or as its HTML.
    private static func dropBodiesKnown(
        to known: VersionVector, from bodies: inout Set<String>, _ db: Database
    )
        throws
    {
        guard !known.counters.isEmpty else { return }
        let statements = try [ItemField.body, .html].map { document in
            try db.cachedStatement(
                sql: """
                    SELECT device.id, field_clock.counter FROM body
                    JOIN item ON item.\(document.documentColumn!) = body.id
                    JOIN field_clock ON field_clock.entity = 'item' AND field_clock.row = item.seq
                        AND field_clock.field = (
                            SELECT max(field) FROM field_clock AS own
                            WHERE own.entity = 'item' AND own.row = item.seq
                                AND own.field IN ('*', '\(document.rawValue)'))
                    JOIN device ON device.seq = field_clock.device
                    WHERE body.hash = ?
                    """)
        }
        for hash in Array(bodies) {
            for statement in statements {
                let stamps = try Row.fetchAll(statement, arguments: [hash])
                if stamps.contains(where: { ($0[1] as Int) <= (known.counters[$0[0] as String] ?? 0) }) {
                    bodies.remove(hash)
                    break
                }
            }
        }
    }

    /// Leaves out an image the receiver already holds: one that an item it has seen, and that is
    /// not removed here, shows, by the write (the item's creation, or its later `images` change)
    /// that named it. A removed item's images may have been collected on the receiver.
    private static func dropAssetsKnown(
        to known: VersionVector, from assets: inout Set<String>, _ db: Database
    )
        throws
    {
        guard !known.counters.isEmpty, !assets.isEmpty else { return }
        let statement = try db.cachedStatement(
            sql: """
                SELECT device.id, field_clock.counter FROM item_image
                JOIN item ON item.seq = item_image.item AND item.deleted = 0
                JOIN field_clock ON field_clock.entity = 'item' AND field_clock.row = item_image.item
                    AND field_clock.field = (
                        SELECT max(field) FROM field_clock AS own
                        WHERE own.entity = 'item' AND own.row = item_image.item AND own.field IN ('*', 'images'))
                JOIN device ON device.seq = field_clock.device
                WHERE item_image.hash = ?
                """)
        for hash in Array(assets) {
            let stamps = try Row.fetchAll(statement, arguments: [hash])
            if stamps.contains(where: { ($0[1] as Int) <= (known.counters[$0[0] as String] ?? 0) }) {
                assets.remove(hash)
            }
        }
    }

    /// Creations first, so fields find their rows; then by clock, for a deterministic order.
    private static func appliesBefore(_ first: ChangeRecord, _ second: ChangeRecord) -> Bool {
        let lhs = (phase(first), first.hlc.rawValue, first.device, first.counter)
        let rhs = (phase(second), second.hlc.rawValue, second.device, second.counter)
        if lhs != rhs { return lhs < rhs }
        return (first.entity.rawValue, first.item, first.key ?? "", first.field)
            < (second.entity.rawValue, second.item, second.key ?? "", second.field)
    }

    /// The record of one field's clock, with the documents and images it names added to `set`.
    private static func changeRecord(
        _ db: Database, clock: Row, device: String, into references: inout ContentReferences
    ) throws -> ChangeRecord {
        let entity = Entity(rawValue: clock["entity"]) ?? .item
        let rowSeq: Int64 = clock["row"]
        let field: String = clock["field"]
        var record = ChangeRecord(
            entity: entity, item: "", key: nil, field: field, value: .null, row: nil,
            hlc: HybridTimestamp(rawValue: clock["hlc"]), device: device, counter: clock["counter"],
            epoch: clock["epoch"])
        func missingRow() -> LibraryError {
            .invalidChange(
                entity: entity.rawValue, row: "#\(rowSeq)", field: field, reason: "the row is missing")
        }
        switch entity {
        case .item:
            let columns = ItemField.allCases.map { "\($0.selection) AS \($0.rawValue)" }.joined(
                separator: ", ")
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT id, saved, \(columns) FROM item WHERE seq = ?"),
                    arguments: [rowSeq])
            else { throw missingRow() }
            record.item = row["id"]
            if field == "*" {
                var values: [String: FieldValue] = ["saved": FieldValue(row["saved"] as DatabaseValue)]
                for itemField in ItemField.allCases {
                    values[itemField.rawValue] = FieldValue(row[itemField.rawValue] as DatabaseValue)
                }
                record.row = values
            } else {
                record.value = FieldValue(row[field] as DatabaseValue)
            }
            for document in [ItemField.body, .html] where field == "*" || field == document.rawValue {
                guard let hash: String = row[document.rawValue] else { continue }
                references.bodies.insert(hash)
            }
            if field == "*" || field == ItemField.images.rawValue,
                let json: String = row[ItemField.images.rawValue],
                let images = ImageReferences(json: json)
            {
                // Only images this library holds travel; a device with images off holds none.
                for hash in Set(images.assets.values) where !references.assets.contains(hash) {
                    if try Bool.fetchOne(
                        db.cachedStatement(sql: "SELECT 1 FROM asset WHERE hash = ?"), arguments: [hash])
                        == true
                    {
                        references.assets.insert(hash)
                    }
                }
            }
        case .tag:
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT item.id, item_tag.tag, item_tag.present FROM item_tag
                            JOIN item ON item.seq = item_tag.item WHERE item_tag.seq = ?
                            """), arguments: [rowSeq])
            else { throw missingRow() }
            record.item = row["id"]
            record.key = row["tag"]
            record.value = FieldValue(row["present"] as DatabaseValue)
        case .highlight:
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT highlight.*, item.id AS item_id FROM highlight
                            JOIN item ON item.seq = highlight.item WHERE highlight.seq = ?
                            """), arguments: [rowSeq])
            else { throw missingRow() }
            record.item = row["item_id"]
            record.key = row["id"]
            if field == "*" {
                record.row = ["quote", "note", "created", "deleted"].reduce(into: [:]) {
                    $0[$1] = FieldValue(row[$1] as DatabaseValue)
                }
            } else {
                record.value = FieldValue(row[field] as DatabaseValue)
            }
        case .feed:
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM feed WHERE seq = ?"), arguments: [rowSeq])
            else { throw missingRow() }
            record.item = row["id"]
            if field == "*" {
                record.row = FeedField.allCases.reduce(into: [:]) {
                    $0[$1.rawValue] = FieldValue(row[$1.rawValue] as DatabaseValue)
                }
            } else {
                record.value = FieldValue(row[field] as DatabaseValue)
            }
        }
        return record
    }
}
