import ArgumentParser
import Foundation
import ParallaxSimulation
import ParallaxStore
import ParallaxSync

/// Remotes (issue 14): a snapshot of a large library out and in, in bounded memory; push and
/// pull over a WebDAV server on loopback; and what pruning keeps a remote to over a year.
struct RemoteBenchmark {
    // MARK: - Snapshot

    /// `sync export` and `sync import` of a whole library by the `parallax` binary under GNU
    /// time, beside the plain-SQL insert of the same articles.
    static func snapshot(count: Int) throws {
        let folder = try ScratchFolder()
        defer { withExtendedLifetime(folder) {} }
        var generator = ArticleGenerator()
        let library = folder.url.appendingPathComponent("laptop.sqlite").path
        let laptop = try Library.create(at: library)
        try laptop.add(contentsOf: (0..<count).lazy.map { .success(generator.article($0)) }) { _, _ in }
        let bundle = folder.url.appendingPathComponent("snapshot.pxb").path
        let binary = ScaleBenchmark.parallaxBinary
        let export = try ScaleBenchmark.timed([binary, "sync", "export", "-o", bundle, "--library", library])
        let empty = folder.url.appendingPathComponent("phone.sqlite").path
        _ = try ScaleBenchmark.timed([binary, "init", "--library", empty])
        _ = try ScaleBenchmark.timed([binary, "sync", "trust", bundle, "--library", empty])
        let load = try ScaleBenchmark.timed([binary, "sync", "import", bundle, "--library", empty])
        generator = ArticleGenerator()
        let drafts = (0..<count).map { generator.article($0) }
        let baseline = try IngestBenchmark(count: count, queries: 0).ingestBaseline(
            drafts, at: folder.url.appendingPathComponent("baseline.sqlite").path)
        let bytes = (try FileManager.default.attributesOfItem(atPath: bundle)[.size] as? Int) ?? 0
        print("")
        print(Bench.Ingest.row("snapshot of \(count)", "parallax", "baseline", "ratio", "target"))
        print(
            Bench.Ingest.row(
                "export (s)", String(format: "%.1f", export.seconds), "", "", "")
                + " peak \(export.peakKilobytes / 1_024) MB (target ≤ 300 MB), bundle \(bytes / 1_048_576) MB"
        )
        print(
            Bench.Ingest.row(
                "import (s)", String(format: "%.1f", load.seconds), String(format: "%.1f", baseline),
                String(format: "%.2f×", load.seconds / baseline), "≤ 1.50×")
                + " peak \(load.peakKilobytes / 1_024) MB (target ≤ 300 MB); baseline: plain SQL insert + FTS5"
        )
    }

    // MARK: - Push and pull

