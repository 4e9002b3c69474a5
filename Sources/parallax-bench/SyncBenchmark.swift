import Foundation
import ParallaxStore
import ParallaxSync

/// Bundles of a 10,000-article library beside zlib and plain SQL on the same data.
struct SyncBenchmark {
    let count: Int

    struct Figures {
        var bundleBytes = 0, gzipBytes = 0
        var exportSeconds = Double.infinity, compressSeconds = Double.infinity
        var importSeconds = Double.infinity, baselineSeconds = Double.infinity
        var incrementalSeconds = Double.infinity, incrementalBytes = 0, incrementalRecords = 0
    }

    func run() throws -> Figures {
        let folder = try ScratchFolder()
        // Keep the folder until the scenario returns, however early its last use.
        defer { withExtendedLifetime(folder) {} }
        var generator = ArticleGenerator()
        let drafts = (0..<count).map { generator.article($0) }
        let ingest = IngestBenchmark(count: count, queries: 0)
        var figures = Figures()

        let laptop = try Library.create(at: folder.url.appendingPathComponent("laptop.sqlite").path)
        try laptop.add(contentsOf: drafts.lazy.map { .success($0) }) { _, _ in }
        let laptopSync = try LibrarySync(library: laptop)
        var jsonl = Data()
        try laptop.exportJSONLines { jsonl.append($0) }

        var bundle = Data()
        for _ in 0..<3 {
            figures.exportSeconds = min(
                figures.exportSeconds, try ingest.measure { bundle = try laptopSync.exportBundle().0 })
            var gzip = Data()
            figures.compressSeconds = min(
                figures.compressSeconds, try ingest.measure { gzip = try Deflate.compress(jsonl, level: 6) })
            figures.gzipBytes = gzip.count
        }
        figures.bundleBytes = bundle.count
        let bundlePath = folder.url.appendingPathComponent("full.pxb").path
        try bundle.write(to: URL(fileURLWithPath: bundlePath))

        for round in 0..<2 {
            let phone = try Library.create(
                at: folder.url.appendingPathComponent("phone-\(round).sqlite").path)
            let phoneSync = try LibrarySync(library: phone)
            _ = try phoneSync.trust(keyLine: laptopSync.publicKeyLine)
            if round == 0 { _ = try laptopSync.trust(keyLine: phoneSync.publicKeyLine) }
            figures.importSeconds = min(
                figures.importSeconds, try ingest.measure { _ = try phoneSync.importBundle(at: bundlePath) })
            figures.baselineSeconds = min(
                figures.baselineSeconds,
                try ingest.ingestBaseline(
                    drafts, at: folder.url.appendingPathComponent("baseline-\(round).sqlite").path))
            if round == 0 {
                // The phone tells the laptop what it has; then the laptop makes 100 edits.
                let (ack, _) = try phoneSync.exportBundle(for: laptop.deviceID)
                let ackPath = folder.url.appendingPathComponent("ack.pxb").path
                try ack.write(to: URL(fileURLWithPath: ackPath))
                _ = try laptopSync.importBundle(at: ackPath)
                let items = try laptop.items(
                    matching: {
                        var filter = ItemFilter(); filter.limit = 100; return filter
                    }())
                for (index, item) in items.enumerated() {
                    switch index % 4 {
                    case 0: try laptop.mark(item.id, as: .read)
                    case 1: try laptop.updateTags(item.id, adding: ["bench"], removing: [])
                    case 2: try laptop.setNote(item.id, "Edited note \(index)")
                    default: try laptop.setFavorite(item.id, true)
                    }
                }
                for _ in 0..<5 {
                    var incremental = Data()
                    var header: BundleHeader?
                    figures.incrementalSeconds = min(
                        figures.incrementalSeconds,
                        try ingest.measure {
                            (incremental, header) = try laptopSync.exportBundle(for: phone.deviceID)
                        })
                    figures.incrementalBytes = incremental.count
                    figures.incrementalRecords = header?.records ?? 0
                }
            }
        }
        return figures
    }
}
