import Foundation
import ParallaxStore
import ParallaxSync

/// A property test of sync, shared by `swift test` (a few seeds) and `parallax-bench converge`
/// (hundreds): replicas on skewed clocks make random changes and exchange bundles partially,
/// twice over and out of order, directly and through a shared folder or remote that they also
/// compact and prune; one library is copied to another machine, one is restored from a backup
/// and makes changes again, one pair of devices does not trust each other, and one device is
/// revoked.
///
/// After every delivery, any two replicas with the same version vector must hold the same field
/// clocks, epochs and values; at the end, after everyone has talked to everyone, all of them must.
public struct ConvergenceSimulation {
    /// What the simulation mixes in.
    public struct Options: Sendable {
        /// Replicas at the start.
        public var replicas = 5
        /// Local changes made in all.
        public var operations = 1_000
        /// Whether some clocks run hours ahead or behind, and one steps back.
        public var skew = true
        /// Whether one library is copied to another machine mid-way.
        public var copies = true
        /// Whether one device does not trust another, and one device is revoked mid-way.
        public var partialTrust = true
        /// Whether replicas also sync through a shared folder, sometimes compacting it.
        public var folder = true
        /// The remote they sync through instead of a folder, such as a WebDAV server.
        public var remote: (any SyncTransport)?

        /// Every kind of trouble, at the sizes of issue 9.
        public init() {}
    }

    /// The seed the whole run follows.
    public let seed: UInt64
    /// What it mixes in.
    public let options: Options

    /// A simulation of one seed.
    public init(seed: UInt64, options: Options = Options()) {
        self.seed = seed
        self.options = options
    }

    /// Runs the simulation.
    /// - Returns: The problems found, each one line; empty when every check held.
    public func run() throws -> [String] {
        var run = try SimulationRun(seed: seed, options: options)
        return try run.play()
    }
}

/// One replica of the simulation: a library on its own test clock, in its own folder.
final class SimulatedDevice {
    let directory: TemporaryDirectory
    /// The machine's state folder (``LibraryEnvironment/stateFolder``).
    let stateFolder: TemporaryDirectory
    let clock: TestClock
    let machine: String
    let library: Library
    let sync: LibrarySync

    init(clock: TestClock, seed: UInt64, machine: String, copying original: SimulatedDevice? = nil) throws {
        directory = TemporaryDirectory()
        stateFolder = TemporaryDirectory()
        self.clock = clock
        self.machine = machine
        var environment = LibraryEnvironment.simulated(clock: clock, seed: seed, machine: machine)
        environment.stateFolder = stateFolder.path("state")
        let path = directory.path("library.sqlite")
        if let original {
            try original.library.backUp(to: path)
            library = try Library.open(at: path, environment: environment)
        } else {
            library = try Library.create(at: path, environment: environment)
        }
        sync = try LibrarySync(library: library)
    }

    /// The device after its library was lost and a backup of it copied back in its place, on the
    /// same machine.
    init(restoring backup: String, of lost: SimulatedDevice, seed: UInt64) throws {
        (directory, stateFolder, clock, machine) = (
            lost.directory, lost.stateFolder, lost.clock, lost.machine
        )
        var environment = LibraryEnvironment.simulated(clock: clock, seed: seed, machine: machine)
        environment.stateFolder = stateFolder.path("state")
        let path = directory.path("library.sqlite")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        try FileManager.default.copyItem(atPath: backup, toPath: path)
        library = try Library.open(at: path, environment: environment)
        sync = try LibrarySync(library: library)
    }

    /// Field clocks with values, version vector and export: what equal vectors must make equal.
    func state() throws -> [String] {
        var export = Data()
        try library.exportJSONLines(includeDeleted: true) { export.append($0) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return [
            String(decoding: try encoder.encode(library.changes().records), as: UTF8.self),
            String(decoding: try encoder.encode(library.versionVector()), as: UTF8.self),
            String(decoding: export, as: UTF8.self),
        ]
    }
}

private struct SimulationRun {
    let options: ConvergenceSimulation.Options
    let seed: UInt64
    var random: SeededGenerator
    var devices: [SimulatedDevice] = []
    var mailbox: [(path: String, to: Int)] = []
    let folder = TemporaryDirectory()
    var problems: [String] = []
    var copied = false, revoked = false, steppedBack = false, restored = false
    var backup: (device: Int, path: String, version: Int)?

