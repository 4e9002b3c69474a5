import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

/// Replicas on skewed clocks, with a copied library, partial trust and a revoked device, make
/// random changes and exchange bundles partially, twice over and out of order; any two that have
/// seen the same changes hold the same clocks and values, and all agree at the end
/// (see ``ConvergenceSimulation``; `parallax-bench converge` runs hundreds of seeds).
@Suite struct ConvergenceTests {
    /// Seeds to run; PARALLAX_CONVERGENCE_SEEDS=N runs N of them.
    static let seeds: [UInt64] = {
        let environment = ProcessInfo.processInfo.environment
        // PARALLAX_CONVERGENCE_SEED=S replays one seed exactly.
        if let seed = environment["PARALLAX_CONVERGENCE_SEED"].flatMap(UInt64.init) { return [seed] }
        let count = environment["PARALLAX_CONVERGENCE_SEEDS"].flatMap(Int.init) ?? 5
        return (1...max(1, count)).map { UInt64($0) * 7_919 }
    }()

    @Test(arguments: seeds)
    func testReplicasThatSawTheSameChangesHoldTheSameClocksAndValues(seed: UInt64) throws {
        let problems = try ConvergenceSimulation(seed: seed).run()
        #expect(problems.isEmpty, "\(problems.prefix(5).joined(separator: "\n"))")
    }
}
