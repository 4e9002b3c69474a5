import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// A remote stays small: each device publishes what it has applied, a bundle every known device
/// has applied goes once a snapshot holds it, and a device that joins later starts from the snapshot.
@Suite struct RemotePruningTests {
    /// One day of edits on one device: an article every third day, and a note, a tag or a
    /// reading state on an article it has.
    static func edit(_ replica: Replica, day: Int, device: Int) throws {
        if day % 3 == device || day == 0 {
            try replica.library.add(Fixtures.draft(day * 3 + device + 1))
        }
        let items = try replica.library.items()
        guard !items.isEmpty else { return }
        let id = items[(day * 7 + device) % items.count].id
        switch (day + device) % 3 {
        case 0: try replica.library.setNote(id, "day \(day) on device \(device)")
        case 1: _ = try replica.library.updateTags(id, adding: ["day-\(day % 5)"], removing: [])
        default: _ = try replica.library.mark(id, as: day % 2 == 0 ? .read : .unread)
        }
    }

    /// The remote's bundles with their headers, read as a newcomer would.
    static func bundles(on remote: MemoryRemote, reader: Replica) throws -> [(
        name: String, bytes: Int, header: BundleHeader
    )] {
        try remote.names.filter { $0.hasSuffix(".pxb") }.map { name in
            let data = try remote.read(name)
            return (name, data.count, try reader.sync.verifiedHeader(of: data, name: name))
        }
    }