    init(seed: UInt64, options: ConvergenceSimulation.Options) throws {
        self.seed = seed
        self.options = options
        random = SeededGenerator(seed: seed)
        // Wall clocks: on time, three hours ahead, two hours behind, then on time.
        let skews: [TimeInterval] = options.skew ? [0, 3 * 3_600, -2 * 3_600] : []
        for index in 0..<options.replicas {
            let clock = TestClock()
            clock.advance(by: index < skews.count ? skews[index] : 0)
            devices.append(
                try SimulatedDevice(
                    clock: clock, seed: seed &* 1_000 &+ UInt64(index), machine: "machine-\(index)"))
        }
        for device in devices {
            for other in devices where other !== device {
                // The last device does not trust the first.
                if options.partialTrust && device === devices.last && other === devices.first { continue }
                _ = try device.sync.trust(keyLine: other.sync.publicKeyLine)
            }
        }
    }

    mutating func play() throws -> [String] {
        var operations = 0
        while operations < options.operations {
            let actor = Int.random(in: 0..<devices.count, using: &random)
            switch Int.random(in: 0..<24, using: &random) {
            case 0..<5: try cutBundle(from: actor)
            case 5 where options.folder:
                let compact = Int.random(in: 0..<8, using: &random) == 0
                _ = try devices[actor].sync.sync(
                    through: options.remote ?? FolderTransport(path: folder.url.path), compact: compact)
            case 6 where options.copies && !copied && operations > options.operations / 3:
                try copyLibrary(actor)
            case 7 where options.partialTrust && !revoked && operations > options.operations / 2:
                try revokeOne(by: actor)
            case 9:
                try meet(actor, (actor + Int.random(in: 1..<devices.count, using: &random)) % devices.count)
            case 10 where options.copies && backup == nil && operations > options.operations / 4:
                let path = devices[actor].directory.path("backup.sqlite")
                try devices[actor].library.backUp(to: path)
                backup = (actor, path, try devices[actor].library.currentVersion())
            case 11 where options.copies && !restored && operations > options.operations / 2:
                try restoreBackup()
            case 8 where options.skew && !steppedBack:
                devices[actor].clock.advance(by: -3_600)
                steppedBack = true
            default:
                try RandomOperation.apply(on: devices[actor].library, random: &random)
                operations += 1
            }
            if !mailbox.isEmpty && Int.random(in: 0..<3, using: &random) == 0 {
                let letter = mailbox.remove(at: Int.random(in: 0..<mailbox.count, using: &random))
                try deliver(letter)
                try checkPairsWithEqualVectors(at: operations)
            }
        }
        try settle()
        return problems
    }

    /// Cuts a bundle from what the actor believes a random peer has seen; sometimes twice.
    mutating func cutBundle(from actor: Int) throws {
        let receiver = (actor + Int.random(in: 1..<devices.count, using: &random)) % devices.count
        let (data, _) = try devices[actor].sync.exportBundle(for: devices[receiver].library.deviceID)
        let path = devices[actor].directory.write("\(UUID().uuidString).pxb", data)
        mailbox.append((path, receiver))
        if Bool.random(using: &random) { mailbox.append((path, receiver)) }
    }

    mutating func deliver(_ letter: (path: String, to: Int)) throws {
        do {
            _ = try devices[letter.to].sync.importBundle(at: letter.path)
        } catch LibraryError.missingEarlierChanges {
            // Arrived before a bundle it continues from: keep it for later, as a folder would.
            mailbox.append(letter)
        } catch SyncError.untrusted, SyncError.revoked {
            // The receiver does not trust the sender: what it carries arrives by other ways.
        }
    }

    /// Copies a library to a new machine; both go on.
    mutating func copyLibrary(_ actor: Int) throws {
        let clock = TestClock()
        clock.advance(by: 600)
        let copy = try SimulatedDevice(
            clock: clock, seed: seed &* 1_000 &+ 999, machine: "copy-machine", copying: devices[actor])
        if copy.library.succession == nil { problems.append("seed \(seed): the copy kept its device id") }
        devices.append(copy)
        copied = true
    }

