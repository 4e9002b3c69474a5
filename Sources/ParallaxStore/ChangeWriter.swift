import Foundation
import GRDB

/// The one write path of a library.
///
/// Every function that changes a user-visible value goes through a writer, which
/// records the field's clock and the old and new value in the same transaction. A writer
/// lives for one transaction; ``finish()`` advances the library's version and clock.
final class ChangeWriter {
    /// How many history entries each item keeps; older ones are pruned.
    static let historyLimit = 256

    let db: Database
    /// The clock and random numbers of the library.
    let environment: LibraryEnvironment
    /// The version this transaction gets if it changes anything.
    let version: Int
    let localDevice: Int64
    /// Whether this device keeps images (store migration 0012): when not, their bytes are not stored.
    let keepsImages: Bool
    private let startingClock: HybridTimestamp
    private var clock: HybridLogicalClock
    private var localStamp: StoredStamp?
    /// What the transaction has written so far; a savepoint rolled back restores it (see ``inSavepoint(_:)``).
    private var pending = PendingState()
    private var remoteCounters: [Int64: Int] = [:]
    var changed: Bool { pending.changed }
    /// How many history rows the transaction wrote.
    var historyRows: Int { pending.historyRows }

    /// Items created in this transaction: their history is short, so pruning skips them.
    var createdItems: Set<Int64> {
        get { pending.createdItems }
        // In place: a copy per insert made a merge of n new items take n² time.
        _modify { yield &pending.createdItems }
    }

    init(db: Database, environment: LibraryEnvironment) throws {
        self.db = db
        self.environment = environment
        guard let row = try Row.fetchOne(db, sql: "SELECT device, version, hlc, keeps_images FROM library")
        else {
            throw LibraryError.notALibrary(path: db.description, reason: "its library record is missing")
        }
        localDevice = row["device"]
        keepsImages = row["keeps_images"]
        version = (row["version"] as Int) + 1
        startingClock = HybridTimestamp(rawValue: row["hlc"])
        clock = HybridLogicalClock(latest: startingClock, wallClock: environment.now)
    }

    /// The stamp of this transaction's local changes, issued on first use.
    ///
    /// Every remote clock of the transaction must be observed before it is issued (see
    /// ``observe(_:)``): a local change that merges remote ones must order after all of them.
    func stampForLocalChange() -> StoredStamp {
        if let localStamp { return localStamp }
        let stamp = StoredStamp(hlc: clock.tick(), device: localDevice, counter: version)
        localStamp = stamp
        return stamp
    }

    /// Moves the clock past a remote stamp and remembers the remote device's counter.
    func observe(_ stamp: StoredStamp) {
        assert(
            localStamp == nil || stamp.hlc < localStamp!.hlc, "a remote clock observed after a local stamp")
        clock.receive(stamp.hlc)
        remoteCounters[stamp.device] = max(remoteCounters[stamp.device] ?? 0, stamp.counter)
    }

    /// Marks the transaction as one that changed the library, for writes outside the history.
    func markChanged() { pending.changed = true }

    /// Runs `body` in a savepoint; when it throws, both the database and the writer's own
    /// queued work (rows to index, items touched) go back to how they were.
    func inSavepoint<T>(_ body: () throws -> T) throws -> T {
        let saved = pending
        var result: T?
        do {
            try db.inSavepoint {
                result = try body()
                return .commit
            }
        } catch {
            pending = saved
            throw error
        }
        return result!
    }

    // MARK: - Recording

    /// Records that a row came into being.
    func recordCreation(
        entity: Entity, row: Int64, item: Int64, summary: DatabaseValue, stamp: StoredStamp? = nil
    ) throws {
        let stamp = stamp ?? stampForLocalChange()
        // A new row has no clock yet, so a plain insert does instead of the upsert.
        try execute(
            "INSERT INTO field_clock (entity, row, field, hlc, device, counter) VALUES (?, ?, '*', ?, ?, ?)",
            [entity.rawValue, row, stamp.hlc.rawValue, stamp.device, stamp.counter])
        try appendHistory(
            entity: entity, row: row, item: item, field: "*", old: .null, new: summary, stamp: stamp)
    }