    /// Pushes a library to Apache with mod_dav on loopback and pulls it into an empty one, then
    /// does the same for 100 edits; beside one PUT and one GET of the library's JSON Lines gzipped.
    static func pushAndPull(count: Int) throws {
        guard let server = LocalWebDAVServer() else {
            return print(
                "push/pull skipped: Apache with mod_dav could not start (scripts/install-dependencies)")
        }
        let folder = try ScratchFolder()
        defer { withExtendedLifetime(folder) {} }
        var generator = ArticleGenerator()
        let laptop = try Library.create(at: folder.url.appendingPathComponent("laptop.sqlite").path)
        try laptop.add(contentsOf: (0..<count).lazy.map { .success(generator.article($0)) }) { _, _ in }
        let phone = try Library.create(at: folder.url.appendingPathComponent("phone.sqlite").path)
        let laptopSync = try LibrarySync(library: laptop)
        let phoneSync = try LibrarySync(library: phone)
        _ = try laptopSync.trust(keyLine: phoneSync.publicKeyLine)
        _ = try phoneSync.trust(keyLine: laptopSync.publicKeyLine)
        func remote() throws -> WebDAVTransport {
            try WebDAVTransport(url: server.url, user: server.user, password: server.password, retry: .none)
        }
        func measured(_ body: (WebDAVTransport) throws -> Void) throws -> (
            seconds: Double, requests: Int, bytes: Int
        ) {
            let transport = try remote()
            let start = DispatchTime.now().uptimeNanoseconds
            try body(transport)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let bytes = transport.traffic.bytes
            return (seconds, transport.traffic.requests, bytes.sent + bytes.received)
        }
        let push = try measured { _ = try laptopSync.push(to: $0) }
        let pull = try measured { _ = try phoneSync.pull(from: $0) }
        _ = try measured { _ = try phoneSync.push(to: $0) }
        _ = try measured { _ = try laptopSync.pull(from: $0) }
        let ids = try laptop.items().prefix(100).map(\.id)
        for (index, id) in ids.enumerated() {
            if index % 2 == 0 {
                _ = try laptop.setNote(id, "edit \(index)")
            } else {
                _ = try laptop.updateTags(id, adding: ["bench"], removing: [])
            }
        }
        let editsPush = try measured { _ = try laptopSync.push(to: $0) }
        let editsPull = try measured { _ = try phoneSync.pull(from: $0) }

        // The plain way to carry a library: export it whole as JSON Lines, gzip it, PUT it; GET it
        // and gunzip it on the other side.
        var gzip = Data()
        let put = try measured { transport in
            var jsonl = Data()
            try laptop.exportJSONLines { jsonl.append($0) }
            gzip = try Deflate.compress(jsonl)
            try transport.write("baseline.jsonl.gz", gzip)
        }
        let get = try measured {
            _ = try Deflate.decompress(try $0.read("baseline.jsonl.gz"), limit: 1 << 30)
        }
        print("")
        print(Bench.Ingest.row("over loopback WebDAV", "seconds", "requests", "MB", "vs whole"))
        for (name, figures, baseline) in [
            ("push \(count)", push, put), ("pull \(count)", pull, get), ("push 100 edits", editsPush, put),
            ("pull 100 edits", editsPull, get),
        ] {
            print(
                Bench.Ingest.row(
                    name, String(format: "%.2f", figures.seconds), "\(figures.requests)",
                    String(format: "%.2f", Double(figures.bytes) / 1_048_576),
                    String(format: "%.2f×", figures.seconds / baseline.seconds)))
        }
        print(
            "  vs whole: the plain way to carry a library, exporting it as JSON Lines, gzipping and PUTting it "
                + "(\(String(format: "%.2f", put.seconds)) s, \(gzip.count / 1_048_576) MB), or GETting and "
                + "gunzipping it (\(String(format: "%.2f", get.seconds)) s); a pull also verifies and merges."
        )
    }

    // MARK: - A year of edits

    /// Three devices edit every day for `days` and sync through one remote, with pruning and
    /// without: the remote's size, beside one snapshot plus what some device has yet to apply.
    static func year(days: Int) throws {
        print("")
        print(Bench.Ingest.row("\(days) days, 3 devices", "held MB", "bound MB", "ratio", "target") + "files")
        var pruned = 0
        for prune in [true, false] {
            let devices = try (0..<3).map { try Device(seed: UInt64(100 + $0)) }
            for device in devices {
                for other in devices where other !== device {
                    _ = try device.sync.trust(keyLine: other.sync.publicKeyLine)
                }
            }
            let remote = MemoryRemote()
            var worst = (ratio: 0.0, day: 0)
            var bound = 0
            for day in 0..<days {
                for (index, device) in devices.enumerated() {
                    try device.edit(day: day, index: index)
                    _ = try device.sync.sync(through: remote, prune: prune)
                }
                guard prune else { continue }
                bound = try Self.bound(
                    remote, reader: devices[0], vectors: devices.map { try $0.library.versionVector() })
                let ratio = Double(remote.storedBytes) / Double(bound)
                // The first week is a few kilobytes, where each device's applied-vector note weighs most.
                if day >= 7 && ratio > worst.ratio { worst = (ratio, day) }
            }
            let held = String(format: "%.2f", Double(remote.storedBytes) / 1_048_576)
            if prune {
                pruned = remote.storedBytes
                print(
                    Bench.Ingest.row(
                        "with pruning", held, String(format: "%.2f", Double(bound) / 1_048_576),
                        String(format: "%.2f×", Double(remote.storedBytes) / Double(bound)), "≤ 1.20×")
                        + "\(remote.names.count) (worst day after the first week: "
                        + "\(String(format: "%.2f×", worst.ratio)), day \(worst.day))")
            } else {
                print(
                    Bench.Ingest.row("without pruning", held, "", "", "")
                        + "\(remote.names.count) (\(String(format: "%.1f", Double(remote.storedBytes) / Double(max(1, pruned))))× the pruned remote)"
                )
            }
        }
    }

