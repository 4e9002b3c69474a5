import Foundation
import GRDB

/// Applies change records one at a time through a writer, last writer wins per field.
struct ChangeMerge {
    let writer: ChangeWriter
    var summary = ApplySummary()
    private var deviceSeqs: [String: Int64] = [:]
    private var deviceIDs: [Int64: String] = [:]

    /// What the bundle's sender had seen, to tell concurrent note edits from later ones.
    let senderVector: VersionVector?

    /// The highest counter of each device (by row) that this library had seen before the merge.
    private let seen: [Int64: Int]

    init(writer: ChangeWriter, senderVector: VersionVector?) throws {
        self.writer = writer
        self.senderVector = senderVector
        var seen: [Int64: Int] = [:]
        for row in try Row.fetchAll(writer.db, sql: "SELECT seq, max_counter FROM device") {
            seen[row["seq"]] = row["max_counter"]
        }
        self.seen = seen
    }

    /// Takes in a record's clock and returns its stamp as this library stores it.
    /// - Throws: when the record claims a change of this device that this library never made.
    mutating func observe(_ record: ChangeRecord) throws -> StoredStamp {
        let stamp = StoredStamp(
            hlc: record.hlc, device: try deviceSeq(record.device), counter: record.counter,
            epoch: record.epoch)
        if stamp.device == writer.localDevice && record.counter > seen[stamp.device] ?? 0 {
            throw Self.invalid(
                record,
                "it claims change \(record.counter) of this device, which has made only \(seen[stamp.device] ?? 0)"
            )
        }
        writer.observe(stamp)
        return stamp
    }

    static func invalid(_ record: ChangeRecord, _ reason: String) -> LibraryError {
        LibraryError.invalidChange(
            entity: record.entity.rawValue, row: record.key ?? record.item, field: record.field,
            reason: reason)
    }

