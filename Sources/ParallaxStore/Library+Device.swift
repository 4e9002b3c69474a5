import Foundation
import GRDB

/// Why a library moved to a new device id.
public enum DeviceSuccessionReason: Sendable, Equatable {
    /// It was opened at another path or on another machine than the one it was made on: a copy.
    case copied(fromPath: String)
    /// A peer has seen more changes of this device than this library made: a restored backup,
    /// or a copy that another copy is using too.
    case behindPeer(peer: String, claimed: Int, own: Int)
    /// This machine saw the library reach a later version than its file holds: a restored
    /// backup (``WriteWatermark``).
    case restored(seen: Int, own: Int)
}

/// A library that found it was a copy of another and took a device id of its own.
///
/// The id moves, and nothing else: every item, change and trust stays. Two libraries that share a
/// device id would issue the same (device, counter) pairs for different changes, and each
/// would take the other's changes for ones it already has: a silent partition.
public struct DeviceSuccession: Sendable, Equatable {
    /// The device id the library had.
    public var previous: String
    /// The device id it has now.
    public var current: String
    /// What showed it was a copy.
    public var reason: DeviceSuccessionReason

    /// One line for the user.
    public var message: String {
        let why =
            switch reason {
            case .copied(let path): "it was copied or moved from \(path), or from another machine"
            case .behindPeer(let peer, let claimed, let own):
                "device \(peer.prefix(10)) has seen change \(claimed) of it, but it has made only \(own) "
                    + "(a restored backup or a copy)"
            case .restored(let seen, let own):
                "it is at version \(own), but this machine saw it reach version \(seen) (a restored backup)"
            }
        return "This library is now device \(current.prefix(10)) (was \(previous.prefix(10))): \(why); "
            + "its data and trust are kept."
    }
}

extension Library {
    /// The canonical form of a library's path, as recorded to tell a copy from the original.
    static func homePath(of path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }

    /// Records where the library lives on first open; moves to a new device id when it lives
    /// somewhere else than it did.
    func claimHome() throws {
        let here = Self.homePath(of: path)
        let home = try read("read the library's home") { db in
            try Row.fetchOne(db, sql: "SELECT home_path, home_machine FROM library")
        }
        let recordedPath: String? = home?["home_path"]
        let recordedMachine: String? = home?["home_machine"]
        let otherMachine = recordedMachine.map { !$0.isEmpty && $0 != environment.machine } ?? false
        if let recordedPath, recordedPath != here && !Self.sameFile(recordedPath, here) || otherMachine {
            try moveToNewDevice(reason: .copied(fromPath: recordedPath), restamping: nil)
            return
        }
        if let seen = WriteWatermark(folder: environment.stateFolder, deviceID: deviceID, libraryPath: path)?
            .recorded
        {
            let own = try currentVersion()
            if seen > own {
                try moveToNewDevice(reason: .restored(seen: seen, own: own), restamping: nil)
                return
            }
        }
        if recordedPath == nil || recordedMachine == nil {
            try database.writeWithoutTransaction { db in
                try db.execute(
                    sql: "UPDATE library SET home_path = ?, home_machine = ?",
                    arguments: [here, environment.machine])
            }
        }
    }

    /// Whether two paths name one file (hard links), by device and inode.
    private static func sameFile(_ first: String, _ second: String) -> Bool {
        func identity(_ path: String) -> [AnyHashable]? {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                let device = attributes[.systemNumber] as? AnyHashable,
                let inode = attributes[.systemFileNumber] as? AnyHashable
            else { return nil }
            return [device, inode]
        }
        guard let first = identity(first) else { return false }
        return first == identity(second)
    }

    /// Moves to a new device id when a peer has seen more of this device than this library
    /// has made, which only a copy or a restored backup can cause.
    /// - Parameters:
    ///   - vector: What the peer had seen.
    ///   - peer: The peer's device id.
    ///   - acknowledged: What each peer is known to have seen (sync's record of peers): the old
    ///     id's changes above all of it are stamped again under the new id, so that they travel.
    /// - Returns: The succession, when there was one.
    @discardableResult
    public func checkNotBehind(_ vector: VersionVector, peer: String, acknowledged: [VersionVector] = [])
        throws -> DeviceSuccession?
    {
        guard let claimed = vector.counters[deviceID] else { return nil }
        let own = try read("read this device's counter") { db in
            try Int.fetchOne(
                db, sql: "SELECT max_counter FROM device WHERE seq = (SELECT device FROM library)") ?? 0
        }
        guard claimed > own else { return nil }
        return try moveToNewDevice(
            reason: .behindPeer(peer: peer, claimed: claimed, own: own), restamping: acknowledged)
    }

    /// Takes a new device id, keeping everything else.
    ///
    /// - Parameter restamping: When changes stamped with the old id may collide with other
    ///   changes under the same counters (a restored backup kept working under the old id), what
    ///   each peer is known to have seen: the changes none of them has are stamped again as new
    ///   changes of the new id, so they travel. Nil for a copy caught when it is first opened,
    ///   which has made no such change.
    @discardableResult
    func moveToNewDevice(reason: DeviceSuccessionReason, restamping: [VersionVector]?) throws
        -> DeviceSuccession
    {
        let succession = try database.writeWithoutTransaction { db in
            var succession: DeviceSuccession?
            try db.inTransaction(.immediate) {
                guard
                    let old = try Row.fetchOne(
                        db,
                        sql:
                            "SELECT device.seq, device.id FROM library JOIN device ON device.seq = library.device"
                    )
                else { throw LibraryError.notALibrary(path: path, reason: "it has no device id") }
                let oldSeq: Int64 = old["seq"]
                let newID = environment.makeID()
                try db.execute(sql: "INSERT INTO device (id) VALUES (?)", arguments: [newID])
                try db.execute(
                    sql: "UPDATE library SET device = ?, home_path = ?, home_machine = ?",
                    arguments: [db.lastInsertedRowID, Self.homePath(of: path), environment.machine])
                if let acknowledged = restamping {
                    let writer = try ChangeWriter(db: db, environment: environment)
                    try writer.restampUnacknowledgedChanges(
                        ofDevice: oldSeq, deviceID: old["id"], acknowledged: acknowledged)
                    try writer.finish()
                }
                succession = DeviceSuccession(previous: old["id"], current: newID, reason: reason)
                return .commit
            }
            return succession!
        }
        noteSuccession(succession)
        return succession
    }
}

extension ChangeWriter {
    /// Stamps again, as this device's changes, the current values that the old device id wrote
    /// above the highest counter of it that any peer had seen, and forgets the old id's changes
    /// above that counter, so that peers send them again.
    func restampUnacknowledgedChanges(
        ofDevice oldDevice: Int64, deviceID: String, acknowledged vectors: [VersionVector]
    )
        throws
    {
        let acknowledged = vectors.map { $0.counters[deviceID] ?? 0 }.max() ?? 0
        // Each keeps its time, so it orders against other devices' changes as before; a peer
        // that holds the same change under the old id settles the tie the same way everywhere.
        let stamp = stampForLocalChange()
        try execute(
            "UPDATE field_clock SET device = ?, counter = ? WHERE device = ? AND counter > ?",
            [stamp.device, stamp.counter, oldDevice, acknowledged])
        if db.changesCount > 0 { markChanged() }
        // The old id's changes above that may be the lost original's, which this library never
        // got: claiming to have seen them would keep peers from ever sending them.
        try execute("UPDATE device SET max_counter = ? WHERE seq = ?", [acknowledged, oldDevice])
    }
}
