import ArgumentParser
import Crypto
import Foundation
import ParallaxIngest
import ParallaxSimulation
import ParallaxStore
import ParallaxSync

extension Bench {
    /// Mutates real inputs and feeds them to every parser that faces the outside.
    struct Fuzz: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Feed mutated pages, import files and bundles to the parsers for a while.",
            discussion: """
                Seeds come from Tests/Fuzz, the import fixtures and the samples, and a bundle written \
                at start. Each run takes a seed, mutates it (bit flips, insertions, deletions, repeated \
                and spliced runs, boundary numbers) and hands it to the HTML extractor, an importer or \
                the bundle reader. Refusals are expected; a crash is not: the input is left in the \
                scratch folder as .fuzz-current (named at start). Target (issue 10): no crash.
                """)

        @Option(help: "How long to run, in seconds.") var seconds = 60.0
        @Option(help: "The seed of the mutations.") var seed: UInt64 = 1

        func run() throws {
            let scratch = try ScratchFolder()
            let current = scratch.url.appendingPathComponent(".fuzz-current")
            print("Inputs are written to \(current.path) before each run.")
            let (seeds, writer) = try FuzzSeeds.load(into: scratch.url)
            let library = try Library.create(at: scratch.url.appendingPathComponent("fuzz.sqlite").path)
            let sync = try LibrarySync(library: library)
            let signer = Curve25519.Signing.PrivateKey()
            _ = try sync.trust(
                keyLine: "parallax-key:fuzzpeer:\(signer.publicKey.rawRepresentation.base64EncodedString())")
            var random = SeededGenerator(seed: seed)
            var runs: [String: Int] = [:]
            var refused: [String: Int] = [:]
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let seedInput = seeds.randomElement(using: &random)!
                let other = seeds.randomElement(using: &random)!.data
                let input = FuzzMutation.mutate(seedInput.data, splicing: other, random: &random)
                try input.write(to: current)
                let accepted: Bool
                switch seedInput.kind {
                case .html:
                    accepted = (try? WebArticleExtractor.extract(from: input, name: "fuzz")) != nil
                case .bundle:
                    accepted = (try? sync.verifiedBundle(at: current.path)) != nil
                case .bundlePayload:
                    // The mutated payload, framed and signed as a trusted peer would, reaches the parser.
                    try FuzzSeeds.signedBundle(payload: input, from: writer, signer: signer).write(
                        to: current)
                    accepted = (try? sync.verifiedBundle(at: current.path)) != nil
                case .importFile(let format):
                    // Half the runs tell the format from the mutated file, as a user's import does.
                    let named = Bool.random(using: &random) ? format : nil
                    accepted =
                        (try? ReadingListImporter(path: current.path, format: named).run(into: library))
                        != nil
                }
                runs[seedInput.kind.name, default: 0] += 1
                if !accepted { refused[seedInput.kind.name, default: 0] += 1 }
            }
            try? FileManager.default.removeItem(at: current)
            let problems = try library.checkIntegrity()
            for (kind, count) in runs.sorted(by: { $0.key < $1.key }) {
                print("\(kind): \(count) runs, \(refused[kind] ?? 0) refused")
            }
            print(
                "fuzzed: \(runs.values.reduce(0, +)) inputs in \(Int(seconds)) s, no crash; "
                    + "library after the imports: \(problems.isEmpty ? "doctor clean" : "\(problems)")")
            if !problems.isEmpty { throw ExitCode.failure }
        }
    }
}

/// One seed input and the parser it is for.
struct FuzzSeed {
    enum Kind {
        case html, bundle, bundlePayload
        case importFile(ImportFormat)

        var name: String {
            switch self {
            case .html: "html"
            case .bundle: "bundle"
            case .bundlePayload: "bundle payload"
            case .importFile(let format): "import \(format.rawValue)"
            }
        }
    }

    let kind: Kind
    let data: Data
}

