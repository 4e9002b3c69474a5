import Foundation

/// Added articles' term counts, held between counting and weighing.
///
/// Weights need every article's counts first. Grouping a library from scratch writes them to
/// a file beside the library and reads them back once, so a million articles' counts (about
/// 1.4 GB) never sit in memory beside the vectors made from them.
final class CountedArticles {
    /// The articles, without their terms when those are in the file.
    private var articles: [CountedArticle] = []
    private let file: URL?
    private var handle: FileHandle?
    private var reader: FileHandle?
    private var pending = Data()

    /// Counts kept in a new file in `folder` when one is given and can be written there, or
    /// else in memory.
    ///
    /// The file is opened for writing and for reading and then unlinked at once, so it leaves
    /// nothing behind however the process ends; its space returns when both are closed.
    init(spillingInto folder: URL?) {
        let file = folder?.appendingPathComponent(".parallax-grouping-\(UUID().uuidString).counts")
        guard let file, FileManager.default.createFile(atPath: file.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: file),
            let reader = try? FileHandle(forReadingFrom: file)
        else {
            self.file = nil
            return
        }
        try? FileManager.default.removeItem(at: file)
        self.file = file
        self.handle = handle
        self.reader = reader
    }

    /// How many articles were added.
    var count: Int { articles.count }

    /// Whether the counts are in a file.
    var isSpilled: Bool { file != nil }

    deinit {
        try? handle?.close()
        try? reader?.close()
    }

    func append(_ article: CountedArticle) throws {
        guard let handle else { return articles.append(article) }
        var header = UInt32(article.terms.count).littleEndian
        withUnsafeBytes(of: &header) { pending.append(contentsOf: $0) }
        article.terms.withUnsafeBytes { pending.append(contentsOf: $0) }
        var kept = article
        kept.terms = []
        articles.append(kept)
        if pending.count >= 1 << 22 { try flush(handle) }
    }

    /// Hands each article over with its terms, in the order they were added, then lets them go.
    func drain(_ body: (CountedArticle) throws -> Void) throws {
        defer { articles = [] }
        guard let handle, let reader, let file else {
            for index in articles.indices {
                let article = articles[index]
                articles[index].terms = []
                try body(article)
            }
            return
        }
        try flush(handle)
        try handle.close()
        self.handle = nil
        defer {
            try? reader.close()
            self.reader = nil
        }
        var buffer = Data()
        var offset = 0
        for var article in articles {
            func take(_ count: Int) throws -> Data {
                while buffer.count - offset < count {
                    buffer = buffer.subdata(in: offset..<buffer.count)
                    offset = 0
                    guard let more = try reader.read(upToCount: max(1 << 22, count)), !more.isEmpty else {
                        throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: file.path])
                    }
                    buffer.append(more)
                }
                defer { offset += count }
                return buffer.subdata(in: offset..<offset + count)
            }
            let header = try take(4)
            let count = Int(
                header.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) })
            let terms = try take(count * 4)
            article.terms = [UInt32](repeating: 0, count: count)
            _ = article.terms.withUnsafeMutableBytes { terms.copyBytes(to: $0) }
            try body(article)
        }
    }

    private func flush(_ handle: FileHandle) throws {
        try handle.write(contentsOf: pending)
        pending.removeAll(keepingCapacity: true)
    }
}