    /// Records a change of one field from `old` to `new`.
    func recordField(
        entity: Entity, row: Int64, item: Int64, field: String, old: DatabaseValue, new: DatabaseValue,
        stamp: StoredStamp? = nil, epoch: Int64? = nil
    ) throws {
        var stamp = stamp ?? stampForLocalChange()
        stamp.epoch = epoch ?? stamp.epoch
        try setClock(entity: entity, row: row, field: field, stamp: stamp)
        try appendHistory(
            entity: entity, row: row, item: item, field: field, old: old, new: new, stamp: stamp)
    }

    /// The clock of a field, falling back to the row's creation clock.
    func storedStamp(entity: Entity, row: Int64, field: String) throws -> StoredStamp? {
        let statement = try db.cachedStatement(
            sql: """
                SELECT hlc, device, counter, epoch FROM field_clock
                WHERE entity = ? AND row = ? AND field IN (?, '*')
                ORDER BY field = '*' LIMIT 1
                """)
        return try Row.fetchOne(statement, arguments: [entity.rawValue, row, field]).map(StoredStamp.init)
    }

    /// Advances the version and clock when anything changed, and prunes old history.
    ///
    /// A transaction that only observed remote clocks still saves the clock and the counters it
    /// saw, so that the next local change orders after them.
    func finish() throws {
        defer { pending.searchRows.removeAll() }
        guard changed else {
            if clock.latest > startingClock {
                try execute("UPDATE library SET hlc = ?", [clock.latest.rawValue])
            }
            for (device, counter) in remoteCounters {
                try execute(
                    "UPDATE device SET max_counter = max(max_counter, ?) WHERE seq = ?", [counter, device])
            }
            return
        }
        try execute("UPDATE library SET version = ?, hlc = ?", [version, clock.latest.rawValue])
        if let watermark = try deviceWatermark() {
            db.afterNextTransaction(onCommit: { [version] _ in watermark.record(version) })
        }
        if localStamp != nil {
            try execute(
                "UPDATE device SET max_counter = max(max_counter, ?) WHERE seq = ?", [version, localDevice])
        }
        for (device, counter) in remoteCounters {
            try execute(
                "UPDATE device SET max_counter = max(max_counter, ?) WHERE seq = ?", [counter, device])
        }
        for item in pending.touchedItems.subtracting(pending.createdItems) {
            try execute(
                """
                DELETE FROM change WHERE item = ?1 AND seq <= (
                    SELECT seq FROM change WHERE item = ?1 ORDER BY seq DESC LIMIT 1 OFFSET ?2)
                """, [item, Self.historyLimit])
        }
        try flushSearchIndex()
    }

    // MARK: - Items

    /// Reads the logical value of an item field (a body is its hash).
    func itemValue(_ item: Int64, _ field: ItemField) throws -> DatabaseValue {
        try DatabaseValue.fetchOne(
            db.cachedStatement(sql: "SELECT \(field.selection) FROM item WHERE seq = ?"), arguments: [item])
            ?? .null
    }

    /// Sets an item field, recording the change unless the value is already there.
    @discardableResult
    func setItemField(_ item: Int64, _ field: ItemField, to value: DatabaseValue, stamp: StoredStamp? = nil)
        throws -> Bool
    {
        var value = value
        // A local write may bring back a value from history that an earlier version kept
        // uncleaned (`restore`, `sync undo`); it is stored as new text would be.
        if stamp == nil, let rule = TextField(rawValue: field.rawValue),
            let text = String.fromDatabaseValue(value),
            rule.needsRepair(text)
        {
            value = rule.repaired(text)?.databaseValue ?? .null
        }
        let old = try itemValue(item, field)
        if old == value && stamp == nil { return false }
        try writeColumn(item, field, value)
        let epoch =
            ReadingPosition.fields.contains(field) && stamp == nil
            ? try localPositionEpoch(item, old: old, new: value) : nil
        try recordField(
            entity: .item, row: item, item: item, field: field.rawValue, old: old, new: value, stamp: stamp,
            epoch: epoch)
        if let epoch { try carryPositionEpoch(epoch, of: field, on: item) }
        return true
    }