enum FuzzSeeds {
    /// The seed inputs: the project's fuzz corpus, import fixtures and samples, and a fresh bundle.
    /// - Returns: The seeds, and the device id of the library whose changes the bundle seeds carry.
    static func load(into scratch: URL) throws -> (seeds: [FuzzSeed], writer: String) {
        let root = Fixtures.projectRoot
        func file(_ path: String) -> Data? { try? Data(contentsOf: root.appendingPathComponent(path)) }
        var seeds: [FuzzSeed] = []
        let files: [(String, FuzzSeed.Kind)] = [
            ("Tests/Fuzz/seed.html", .html), ("Sources/ParallaxIngest/Samples/sample-page.html", .html),
            ("Tests/Fuzz/seed.jsonl", .importFile(.jsonl)),
            ("Sources/ParallaxIngest/Samples/companions.jsonl", .importFile(.jsonl)),
            ("Tests/Fuzz/seed-pocket.csv", .importFile(.pocket)),
            ("Tests/ParallaxIngestTests/Resources/pocket.csv", .importFile(.pocket)),
            ("Tests/ParallaxIngestTests/Resources/instapaper.csv", .importFile(.instapaper)),
            ("Tests/ParallaxIngestTests/Resources/wallabag.json", .importFile(.wallabag)),
            ("Tests/ParallaxIngestTests/Resources/bookmarks.html", .importFile(.bookmarks)),
            ("Tests/ParallaxIngestTests/Resources/pocket.html", .importFile(.pocketHTML)),
            ("Tests/ParallaxIngestTests/Resources/urls.txt", .importFile(.urls)),
            ("Tests/ParallaxIngestTests/Resources/omnivore.json", .importFile(.omnivoreJSON)),
            ("Tests/ParallaxIngestTests/Resources/pinboard.json", .importFile(.pinboard)),
            ("Tests/ParallaxIngestTests/Resources/readability.json", .importFile(.readability)),
            ("Tests/ParallaxIngestTests/Resources/firefox-bookmarks.json", .importFile(.firefox)),
            ("Tests/ParallaxIngestTests/Resources/Bookmarks", .importFile(.chrome)),
        ]
        for (path, kind) in files {
            if let data = file(path) { seeds.append(FuzzSeed(kind: kind, data: data)) }
        }
        // A bundle from an untrusted writer: its mutants exercise the framing, header and signature checks.
        let writer = try Library.create(at: scratch.appendingPathComponent("seed.sqlite").path)
        var draft = ItemDraft(
            title: "A seed article", text: "Its text, with a few words.\n\nAnd a second paragraph.")
        draft.url = "https://example.com/seed"
        draft.tags = ["seed"]
        draft.highlights = [HighlightDraft(quote: "a few words", note: "n")]
        try writer.add(draft)
        seeds.append(FuzzSeed(kind: .bundle, data: try LibrarySync(library: writer).exportBundle().0))
        // The same changes as a bundle's payload before compression: bodies, then records.
        let set = try writer.changes()
        var payload = Data()
        for (_, text) in set.bodies {
            payload += Data("#body \(text.utf8.count)\n".utf8) + Data(text.utf8) + Data("\n".utf8)
        }
        for record in set.records {
            payload += try Library.jsonEncoder().encode(record) + Data("\n".utf8)
        }
        seeds.append(FuzzSeed(kind: .bundlePayload, data: payload))
        return (seeds, writer.deviceID)
    }

    /// A version 2 bundle of `payload` from the device `fuzzpeer`, signed with `signer`
    /// (docs/bundle-format.md, "Layout"), declaring the changes of `writer` it carries.
    static func signedBundle(payload: Data, from writer: String, signer: Curve25519.Signing.PrivateKey) throws
        -> Data
    {
        let header: [String: Any] = [
            "bundle": "01fuzz", "device": "fuzzpeer", "created": "2026-01-01T00:00:00Z", "codec": "deflate",
            "encryption": "none", "since": [String: Int](), "vector": [writer: 1_000_000, "fuzzpeer": 1],
            "records": 3,
            "bodies": 1, "payload_bytes": payload.count,
            "public_key": signer.publicKey.rawRepresentation.base64EncodedString(),
        ]
        let headerBytes = try JSONSerialization.data(withJSONObject: header, options: .sortedKeys)
        let compressed = try Deflate.compress(payload)
        var data = Data("PXBNDL\r\n".utf8) + Data([0, 2, 0, 0])
        data += withUnsafeBytes(of: UInt32(headerBytes.count).bigEndian) { Data($0) } + headerBytes
        data += withUnsafeBytes(of: UInt64(compressed.count).bigEndian) { Data($0) } + compressed
        let digest = Data(SHA256.hash(data: data))
        return data + digest + (try signer.signature(for: digest))
    }
}

/// The mutations: small, local changes most of the time, so that inputs stay near valid.
enum FuzzMutation {
    static func mutate(_ data: Data, splicing other: Data, random: inout SeededGenerator) -> Data {
        var bytes = [UInt8](data)
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<8, using: &random) {
            case 0 where !bytes.isEmpty: bytes[position] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
            case 1: bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
            case 2 where !bytes.isEmpty:
                bytes.removeSubrange(
                    position..<min(bytes.count, position + Int.random(in: 1...64, using: &random)))
            case 3 where !bytes.isEmpty:
                let run = bytes[
                    position..<min(bytes.count, position + Int.random(in: 1...256, using: &random))]
                bytes.insert(
                    contentsOf: Array(repeating: Array(run), count: Int.random(in: 1...50, using: &random))
                        .joined(), at: position)
            case 4:
                let numbers = [
                    "0", "-1", "18446744073709551615", "9223372036854775807", "1e308", "\u{0}", "\"",
                    "\\u0000",
                ]
                bytes.insert(contentsOf: Array(numbers.randomElement(using: &random)!.utf8), at: position)
            case 6 where !bytes.isEmpty:
                // A number in the text becomes a boundary one: lengths, counters, sizes.
                let isDigit = { (byte: UInt8) in (0x30...0x39).contains(byte) }
                guard let start = bytes[position...].firstIndex(where: isDigit) else { break }
                let end = bytes[start...].firstIndex { !isDigit($0) } ?? bytes.count
                let numbers = ["0", "9223372036854775807", "18446744073709551616", "4294967296", "65536"]
                bytes.replaceSubrange(start..<end, with: Array(numbers.randomElement(using: &random)!.utf8))
            case 5 where !other.isEmpty:
                let start = Int.random(in: 0..<other.count, using: &random)
                bytes.insert(contentsOf: other[start..<min(other.count, start + 512)], at: position)
            default: bytes = Array(bytes.prefix(position))
            }
        }
        return Data(bytes)
    }
}