    mutating func apply(_ record: ChangeRecord, stamp: StoredStamp) throws {
        // A change this library has seen is applied here or was replaced by a later one: a stale
        // bundle must not bring it back, nor make it look concurrent with what replaced it.
        if record.counter <= seen[stamp.device] ?? 0 { return summary.superseded += 1 }
        let db = writer.db
        func invalid(_ reason: String) -> LibraryError { Self.invalid(record, reason) }
        let itemSeq = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT seq FROM item WHERE id = ?"), arguments: [record.item])
        switch (record.entity, record.field) {
        case (.feed, _):
            guard try mergeFeed(record, stamp: stamp) else { return summary.superseded += 1 }
        case (.item, "*"):
            if let itemSeq {
                try keepListed(itemSeq, creation: record.row, stamp: stamp)
                return try settleCreation(of: .item, row: itemSeq, record, stamp)
            }
            guard let row = record.row, case .text? = row["title"],
                case .text(let hash)? = row["body"],
                case .text(let saved)? = row["saved"]
            else { throw invalid("the creation lacks a title, body or saved date") }
            // The stream's documents were stored before any record merges; a body the receiver
            // already held was not sent.
            guard let text = try Library.body(db, hash: hash) else {
                throw invalid("its body \(hash) is not in the change set")
            }
            var values: [ItemField: DatabaseValue] = [:]
            for field in ItemField.allCases { values[field] = row[field.rawValue]?.databaseValue }
            _ = try writer.insertItem(id: record.item, saved: saved, values: values, text: text, stamp: stamp)
            summary.createdItems += 1
        case (.item, let name):
            guard let field = ItemField(rawValue: name) else { throw invalid("unknown field") }
            guard let itemSeq else { throw invalid("the item is unknown here") }
            let own = try writer.ownStamp(entity: .item, row: itemSeq, field: name)
            let local = try own ?? writer.storedStamp(entity: .item, row: itemSeq, field: name)
            let localValue = FieldValue(try writer.itemValue(itemSeq, field))
            // A reader's choice beats the value their item was created with, which may be the
            // default of a later save of the same article on another device.
            let incomingWins =
                switch field {
                // Once on the reader's list, always; the mark's clock is the latest save to the
                // list, whichever way the replica learnt of it.
                case .listed: try own.map { try wins(record, over: $0) } ?? true
                // A removal beats a feed's creation of the article, whichever is later: a feed
                // never brings back what the reader removed on another device.
                case .deleted where try own == nil && !writer.itemValue(itemSeq, .feed).isNull: true
                default:
                    try (field.isReaderState && own == nil)
                        || wins(record, over: local, localValue: localValue)
                }
            if field == .note, let local = own, localValue != record.value, try isConcurrent(local) {
                // Both edits survive: the later note, then the other one flagged below it.
                let (winner, loser) = incomingWins ? (record.value, localValue) : (localValue, record.value)
                let loserStamp = incomingWins ? local : stamp
                if incomingWins {
                    try writer.setItemField(itemSeq, field, to: record.value.databaseValue, stamp: stamp)
                }
                try writer.setItemField(
                    itemSeq, .note, to: Self.keepingBoth(winner, loser, loserStamp: loserStamp).databaseValue)
                summary.applied += 1
                return
            }
            guard incomingWins else { return summary.superseded += 1 }
            try writer.setItemField(itemSeq, field, to: record.value.databaseValue, stamp: stamp)
        case (.tag, _):
            guard let itemSeq, let tag = record.key else { throw invalid("the item is unknown here") }
            let tagRow = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT seq FROM item_tag WHERE item = ? AND tag = ?"),
                arguments: [itemSeq, tag])
            let local = try tagRow.flatMap { try writer.storedStamp(entity: .tag, row: $0, field: "present") }
            let localValue = try tagRow.flatMap {
                try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT present FROM item_tag WHERE seq = ?"), arguments: [$0])
            }.map(FieldValue.integer)
            guard try wins(record, over: local, localValue: localValue) else {
                return summary.superseded += 1
            }
            try writer.setTag(tag, on: itemSeq, present: record.value == .integer(1), stamp: stamp)
        case (.highlight, "*"):
            guard let itemSeq, let id = record.key else { throw invalid("the item is unknown here") }
            if let existing = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT seq FROM highlight WHERE id = ?"), arguments: [id])
            {
                return try settleCreation(of: .highlight, row: existing, record, stamp)
            }
            guard let row = record.row, case .text(let quote)? = row["quote"],
                case .text(let created)? = row["created"]
            else {
                throw invalid("the creation lacks a quote or date")
            }
            try writer.insertHighlight(
                id: id, item: itemSeq, quote: quote, note: (row["note"] ?? .null).databaseValue,
                created: created,
                deleted: (row["deleted"] ?? .integer(0)).databaseValue, stamp: stamp)
        case (.highlight, let name):
            guard let field = HighlightField(rawValue: name) else { throw invalid("unknown field") }
            guard let itemSeq, let id = record.key,
                let seq = try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT seq FROM highlight WHERE id = ?"), arguments: [id])
            else { throw invalid("the highlight is unknown here") }
            guard try wins(record, over: writer.storedStamp(entity: .highlight, row: seq, field: name)) else {
                return summary.superseded += 1
            }
            try writer.setHighlightField(
                seq, item: itemSeq, field, to: record.value.databaseValue, stamp: stamp)
        }
        summary.applied += 1
    }

    /// A creation of a row that exists here: the same creation, or one a library that moved to a
    /// new device id stamped again (``DeviceSuccession``). The row's values stay; its creation
    /// clock becomes the winner of the two, as it does on every replica that sees both.
    private mutating func settleCreation(
        of entity: Entity, row: Int64, _ record: ChangeRecord, _ stamp: StoredStamp
    )
        throws
    {
        summary.superseded += 1
        guard let local = try writer.storedStamp(entity: entity, row: row, field: "*"),
            (local.hlc, local.device, local.counter) != (stamp.hlc, stamp.device, stamp.counter),
            try creationWins(record, over: local, of: entity, row: row)
        else { return }
        if entity == .item, let values = record.row { try adoptCreation(values, of: row, record, stamp) }
        try writer.execute(
            "UPDATE field_clock SET hlc = ?, device = ?, counter = ? WHERE entity = ? AND row = ? AND field = '*'",
            [stamp.hlc.rawValue, stamp.device, stamp.counter, entity.rawValue, row])
    }

    /// Which of two creations of one row stands: for an item, a save by hand beats a feed's
    /// creation, then one that holds an article's text beats a link saved without it (a reading
    /// list's), whichever is later; otherwise the later.
    private mutating func creationWins(
        _ record: ChangeRecord, over local: StoredStamp, of entity: Entity, row: Int64
    ) throws -> Bool {
        if entity == .item {
            // Feed creations never win over a save, so the standing creation is a save whenever
            // one exists, on every replica: the removal rule above depends on that.
            let incomingByHand = (record.row?[ItemField.feed.rawValue] ?? .null) == .null
            let localByHand = try writer.itemValue(row, .feed).isNull
            if incomingByHand != localByHand { return incomingByHand }
        }
        if entity == .item, case .text(let incoming)? = record.row?[ItemField.body.rawValue],
            let current = String.fromDatabaseValue(try writer.itemValue(row, .body)),
            (incoming == Self.emptyBody) != (current == Self.emptyBody)
        {
            return current == Self.emptyBody
        }
        return try wins(record, over: local)
    }

    /// The hash of an empty text: the body of a link saved before its page is fetched.
    private static let emptyBody = ContentHash.of("")

    /// Takes the article's fields from the later of two creations of one item: two devices that
    /// saved the same address (``ItemID/forAddress(_:)``). A field edited here after the earlier
    /// creation keeps its edit only if it is later still; the reader's own fields are left to
    /// their own records, since a creation's defaults there are no choice.
    private mutating func adoptCreation(
        _ values: [String: FieldValue], of item: Int64, _ record: ChangeRecord, _ stamp: StoredStamp
    ) throws {
        let byFeed = (values[ItemField.feed.rawValue] ?? .null) != .null
        for field in ItemField.allCases where !field.isReaderState && field != .listed {
            // A record leaves out the fields that are empty: the winning save has none there.
            guard let value = values[field.rawValue] ?? (field.isNullable ? .null : nil) else { continue }
            if let own = try writer.ownStamp(entity: .item, row: item, field: field.rawValue),
                try (byFeed && field == .deleted) || !wins(record, over: own)
            {
                continue
            }
            if field.documentColumn != nil, let hash = value.textValue,
                try Library.body(writer.db, hash: hash) == nil
            {
                throw Self.invalid(record, "its \(field.rawValue) \(hash) is not in the change set")
            }
            try writer.adoptCreationValue(item, field, value.databaseValue, stamp: stamp)
        }
        if case .text(let saved)? = values["saved"] {
            try writer.execute("UPDATE item SET saved = ? WHERE seq = ?", [saved, item])
        }
    }

    /// Puts an item on the reader's list when another device's creation of it was on theirs:
    /// the mark only ever goes from 0 to 1, so replicas agree whichever creation wins.
    private mutating func keepListed(_ item: Int64, creation row: [String: FieldValue]?, stamp: StoredStamp)
        throws
    {
        // A creation without the field comes from before feeds: a save by hand.
        guard (row?[ItemField.listed.rawValue] ?? .integer(1)) == .integer(1),
            try writer.itemValue(item, .listed) == false.databaseValue
        else { return }
        // The value only: a creation's mark has no clock of its own, on any replica.
        try writer.adoptListed(item, stamp: stamp)
    }

    /// Whether an incoming change beats the local one. Plain fields: the later clock, then the
    /// greater device id. Progress: the later epoch (reset), then the further position. A tag's
    /// presence: the later epoch, then a removal over the add it saw.
    mutating func wins(
        _ record: ChangeRecord, over local: StoredStamp?, localValue: FieldValue? = nil
    ) throws -> Bool {
        guard let local else { return true }
        let localDevice = try deviceID(local.device)
        let clocks = (record.hlc.rawValue, record.device) > (local.hlc.rawValue, localDevice)
        switch (record.entity, record.field) {
        case (.item, ItemField.progress.rawValue), (.item, ItemField.readingState.rawValue):
            let incoming = (record.epoch ?? 0, ReadingPosition.rank(record.value))
            let current = (local.epoch ?? 0, ReadingPosition.rank(localValue ?? .null))
            return incoming == current ? clocks : incoming > current
        case (.tag, _):
            let incoming = (record.epoch ?? record.hlc.rawValue, record.value == .integer(0) ? 1 : 0)
            let current = (local.epoch ?? local.hlc.rawValue, localValue == .integer(0) ? 1 : 0)
            return incoming == current ? clocks : incoming > current
        default:
            return clocks
        }
    }

    /// Whether the local change had not reached the bundle's sender when it wrote the bundle.
    private mutating func isConcurrent(_ local: StoredStamp) throws -> Bool {
        guard let senderVector else { return false }
        return (senderVector.counters[try deviceID(local.device)] ?? 0) < local.counter
    }

    /// The winning note with the other kept under a marker, unless it is already there.
    private static func keepingBoth(_ winner: FieldValue, _ loser: FieldValue, loserStamp: StoredStamp)
        -> String
    {
        let kept = winner.textValue ?? ""
        guard let other = loser.textValue, !other.isEmpty, !kept.contains(other) else { return kept }
        let marker = "⚠ Conflicting edit of this note (\(Timestamp.string(from: loserStamp.hlc.date))):"
        return kept.isEmpty ? other : kept + "\n\n" + marker + "\n" + other
    }

    private mutating func deviceSeq(_ id: String) throws -> Int64 {
        if let seq = deviceSeqs[id] { return seq }
        try writer.execute("INSERT INTO device (id) VALUES (?) ON CONFLICT (id) DO NOTHING", [id])
        guard
            let seq = try Int64.fetchOne(
                writer.db.cachedStatement(sql: "SELECT seq FROM device WHERE id = ?"), arguments: [id])
        else {
            throw LibraryError.invalidChange(
                entity: "device", row: id, field: "id", reason: "it could not be recorded")
        }
        deviceSeqs[id] = seq
        deviceIDs[seq] = id
        return seq
    }

    private mutating func deviceID(_ seq: Int64) throws -> String {
        if let id = deviceIDs[seq] { return id }
        let id =
            try String.fetchOne(
                writer.db.cachedStatement(sql: "SELECT id FROM device WHERE seq = ?"), arguments: [seq]) ?? ""
        deviceIDs[seq] = id
        return id
    }
}