    /// The backed-up device loses its library and goes on from the backup.
    mutating func restoreBackup() throws {
        guard let backup else { return }
        let lost = devices[backup.device]
        let wentOn = try lost.library.currentVersion() > backup.version
        let device = try SimulatedDevice(restoring: backup.path, of: lost, seed: seed &* 1_000 &+ 998)
        if wentOn && device.library.succession == nil {
            problems.append("seed \(seed): the restored backup kept its device id")
        }
        devices[backup.device] = device
        restored = true
    }

    /// One device stops trusting another, as after losing it.
    mutating func revokeOne(by actor: Int) throws {
        let victim = (actor + 1) % devices.count
        _ = try devices[actor].sync.revoke(device: devices[victim].library.deviceID)
        revoked = true
    }

    /// Two devices meet and sync both ways until neither lacks anything the other has; they must
    /// then be the same.
    mutating func meet(_ first: Int, _ second: Int) throws {
        for _ in 0..<3 {
            for (sender, receiver) in [(first, second), (second, first)] {
                let (data, _) = try devices[sender].sync.exportBundle(for: devices[receiver].library.deviceID)
                let path = devices[sender].directory.write("meet.pxb", data)
                do {
                    _ = try devices[receiver].sync.importBundle(at: path)
                } catch SyncError.untrusted, SyncError.revoked {
                    return
                }
            }
        }
        if try devices[first].library.versionVector() == devices[second].library.versionVector(),
            try devices[first].state() != devices[second].state()
        {
            problems.append("seed \(seed): replicas \(first) and \(second) met, synced, and still differ")
        }
    }

    mutating func checkPairsWithEqualVectors(at operation: Int) throws {
        let vectors = try devices.map { try $0.library.versionVector() }
        for first in devices.indices {
            for second in devices.indices where second > first && vectors[first] == vectors[second] {
                let (one, two) = (try devices[first].state(), try devices[second].state())
                if one != two {
                    problems.append(
                        "seed \(seed): replicas \(first) and \(second) saw the same changes but differ "
                            + "(after operation \(operation)): \(Self.difference(one, two))")
                    return
                }
            }
        }
    }

    /// Where two states part: in the first part that differs, what only one side holds.
    static func difference(_ first: [String], _ second: [String]) -> String {
        guard let part = first.indices.first(where: { first[$0] != second[$0] }) else { return "" }
        let (one, two) = (lines(of: first[part], part: part), lines(of: second[part], part: part))
        let onlyFirst = one.subtracting(two).sorted().prefix(4)
        let onlySecond = two.subtracting(one).sorted().prefix(4)
        return "\(["clocks", "vectors", "exports"][part]) differ: only in the first: "
            + "\(onlyFirst.joined(separator: " | ")); only in the second: \(onlySecond.joined(separator: " | "))"
    }

    /// A state's part as a set of lines: the records of the clocks, the lines of the export.
    private static func lines(of text: String, part: Int) -> Set<String> {
        guard part == 0, let records = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any]
        else {
            return Set(text.split(separator: "\n").map(String.init))
        }
        return Set(
            records.compactMap {
                (try? JSONSerialization.data(withJSONObject: $0, options: .sortedKeys))
                    .map { String(decoding: $0, as: UTF8.self) }
            })
    }

    /// Everyone sends to everyone, directly, until nothing is left to send; then all must agree.
    mutating func settle() throws {
        mailbox.removeAll()
        for _ in 0..<4 {
            for sender in devices {
                for receiver in devices where receiver !== sender {
                    let (data, _) = try sender.sync.exportBundle(for: receiver.library.deviceID)
                    do {
                        _ = try receiver.sync.importBundle(at: sender.directory.write("settle.pxb", data))
                    } catch SyncError.untrusted, SyncError.revoked {}
                }
            }
        }
        let states = try devices.map { try $0.state() }
        for index in states.indices.dropFirst() where states[index] != states[0] {
            let part = states[index].indices.first { states[index][$0] != states[0][$0] } ?? 0
            problems.append(
                "seed \(seed): replica \(index) ended with other \(["clocks", "vectors", "exports"][part]) "
                    + "than replica 0")
        }
        for (index, device) in devices.enumerated() {
            for problem in try device.library.checkIntegrity() {
                problems.append("seed \(seed): replica \(index): \(problem.check): \(problem.detail)")
            }
        }
    }
}

