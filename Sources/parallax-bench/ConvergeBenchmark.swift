import ArgumentParser
import Foundation
import ParallaxSimulation

extension Bench {
    /// The sync property test of `swift test`, at hundreds of seeds.
    struct Converge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Run the convergence property test at many seeds: skew, copies, partial trust, revocation.",
            discussion: """
                Each seed plays 1,000 random operations on five replicas whose clocks run on time, three \
                hours ahead and two hours behind (one steps back an hour), exchanging bundles partially, \
                twice over and out of order, directly and through a shared folder; one library is copied \
                to another machine, one device does not trust another, one is revoked. Replicas that saw \
                the same changes must hold the same field clocks, epochs, vectors and values. Target \
                (issue 9): every seed of 500 converges with identical clocks. A failing seed is named, and \
                replays exactly with --first-seed.
                """)

        @Option(help: "How many seeds to run.") var seeds = 100
        @Option(help: "The first seed; the others follow it.") var firstSeed: UInt64 = 1
        @Option(help: "Local changes per seed.") var operations = 1_000

        func run() throws {
            var options = ConvergenceSimulation.Options()
            options.operations = operations
            let start = Date()
            var failures: [(UInt64, [String])] = []
            let terminal = isatty(STDERR_FILENO) == 1
            for index in 0..<seeds {
                let seed = firstSeed + UInt64(index)
                let problems = try ConvergenceSimulation(seed: seed, options: options).run()
                if !problems.isEmpty { failures.append((seed, problems)) }
                if !terminal && (index + 1) % 10 == 0 {
                    print("\(index + 1)/\(seeds) seeds, \(failures.count) failing")
                    // A pipe or a file is block-buffered: a long run would show nothing until it ended.
                    fflush(nil)
                } else if terminal {
                    let elapsed = Date().timeIntervalSince(start)
                    let left = elapsed / Double(index + 1) * Double(seeds - index - 1)
                    FileHandle.standardError.write(
                        Data(
                            "\r\(index + 1)/\(seeds) seeds, \(failures.count) failing, about \(Int(left)) s left   "
                                .utf8))
                }
            }
            if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            let seconds = Date().timeIntervalSince(start)
            print(
                String(format: "%d seeds in %.0f s (%.2f s a seed)", seeds, seconds, seconds / Double(seeds)))
            if let (seed, problems) = failures.first {
                for problem in problems.prefix(5) { print(problem) }
                print("diverged: \(failures.count) of \(seeds) seeds; first failing seed \(seed)")
                throw ExitCode.failure
            }
            print("converged: \(seeds) of \(seeds) seeds, clocks identical")
        }
    }
}
