import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// Five replicas make random changes and exchange bundles partially, twice over and out of
/// order; any two that have seen the same changes must export the same bytes.
@Suite struct ConvergenceTests {
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }

    /// Seeds to run; PARALLAX_CONVERGENCE_SEEDS=N runs N of them.
    static let seeds: [UInt64] = {
        let count = ProcessInfo.processInfo.environment["PARALLAX_CONVERGENCE_SEEDS"].flatMap(Int.init) ?? 5
        return (1...max(1, count)).map { UInt64($0) * 7_919 }
    }()

    @Test(arguments: seeds)
    func testReplicasThatSawTheSameChangesExportTheSameBytes(seed: UInt64) throws {
        var random = SeededGenerator(state: seed)
        let replicas = try Replica.pairedGroup(5)
        var mailbox: [(path: String, to: Int)] = []
        var operations = 0
        while operations < 1_000 {
            let actor = Int.random(in: 0..<replicas.count, using: &random)
            if Int.random(in: 0..<4, using: &random) == 0 {
                // Cut a bundle for a random peer from what this replica believes the peer has seen.
                let receiver = (actor + Int.random(in: 1..<replicas.count, using: &random)) % replicas.count
                let path = try replicas[actor].bundle(for: replicas[receiver])
                mailbox.append((path, receiver))
                if Bool.random(using: &random) { mailbox.append((path, receiver)) }
            } else {
                try Self.randomOperation(on: replicas[actor].library, random: &random)
                operations += 1
            }
            if !mailbox.isEmpty && Int.random(in: 0..<3, using: &random) == 0 {
                let letter = mailbox.remove(at: Int.random(in: 0..<mailbox.count, using: &random))
                try Self.deliver(letter.path, to: replicas[letter.to], mailbox: &mailbox, letter: letter)
                try Self.expectPairsWithTheSameVectorAgree(replicas)
            }
        }
        // Then everyone talks to everyone until nothing is left to send.
        for _ in 0..<3 {
            for sender in replicas {
                for receiver in replicas where receiver !== sender { try sender.send(to: receiver) }
            }
        }
        let exports = try replicas.map { try $0.export() }
        #expect(Set(exports).count == 1, "replicas did not converge for seed \(seed)")
        #expect(!exports[0].isEmpty)
        let problems = try replicas.flatMap { try $0.library.checkIntegrity() }
        #expect(problems.isEmpty, "\(problems)")
    }

    static func deliver(
        _ path: String, to replica: Replica, mailbox: inout [(path: String, to: Int)],
        letter: (path: String, to: Int)
    ) throws {
        do {
            _ = try replica.sync.importBundle(at: path)
        } catch LibraryError.missingEarlierChanges {
            // Arrived before a bundle it continues from: keep it for later, as a folder would.
            mailbox.append(letter)
        }
    }

    static func expectPairsWithTheSameVectorAgree(_ replicas: [Replica]) throws {
        let vectors = try replicas.map { try $0.library.versionVector() }
        for first in replicas.indices {
            for second in replicas.indices where second > first && vectors[first] == vectors[second] {
                #expect(try replicas[first].export() == replicas[second].export())
            }
        }
    }

    static func randomOperation(on library: Library, random: inout SeededGenerator) throws {
        let items = try library.items(
            matching: {
                var filter = ItemFilter(); filter.includeDeleted = true; return filter
            }())
        guard let item = items.randomElement(using: &random), Int.random(in: 0..<12, using: &random) != 0
        else {
            var draft = Fixtures.draft(Int.random(in: 0..<1_000_000, using: &random))
            draft.tags = Bool.random(using: &random) ? ["seed"] : []
            _ = try library.add(draft)
            return
        }
        let id = item.id
        let tags = ["red", "green", "blue", "later"]
        switch Int.random(in: 0..<13, using: &random) {
        case 0: try library.mark(id, as: ReadingState.allCases.randomElement(using: &random)!)
        case 1:
            try library.mark(id, as: .reading, progress: Double(Int.random(in: 0...10, using: &random)) / 10)
        case 2: try library.setArchived(id, Bool.random(using: &random))
        case 3: try library.setFavorite(id, Bool.random(using: &random))
        case 4: try library.updateTags(id, adding: [tags.randomElement(using: &random)!], removing: [])
        case 5: try library.updateTags(id, adding: [], removing: [tags.randomElement(using: &random)!])
        case 6:
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