    @Test(arguments: [60])
    func testDailyEditsOnThreeDevicesStayNearOneSnapshotPlusWhatIsUnapplied(days: Int) throws {
        let replicas = try Replica.pairedGroup(3)
        let remote = MemoryRemote()
        for day in 0..<days {
            for (index, replica) in replicas.enumerated() {
                try Self.edit(replica, day: day, device: index)
                let report = try replica.sync.sync(through: remote)
                #expect(report.skipped.isEmpty, "day \(day): \(report.skipped)")
            }
            // What the remote must hold: the greatest snapshot, and what some device lacks.
            let vectors = try replicas.map { try $0.library.versionVector() }
            let bundles = try Self.bundles(on: remote, reader: replicas[0])
            let snapshot =
                bundles.filter { $0.header.since.values.allSatisfy { $0 == 0 } }
                .map(\.bytes).max() ?? 0
            let unapplied = bundles.filter { bundle in
                !vectors.allSatisfy { $0.covers(VersionVector(counters: bundle.header.vector)) }
            }.map(\.bytes).reduce(0, +)
            #expect(
                Double(remote.storedBytes) <= 1.2 * Double(snapshot + unapplied) + 4_096,
                "day \(day): \(remote.storedBytes) bytes held for a \(snapshot)-byte snapshot and \(unapplied) unapplied"
            )
        }
        for replica in replicas { _ = try replica.sync.sync(through: remote) }
        #expect(try replicas[1].state() == replicas[0].state() && replicas[2].state() == replicas[0].state())
        // A device that joins now starts from the snapshot and reads few files.
        let newcomer = try Replica()
        for replica in replicas {
            try newcomer.trust(replica)
            try replica.trust(newcomer)
        }
        let before = remote.reads
        let joined = try newcomer.sync.pull(from: remote)
        #expect(joined.skipped.isEmpty, "\(joined.skipped)")
        #expect(try newcomer.library.changes() == replicas[0].library.changes())
        #expect(remote.reads - before <= 12, "a newcomer read \(remote.reads - before) files")
        #expect(remote.names.filter { $0.hasSuffix(".pxb") }.count < days, "\(remote.names)")
    }

    @Test func testABundleStaysUntilEveryTrustedDeviceHasAppliedItAndGoesOnceASilentOneIsForgotten() throws {
        let replicas = try Replica.pairedGroup(3)
        let (laptop, desktop, silent) = (replicas[0], replicas[1], replicas[2])
        let remote = MemoryRemote()
        try laptop.library.add(Fixtures.draft(1))
        _ = try laptop.sync.sync(through: remote)
        _ = try desktop.sync.sync(through: remote)
        try laptop.library.add(Fixtures.draft(2))
        _ = try laptop.sync.sync(through: remote)
        _ = try desktop.sync.sync(through: remote)
        let compacted = try laptop.sync.sync(through: remote, compact: true)
        // The silent device is trusted but has applied nothing: nothing may go yet.
        #expect(compacted.snapshot != nil && compacted.pruned.filter { $0.hasSuffix(".pxb") }.isEmpty)
        let files = remote.names.filter { $0.hasSuffix(".pxb") }.count
        try laptop.sync.forget(device: String(silent.library.deviceID.prefix(20)))
        let pruned = try laptop.sync.sync(through: remote)
        #expect(pruned.pruned.contains { $0.hasSuffix(".pxb") }, "\(remote.names)")
        #expect(remote.names.filter { $0.hasSuffix(".pxb") }.count < files)
        // The forgotten device comes back: it starts from the snapshot and loses nothing.
        try silent.library.add(Fixtures.draft(3))
        for _ in 0..<2 {
            for replica in replicas { _ = try replica.sync.sync(through: remote) }
        }
        #expect(try silent.state() == laptop.state() && desktop.state() == laptop.state())
        #expect(try silent.library.items().count == 3)
    }

    @Test func testTwoSnapshotsOfTheSameVectorAreNeverBothDeleted() throws {
        let vector = VersionVector(counters: ["a": 3, "b": 2])
        func snapshot(_ device: String, _ bundle: String) -> CatalogEntry {
            var header = BundleHeader(
                bundle: bundle, device: device, publicKey: "", created: "", since: [:],
                vector: vector.counters,
                records: 1, bodies: 0, payloadBytes: 1)
            header.since = [:]
            return CatalogEntry(name: "\(device)-\(bundle).pxb", header: header, bytes: 100)
        }
        let entries = [snapshot("a", "01a"), snapshot("b", "01b")]
        let deletedBy = ["a", "b"].map { device in
            PruningPlan(
                entries: entries, device: device, applied: vector, trusted: ["a", "b"], forgotten: []
            )
            .deletable.map(\.name)
        }
        #expect(Set(deletedBy.joined()) == ["a-01a.pxb"])
    }

    @Test func testASyncReadsOnlyFilesItHasNotSeenAndReadsAgainAFileThatChanged() throws {
        let replicas = try Replica.pairedGroup(2)
        let remote = MemoryRemote()
        for (index, replica) in replicas.enumerated() {
            try replica.library.add(Fixtures.draft(index + 1))
            _ = try replica.sync.sync(through: remote)
        }
        _ = try replicas[0].sync.sync(through: remote)
        let before = remote.reads
        let quiet = try replicas[0].sync.sync(through: remote)
        #expect(quiet.imported.isEmpty && quiet.written == nil && remote.reads == before)
        // A file replaced by one of another size is checked again: damaged, it is named.
        let name = try #require(
            remote.names.first {
                $0.hasSuffix(".pxb") && !$0.hasPrefix(replicas[0].library.deviceID.prefix(10))
            })
        remote.replace(name, with: Data("not a bundle".utf8))
        let checked = try replicas[0].sync.sync(through: remote)
        #expect(checked.skipped.map(\.path) == [remote.location(of: name)])
    }

    @Test func testAForgedOrAlteredPublishedVectorIsRefusedAndPrunesNothing() throws {
        let replicas = try Replica.pairedGroup(2)
        let (laptop, phone) = (replicas[0], replicas[1])
        let remote = MemoryRemote()
        try laptop.library.add(Fixtures.draft(1))
        _ = try laptop.sync.sync(through: remote, compact: true)
        try laptop.library.add(Fixtures.draft(2))
        _ = try laptop.sync.sync(through: remote)
        // A stranger claims, in the phone's name, that the phone has applied everything.
        let stranger = try Replica()
        let forged = try AppliedVector(
            device: phone.library.deviceID,
            publicKey: Data(stranger.sync.signingKey.publicKey.rawRepresentation).base64EncodedString(),
            vector: ["\(laptop.library.deviceID)": 1_000], created: "2026-11-30T00:00:00Z"
        ).encoded(signingKey: stranger.sync.signingKey)
        try remote.write(forged.name, forged.data)
        var altered = try phone.sync.appliedVector()
        altered.data = Data(
            String(decoding: altered.data, as: UTF8.self).replacingOccurrences(of: "\":", with: "\": ").utf8)
        try remote.write("altered-applied-0.pxv", altered.data)
        let report = try laptop.sync.sync(through: remote, compact: true)
        #expect(
            Set(report.skipped.map(\.path)) == [
                remote.location(of: forged.name), remote.location(of: "altered-applied-0.pxv"),
            ])
        #expect(!report.pruned.contains { $0.hasSuffix(".pxb") }, "the phone has applied nothing")
        _ = try phone.sync.sync(through: remote)
        #expect(try phone.library.items().count == 2)
    }
}
