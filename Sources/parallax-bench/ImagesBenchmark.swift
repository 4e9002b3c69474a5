import ArgumentParser
import CSystemZlib
import Foundation
import ParallaxIngest
import ParallaxSimulation
import ParallaxStore
import ParallaxSync

/// Issue 13's figures: saving pages with their images from a local server beside saving the same
/// pages without them, the library's growth, and a bundle of the articles with their images
/// beside the same files gzipped one by one.
struct ImagesBenchmark {
    let articles: Int
    let imagesPerArticle: Int

    struct Result {
        var withImages: (seconds: Double, bytes: Int64)
        var withoutImages: (seconds: Double, bytes: Int64)
        var imageBytes: Int
        var bundleBytes: Int
        var gzippedBytes: Int
    }

    func run() async throws -> Result {
        var generator = ArticleGenerator(seed: 13)
        var pages: [String: Data] = [:]
        var images: [String: Data] = [:]
        for index in 0..<articles {
            let draft = generator.article(index)
            var html =
                "<html><head><title>\(draft.title)</title></head><body><article><h1>\(draft.title)</h1>"
            for (number, paragraph) in draft.text.components(separatedBy: "\n\n").enumerated() {
                html += "<p>\(paragraph)</p>"
                if number < imagesPerArticle {
                    let path = "/images/\(index)-\(number).png"
                    images[path] = TestImages.noisePNG(
                        width: 240, height: 160, seed: UInt64(index * 100 + number + 1))
                    html +=
                        #"<figure><img src="\#(path)" alt="Figure \#(number)"><figcaption>Figure \#(number)."#
                        + "</figcaption></figure>"
                }
            }
            pages["/articles/\(index)"] = Data((html + "</article></body></html>").utf8)
        }
        let served = (pages, images)
        let server = try LocalHTTPServer { path in
            if let page = served.0[path] { return .init(body: page) }
            if let image = served.1[path] { return .init(contentType: "image/png", body: image) }
            return .init(status: 404)
        }
        defer { server.stop() }
        let folder = try ScratchFolder()
        let without = try await save(
            into: folder.url.appendingPathComponent("without.sqlite"), server, images: nil)
        let with = try await save(
            into: folder.url.appendingPathComponent("with.sqlite"), server, images: ImageFetcher())
        let library = try Library.open(at: folder.url.appendingPathComponent("with.sqlite").path)
        let (bundle, _) = try LibrarySync(library: library).exportBundle()
        var texts = Data()
        _ = try library.exportJSONLines { texts.append($0) }
        let gzipped = try images.values.reduce(try Self.gzip(texts).count) { $0 + (try Self.gzip($1).count) }
        return Result(
            withImages: with, withoutImages: without, imageBytes: images.values.reduce(0) { $0 + $1.count },
            bundleBytes: bundle.count, gzippedBytes: gzipped)
    }

    /// Saves every page into a new library; the seconds and the library's size.
    private func save(into url: URL, _ server: LocalHTTPServer, images: ImageFetcher?) async throws
        -> (seconds: Double, bytes: Int64)
    {
        let library = try Library.create(at: url.path)
        let start = DispatchTime.now().uptimeNanoseconds
        for index in 0..<articles {
            _ = try await ArticleInput.save(
                "\(server.baseURL)/articles/\(index)", into: library, fetcher: PageFetcher(), images: images)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        // The file and its write-ahead log: what the library takes on disk.
        let size = ["", "-wal"].compactMap {
            (try? FileManager.default.attributesOfItem(atPath: url.path + $0)[.size] as? NSNumber)?.int64Value
        }.reduce(0, +)
        return (seconds, size)
    }

    /// A file gzipped as `gzip -6` would.
    static func gzip(_ data: Data) throws -> Data {
        var stream = z_stream()
        guard
            deflateInit2_(
                &stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { throw CocoaError(.featureUnsupported) }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(data.count))) + 64)
        var input = [UInt8](data)
        let produced = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                _ = deflate(&stream, Z_FINISH)
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        return Data(output[0..<produced])
    }
}

extension Bench {
    struct Images: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save pages with their images from a local server, beside the same pages without them.",
            discussion: """
                Targets (issue 13): a bundle of the articles with their images at most 1.05 times the same
                files gzipped one by one; extraction stays at 100 pages/s or more (see `extract`).
                """)

        @Option(help: "How many articles.") var articles = 100
        @Option(help: "Images in each article.") var images = 3

        func run() throws {
            let benchmark = ImagesBenchmark(articles: articles, imagesPerArticle: images)
            let result = try Self.waiting { try await benchmark.run() }
            let megabytes = Double(result.imageBytes) / 1_048_576
            print("")
            print(Ingest.row("scenario", "parallax", "baseline", "ratio", "target"))
            print(
                Ingest.row(
                    "pages/s with images",
                    String(format: "%.1f", Double(articles) / result.withImages.seconds),
                    String(format: "%.1f", Double(articles) / result.withoutImages.seconds),
                    String(format: "%.2f×", result.withoutImages.seconds / result.withImages.seconds), ""))
            print(
                Ingest.row(
                    "image MB/s", String(format: "%.1f", megabytes / result.withImages.seconds), "", "", ""))
            print(
                Ingest.row(
                    "library (MB)", String(format: "%.1f", Double(result.withImages.bytes) / 1_048_576),
                    String(format: "%.1f", Double(result.withoutImages.bytes) / 1_048_576),
                    String(
                        format: "%.2f×", Double(result.withImages.bytes) / Double(result.withoutImages.bytes)),
                    ""))
            print(
                Ingest.row(
                    "bundle (MB)", String(format: "%.2f", Double(result.bundleBytes) / 1_048_576),
                    String(format: "%.2f", Double(result.gzippedBytes) / 1_048_576),
                    String(format: "%.3f×", Double(result.bundleBytes) / Double(result.gzippedBytes)),
                    "≤ 1.05×"))
            print(
                "  \(articles) articles, \(articles * images) images (\(String(format: "%.1f", megabytes)) MB); "
                    + "baselines: the same pages saved without images, and the JSON Lines export and each image gzipped"
            )
        }

        /// Runs async work from this synchronous command.
        static func waiting<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
            let done = DispatchSemaphore(value: 0)
            let result = LockedValue<Result<T, any Error>?>(nil)
            Task {
                do { result.value = .success(try await work()) } catch { result.value = .failure(error) }
                done.signal()
            }
            done.wait()
            return try result.value!.get()
        }
    }
}