/// The random local changes of the simulation: every kind of write a user can make.
enum RandomOperation {
    static func apply(on library: Library, random: inout SeededGenerator) throws {
        var filter = ItemFilter()
        filter.includeDeleted = true
        let items = try library.items(matching: filter)
        if Int.random(in: 0..<25, using: &random) == 0 {
            return try changeFeeds(of: library, random: &random)
        }
        // Few items, so that replicas edit the same ones concurrently and often.
        guard let item = items.randomElement(using: &random),
            items.count >= 12 && Int.random(in: 0..<40, using: &random) != 0
        else {
            let number = Int.random(in: 0..<1_000_000, using: &random)
            // One save in three is of an address other replicas may be saving at the same time.
            let shared = Int.random(in: 0..<3, using: &random) == 0
            var draft = Fixtures.draft(
                number, url: shared ? "https://news.example.com/shared/\(number % 6)" : nil)
            draft.tags = Bool.random(using: &random) ? ["seed"] : []
            switch Int.random(in: 0..<6, using: &random) {
            case 0: draft.favorite = true
            case 1: draft.note = "saved with note \(number % 3)"
            // A feed's entry, which other replicas' feeds may be bringing in at the same time:
            // it stays off the list, and must not bring back what another replica removed.
            case 2,
                3 where shared:
                let feed = feeds[number % feeds.count]
                draft.feedEntry = FeedEntryOrigin(
                    feed: ItemID.forAddress(feed), entry: "tag:news.example.com,2026:\(number % 6)")
            default: break
            }
            _ = try library.add(draft)
            return
        }
        let id = item.id
        let tags = ["red", "green", "blue", "later"]
        // Notes weigh three times: their conflicts are the only merges that write a change of their own.
        switch Int.random(in: 0..<16, using: &random) {
        case 15 where !item.deleted: try library.saveToList(id)
        case 0: try library.mark(id, as: ReadingState.allCases.randomElement(using: &random)!)
        case 1:
            try library.mark(id, as: .reading, progress: Double(Int.random(in: 0...10, using: &random)) / 10)
        case 2: try library.setArchived(id, Bool.random(using: &random))
        case 3: try library.setFavorite(id, Bool.random(using: &random))
        case 4: try library.updateTags(id, adding: [tags.randomElement(using: &random)!], removing: [])
        case 5: try library.updateTags(id, adding: [], removing: [tags.randomElement(using: &random)!])
        case 6, 13, 14:
            try library.setNote(
                id, Bool.random(using: &random) ? "note \(Int.random(in: 0..<100, using: &random))" : nil)
        case 7: _ = try library.addHighlight(id, quote: "Paragraph one")
        case 8:
            if let highlight = try library.highlights(of: item).randomElement(using: &random) {
                try library.removeHighlight(highlight.id)
            }
        case 9: try library.delete(id)
        case 10: try library.restore(id)
        case 11:
            let versions = Set(try library.history(of: id).entries.map(\.version))
            if let version = versions.randomElement(using: &random) { try library.restore(id, to: version) }
        default:
            var revised = Fixtures.draft(0, url: item.url)
            revised.title = "Revised \(Int.random(in: 0..<100, using: &random))"
            revised.text += "\n\nRevision \(Int.random(in: 0..<100, using: &random))."
            _ = try library.add(revised, force: true)
        }
    }
}

extension RandomOperation {
    /// The addresses of the feeds replicas follow, few so that they follow the same ones.
    static let feeds = ["https://news.example.com/feed.xml", "https://wire.example.org/rss"]

    /// Follows, unfollows, renames or moves one of ``feeds``.
    static func changeFeeds(of library: Library, random: inout SeededGenerator) throws {
        let address = feeds.randomElement(using: &random)!
        guard
            let followed = try library.subscriptions(includeUnfollowed: true).first(where: {
                $0.id == ItemID.forAddress(address)
            })
        else {
            try library.follow(url: address, title: "Feed of \(address.count)", tags: ["news"])
            return
        }
        switch Int.random(in: 0..<4, using: &random) {
        case 0: try library.unfollow(followed.id)
        case 1: try library.follow(url: address, source: "Outlet \(Int.random(in: 0..<3, using: &random))")
        case 2:
            try library.updateSubscription(
                followed.id, url: address + "?moved=\(Int.random(in: 0..<2, using: &random))")
        default:
            try library.updateSubscription(
                followed.id, title: "Title \(Int.random(in: 0..<3, using: &random))")
        }
    }
}

/// SplitMix64: a small, fast generator whose whole run follows from its seed.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    /// Starts from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