    /// Takes a content field's value from the creation of the same item on another device that
    /// won over this one's (``ChangeMerge``): the value now stands under the creation's clock, so
    /// a clock of this device's own older edit goes.
    func adoptCreationValue(_ item: Int64, _ field: ItemField, _ value: DatabaseValue, stamp: StoredStamp)
        throws
    {
        try execute(
            "DELETE FROM field_clock WHERE entity = 'item' AND row = ? AND field = ?", [item, field.rawValue])
        let old = try itemValue(item, field)
        guard old != value else { return }
        try writeColumn(item, field, value)
        try appendHistory(
            entity: .item, row: item, item: item, field: field.rawValue, old: old, new: value, stamp: stamp)
    }

    /// Puts an item on the reader's list because a creation of it on another device was there,
    /// without a clock of its own (see ``ChangeMerge``).
    func adoptListed(_ item: Int64, stamp: StoredStamp) throws {
        try writeColumn(item, .listed, true.databaseValue)
        try appendHistory(
            entity: .item, row: item, item: item, field: ItemField.listed.rawValue, old: false.databaseValue,
            new: true.databaseValue, stamp: stamp)
    }

    /// Gives a field its own clock, the one of this transaction's local changes, for a value
    /// that a new item was created with.
    func stampCreationValue(_ item: Int64, _ field: ItemField) throws {
        try setClock(entity: .item, row: item, field: field.rawValue, stamp: stampForLocalChange())
    }

    /// The clock of a row's field set since its creation; nil when the creation's stands for it.
    func ownStamp(entity: Entity, row: Int64, field: String) throws -> StoredStamp? {
        let statement = try db.cachedStatement(
            sql:
                "SELECT hlc, device, counter, epoch FROM field_clock WHERE entity = ? AND row = ? AND field = ?"
        )
        return try Row.fetchOne(statement, arguments: [entity.rawValue, row, field]).map(StoredStamp.init)
    }

    private func writeColumn(_ item: Int64, _ field: ItemField, _ value: DatabaseValue) throws {
        // The update trigger edits the index entry, so a queued entry of this item must be there first.
        if pending.searchRows.contains(where: { $0.item == item }) { try flushSearchIndex() }
        if let column = field.documentColumn {
            var documentID: Int64?
            if let hash = String.fromDatabaseValue(value) {
                documentID = try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT id FROM body WHERE hash = ?"), arguments: [hash])
            }
            // Only the HTML may be cleared; every item has a text body.
            guard documentID != nil || (value.isNull && field == .html) else {
                throw LibraryError.invalidChange(
                    entity: "item", row: "\(item)", field: field.rawValue, reason: "unknown body \(value)")
            }
            try execute("UPDATE item SET \(column) = ? WHERE seq = ?", [documentID, item])
        } else {
            try execute("UPDATE item SET \(field.rawValue) = ? WHERE seq = ?", [value, item])
            if field == .images { try linkAssets(of: item, to: value) }
        }
    }

    /// Moves the other field of the reading position into a new epoch with this change, so that
    /// a reset of the state alone also beats a concurrent position, and a reset of progress alone
    /// a concurrent state. Its value stays; only its clock becomes this change's.
    private func carryPositionEpoch(_ epoch: Int64, of field: ItemField, on item: Int64) throws {
        for other in ReadingPosition.fields where other != field {
            guard try (storedStamp(entity: .item, row: item, field: other.rawValue)?.epoch ?? 0) < epoch
            else {
                continue
            }
            var stamp = stampForLocalChange()
            stamp.epoch = epoch
            try setClock(entity: .item, row: item, field: other.rawValue, stamp: stamp)
        }
    }

    /// A local change that moves the reading position back (a lower state or progress) is an
    /// explicit reset and starts a new epoch; one that moves it on stays in the current epoch,
    /// where the furthest position wins. State and progress share their epoch.
    private func localPositionEpoch(_ item: Int64, old: DatabaseValue, new: DatabaseValue) throws -> Int64 {
        let lowered = ReadingPosition.rank(FieldValue(new)) < ReadingPosition.rank(FieldValue(old))
        if lowered { return stampForLocalChange().hlc.rawValue }
        return try ReadingPosition.fields.map {
            try storedStamp(entity: .item, row: item, field: $0.rawValue)?.epoch ?? 0
        }.max() ?? 0
    }