    /// One snapshot (the greatest) plus the bundles some device has yet to apply.
    static func bound(_ remote: MemoryRemote, reader: Device, vectors: [VersionVector]) throws -> Int {
        var snapshot = 0
        var unapplied = 0
        for name in remote.names where name.hasSuffix(".pxb") {
            let data = try remote.read(name)
            let header = try reader.sync.verifiedHeader(of: data, name: name)
            if header.since.values.allSatisfy({ $0 == 0 }) { snapshot = max(snapshot, data.count) }
            if !vectors.allSatisfy({ $0.covers(VersionVector(counters: header.vector)) }) {
                unapplied += data.count
            }
        }
        return max(1, snapshot + unapplied)
    }

    /// A library on this machine, with the edits of one simulated day.
    final class Device {
        let folder: ScratchFolder
        let library: Library
        let sync: LibrarySync
        private var generator: ArticleGenerator

        init(seed: UInt64) throws {
            generator = ArticleGenerator(seed: seed)
            folder = try ScratchFolder()
            library = try Library.create(at: folder.url.appendingPathComponent("library.sqlite").path)
            sync = try LibrarySync(library: library)
        }

        /// An article every third day, and a note, a tag or a reading state each day.
        func edit(day: Int, index: Int) throws {
            if day % 3 == index || day == 0 {
                try library.add(generator.article(day * 3 + index))
            }
            let items = try library.items()
            guard !items.isEmpty else { return }
            let id = items[(day * 7 + index) % items.count].id
            switch (day + index) % 3 {
            case 0: _ = try library.setNote(id, "day \(day) on device \(index)")
            case 1: _ = try library.updateTags(id, adding: ["day-\(day % 5)"], removing: [])
            default: _ = try library.mark(id, as: day % 2 == 0 ? .read : .unread)
            }
        }
    }
}

extension Bench {
    struct Remote: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Snapshot a library out and in, push and pull over WebDAV, and prune a year of edits.",
            discussion: """
                Targets (issue 14): `sync export` of a snapshot and `sync import` of it into an empty library
                each peak at 300 MB or less at 100,000 articles, and the import takes at most 1.5 times the
                plain-SQL insert; a remote after a year of daily edits on three devices holds at most 1.2
                times one snapshot plus the bundles some device has yet to apply.
                """)

        @Option(help: "Articles in the snapshot.") var count = 100_000
        @Option(help: "Articles pushed and pulled over WebDAV.") var pushCount = 10_000
        @Option(help: "Days of edits simulated.") var days = 365
        @Option(help: "Which parts to run: snapshot, push, year (all when omitted).") var only: String?

        func run() throws {
            if only == nil || only == "year" { try RemoteBenchmark.year(days: days) }
            if only == nil || only == "push" { try RemoteBenchmark.pushAndPull(count: pushCount) }
            if only == nil || only == "snapshot" { try RemoteBenchmark.snapshot(count: count) }
        }
    }
}
