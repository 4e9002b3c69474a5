import Foundation
import ParallaxStore

/// Which files of a remote this device may delete, what the remote's readers can be counted on
/// to hold, and whether the remote needs a new snapshot (docs/bundle-format.md, "Pruning").
///
/// The known devices are those this library trusts and those seen on the remote, less the
/// forgotten and the revoked; what a device has applied is its published vector, or the vector
/// of its newest bundle. A bundle may go once every known device has applied it and a snapshot
/// holds it, so a device that joins later still finds everything:
/// - an increment is deleted by its author (or by anyone, once its author was forgotten);
/// - a snapshot is deleted by anyone once a greater snapshot is there (by vector, then by id),
///   written by this device or applied by every known device. The greatest snapshot is never
///   deleted by a device that sees it.
///
/// A snapshot every known device has applied is *settled*: with this device's own bundles, the
/// settled snapshots say what every reader of the remote holds, and this device deletes its own
/// bundle only when the rest still say so, so its next bundle does not carry the same changes again.
struct PruningPlan {
    /// Files this device may delete.
    private(set) var deletable: [CatalogEntry] = []
    /// What every reader of the remote can have: this device's own bundles, and settled
    /// snapshots. A new bundle carries the changes above it.
    private(set) var readersHold = VersionVector()
    /// Bytes of bundles every known device has applied but no snapshot covers: kept only for a
    /// device that joins later, until a new snapshot lets them go.
    private(set) var retainedBytes = 0
    /// The size of the greatest snapshot.
    private(set) var snapshotBytes = 0

    /// The share of a snapshot's size that bundles kept only for newcomers may reach before a
    /// push writes a new snapshot: the remote then stays near one snapshot plus what some known
    /// device has yet to apply.
    static let retainedShare = 0.15

    /// Whether a new snapshot would let enough go to be worth writing.
    var needsSnapshot: Bool {
        retainedBytes > 0 && Double(retainedBytes) > Double(snapshotBytes) * Self.retainedShare
    }

    /// - Parameters:
    ///   - entries: The remote's checked files.
    ///   - device: This device.
    ///   - applied: What this device has applied: its library's vector.
    ///   - trusted: The devices this library trusts: known even before they write to the remote,
    ///     so a bundle is kept until they have applied it.
    ///   - forgotten: Devices this library no longer waits for, forgotten or revoked.
    init(
        entries: [CatalogEntry], device: String, applied: VersionVector, trusted: Set<String>,
        forgotten: Set<String>
    ) {
        var appliedBy: [String: VersionVector] = [device: applied]
        for entry in entries {
            appliedBy[entry.device, default: VersionVector()] = appliedBy[
                entry.device, default: VersionVector()
            ]
            .merged(with: entry.vector)
        }
        let known = Set(appliedBy.keys).union(trusted).subtracting(forgotten).union([device])
        func appliedByAll(_ vector: VersionVector) -> Bool {
            known.allSatisfy { appliedBy[$0, default: VersionVector()].covers(vector) }
        }
        let snapshots = entries.filter(\.isSnapshot)
        let settled = snapshots.filter { appliedByAll($0.vector) }
        func supersedes(_ snapshot: CatalogEntry, _ entry: CatalogEntry) -> Bool {
            snapshot.name != entry.name
                && (entry.isSnapshot
                    ? Self.isGreater(snapshot, than: entry) : snapshot.vector.covers(entry.vector))
        }
        let greatest = snapshots.filter { snapshot in
            !snapshots.contains { Self.isGreater($0, than: snapshot) }
        }
        snapshotBytes = greatest.map(\.bytes).max() ?? 0
        readersHold = (entries.filter { $0.kind == .bundle && $0.device == device } + settled)
            .reduce(VersionVector()) { $0.merged(with: $1.vector) }
        let candidates = entries.filter { entry in
            entry.kind == .bundle && appliedByAll(entry.vector)
                && snapshots.contains { snapshot in
                    guard supersedes(snapshot, entry) else { return false }
                    guard entry.isSnapshot else {
                        return entry.device == device || forgotten.contains(entry.device)
                    }
                    return snapshot.device == device || settled.contains(snapshot)
                }
        }
        let kept = (entries.filter { $0.kind == .bundle && $0.device == device } + settled).filter { entry in
            !candidates.contains(entry)
        }
        let stillHeld = kept.reduce(VersionVector()) { $0.merged(with: $1.vector) }
        deletable = candidates.filter { $0.device != device || stillHeld.covers($0.vector) }
        for entry in entries where entry.kind == .bundle && !entry.isSnapshot && appliedByAll(entry.vector) {
            if !snapshots.contains(where: { supersedes($0, entry) }) { retainedBytes += entry.bytes }
        }
        let ownNotes = entries.filter { $0.kind == .applied && $0.device == device }
        for entry in ownNotes + entries.filter({ $0.kind == .applied && forgotten.contains($0.device) }) {
            let superseded = ownNotes.contains { other in
                other.name != entry.name && other.vector.covers(entry.vector)
                    && (other.vector != entry.vector || other.name > entry.name)
            }
            if forgotten.contains(entry.device) || superseded { deletable.append(entry) }
        }
    }

    /// Whether `snapshot` holds everything `other` does and comes after it.
    static func isGreater(_ snapshot: CatalogEntry, than other: CatalogEntry) -> Bool {
        guard snapshot.vector.covers(other.vector) else { return false }
        return snapshot.vector != other.vector || (snapshot.bundle ?? "") > (other.bundle ?? "")
    }
}