    /// Queues a new item for the full-text index; every path that inserts an item row calls it.
    ///
    /// The rows reach FTS5 in ``finish()``, after every other statement of the transaction:
    /// any statement that needs a statement journal makes FTS5 flush its pending terms,
    /// which, interleaved with each item's other rows, cost more than half the ingest rate.
    ///
    /// The queue is written once it holds 16 MiB of text, so a merge of a whole library in one
    /// transaction does not hold every article's text in memory until it commits.
    func indexNewItem(_ item: Int64, title: String, byline: String?, source: String?, text: String) throws {
        pending.searchRows.append((item, [item, title, byline, source, text]))
        pending.searchBytes += text.utf8.count + title.utf8.count
        if pending.searchBytes > Self.searchQueueBytes { try flushSearchIndex() }
    }

    static let searchQueueBytes = 16 << 20

    /// Writes the queued rows into the full-text index.
    func flushSearchIndex() throws {
        for (_, arguments) in pending.searchRows {
            try execute(
                "INSERT INTO item_search (rowid, title, byline, source, body) VALUES (?, ?, ?, ?, ?)",
                arguments)
        }
        pending.searchRows.removeAll()
        pending.searchBytes = 0
    }

    // MARK: - Tags

    /// Adds or removes a tag on an item; returns whether anything changed.
    @discardableResult
    func setTag(_ tag: String, on item: Int64, present: Bool, stamp: StoredStamp? = nil) throws -> Bool {
        let existing = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT seq, present FROM item_tag WHERE item = ? AND tag = ?"),
            arguments: [item, tag])
        let row: Int64
        let old: DatabaseValue
        if let existing {
            row = existing["seq"]
            old = existing["present"]
            if old == present.databaseValue && stamp == nil { return false }
            try execute("UPDATE item_tag SET present = ? WHERE seq = ?", [present, row])
        } else {
            if !present && stamp == nil { return false }
            try execute("INSERT INTO item_tag (item, tag, present) VALUES (?, ?, ?)", [item, tag, present])
            row = db.lastInsertedRowID
            old = .null
        }
        // An add is its own epoch; a removal records the add it saw, so that it removes that add
        // and no concurrent one (add wins).
        let epoch: Int64? =
            stamp != nil
            ? nil
            : present
                ? stampForLocalChange().hlc.rawValue
                : try storedStamp(entity: .tag, row: row, field: "present").map {
                    $0.epoch ?? $0.hlc.rawValue
                }
        try recordField(
            entity: .tag, row: row, item: item, field: "present", old: old, new: present.databaseValue,
            stamp: stamp, epoch: epoch)
        return true
    }

    // MARK: - Helpers

    /// The mark of the highest version this machine saw the library reach, under its device id.
    private func deviceWatermark() throws -> WriteWatermark? {
        guard let folder = environment.stateFolder else { return nil }
        let row = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT device.id, (SELECT file FROM pragma_database_list WHERE name = 'main') AS file
                    FROM library JOIN device ON device.seq = library.device
                    """))
        guard let id: String = row?["id"], let file: String = row?["file"], !file.isEmpty else { return nil }
        return WriteWatermark(folder: folder, deviceID: id, libraryPath: file)
    }

    func execute(_ sql: String, _ arguments: StatementArguments = []) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }

    func setClock(entity: Entity, row: Int64, field: String, stamp: StoredStamp) throws {
        try execute(
            """
            INSERT INTO field_clock (entity, row, field, hlc, device, counter, epoch) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (entity, row, field) DO UPDATE SET hlc = excluded.hlc, device = excluded.device,
                counter = excluded.counter, epoch = excluded.epoch
            """, [entity.rawValue, row, field, stamp.hlc.rawValue, stamp.device, stamp.counter, stamp.epoch])
    }

    private func appendHistory(
        entity: Entity, row: Int64, item: Int64, field: String, old: DatabaseValue, new: DatabaseValue,
        stamp: StoredStamp
    ) throws {
        try execute(
            """
            INSERT INTO change (version, item, entity, row, field, old_value, new_value, hlc, device)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [version, item, entity.rawValue, row, field, old, new, stamp.hlc.rawValue, stamp.device])
        pending.touchedItems.insert(item)
        pending.changed = true
        pending.historyRows += 1
    }
}

/// What a writer has done in its transaction that SQLite does not roll back for it.
private struct PendingState {
    var touchedItems = Set<Int64>()
    var createdItems = Set<Int64>()
    var searchRows: [(item: Int64, arguments: StatementArguments)] = []
    var searchBytes = 0
    var changed = false
    var historyRows = 0
}
