import CLibXML2
import CSystemZlib
import Foundation
import ParallaxIngest

/// Article extraction over the real pages of ../shared/corpora/extraction-dev, beside a bare
/// libxml2 parse of the same pages, and its quality by the shared scorer's metric.
struct ExtractionBenchmark {
    struct Page {
        let id: String
        let url: URL?
        let data: Data
        let truth: String
    }

    /// The dev pages and their hand-made bodies, nil when ../shared is absent.
    static func pages() throws -> [Page]? {
        let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .deletingLastPathComponent().appendingPathComponent("shared/corpora/extraction-dev")
        guard
            let truthData = try? Data(contentsOf: folder.appendingPathComponent("ground-truth.json")),
            let truth = try JSONSerialization.jsonObject(with: truthData) as? [String: [String: String]]
        else { return nil }
        return try truth.keys.sorted().map { id in
            let compressed = try Data(contentsOf: folder.appendingPathComponent("html/\(id).html.gz"))
            return Page(
                id: id, url: truth[id]?["url"].flatMap(URL.init(string:)), data: try gunzip(compressed),
                truth: truth[id]?["articleBody"] ?? "")
        }
    }

    /// Extracts every page `rounds` times; returns the seconds and the last round's bodies.
    static func extract(_ pages: [Page], rounds: Int) -> (seconds: Double, bodies: [String: String]) {
        var bodies: [String: String] = [:]
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<rounds {
            for page in pages {
                let article = try? WebArticleExtractor.extract(from: page.data, url: page.url, name: page.id)
                bodies[page.id] = article?.text ?? ""
            }
        }
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, bodies)
    }

    /// Parses every page `rounds` times with libxml2 and frees the tree: the floor for extraction.
    static func parseOnly(_ pages: [Page], rounds: Int) -> Double {
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<rounds {
            for page in pages {
                page.data.withUnsafeBytes { buffer in
                    let bytes = buffer.bindMemory(to: CChar.self)
                    if let document = htmlReadMemory(bytes.baseAddress, Int32(bytes.count), nil, nil, options)
                    {
                        xmlFreeDoc(document)
                    }
                }
            }
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The shared scorer's F1: 4-word shingles per page, precision and recall averaged over pages.
    static func score(_ pages: [Page], bodies: [String: String]) -> (
        f1: Double, precision: Double, recall: Double
    ) {
        var precisions: [Double] = []
        var recalls: [Double] = []
        for page in pages {
            let truth = shingles(page.truth)
            let predicted = shingles(bodies[page.id] ?? "")
            var tp = 0
            var fp = 0
            var fn = 0
            for key in Set(truth.keys).union(predicted.keys) {
                let t = truth[key, default: 0]
                let p = predicted[key, default: 0]
                tp += min(t, p)
                fp += max(0, p - t)
                fn += max(0, t - p)
            }
            if fp == 0 && fn == 0 {
                precisions.append(1)
                recalls.append(1)
                continue
            }
            if tp + fp > 0 { precisions.append(Double(tp) / Double(tp + fp)) }
            if tp + fn > 0 { recalls.append(Double(tp) / Double(tp + fn)) }
        }
        let precision = precisions.isEmpty ? 0 : precisions.reduce(0, +) / Double(precisions.count)
        let recall = recalls.isEmpty ? 0 : recalls.reduce(0, +) / Double(recalls.count)
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        return (f1, precision, recall)
    }

    private static func shingles(_ text: String) -> [String: Int] {
        let words = text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init)
        var counts: [String: Int] = [:]
        guard words.count >= 4 else {
            if !words.isEmpty { counts[words.joined(separator: " ")] = 1 }
            return counts
        }
        for start in 0...(words.count - 4) {
            counts[words[start..<(start + 4)].joined(separator: " "), default: 0] += 1
        }
        return counts
    }

    private static func gunzip(_ data: Data) throws -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, 31, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CocoaError(.fileReadCorruptFile)
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        var input = [UInt8](data)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status = Z_OK
        input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkBuffer.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    output.append(chunkBuffer.baseAddress!, count: chunkBuffer.count - Int(stream.avail_out))
                }
            } while status == Z_OK
        }
        guard status == Z_STREAM_END else { throw CocoaError(.fileReadCorruptFile) }
        return output
    }
}
