import CSystemZlib
import Foundation
import ParallaxTestSupport
import Testing
import ZIPFoundation

/// Each limit holds in memory as well as in outcome: the built binary meets an input many times
/// larger than its cap, refuses it in one line, and its peak resident memory stays far below
/// what buffering the input would take. The inputs are made here; no duration is asserted.
@Suite(
    .enabled(
        if: CommandLineRunner.canMeasureMemory,
        "GNU time (/usr/bin/time) is not installed: scripts/install-dependencies adds it"))
struct ResourceLimitTests {
    let directory = TemporaryDirectory()
    var libraryPath: String { directory.path("library.sqlite") }

    /// Below each hostile input's size (200 MiB to 1 GiB), far above the binary's own needs (under
    /// 100 MiB when this was written).
    static let memoryBound = 160 << 20

    func measured(_ arguments: String...) throws -> MeasuredResult {
        try CommandLineRunner.runMeasured(arguments + ["--library", libraryPath])
    }

    func expectBounded(_ run: MeasuredResult, _ what: String) {
        #expect(
            run.peakResidentBytes < Self.memoryBound,
            "\(what) peaked at \(run.peakResidentBytes >> 20) MiB")
    }

    @Test func testCompressedPageThatInflatesToAGibibyteIsRefusedInBoundedMemory() throws {
        let bomb = try Self.gzip(zeros: 1 << 30)
        let server = try LocalHTTPServer { path in
            switch path {
            case "/bomb": .init(body: bomb, headers: ["Content-Encoding": "gzip"])
            case "/endless": .init(endlessBytes: true)
            default: .init(status: 404)
            }
        }
        defer { server.stop() }
        #expect(try CommandLineRunner.run(["init", "--library", libraryPath]).status == 0)
        for path in ["/bomb", "/endless"] {
            let run = try measured("add", server.baseURL + path)
            #expect(run.result.status == 10, "\(path): \(run.result.stderr)")
            #expect(run.result.stderr.contains("larger than 16 MiB"), "\(path): \(run.result.stderr)")
            #expect(run.result.stderr.split(separator: "\n").count == 1)
            expectBounded(run, path)
        }
    }

    @Test func testOverlongRecordsFailAloneInBoundedMemory() throws {
        #expect(try CommandLineRunner.run(["init", "--library", libraryPath]).status == 0)
        let long = String(repeating: "a", count: 200 << 20)
        let jsonLines = directory.write(
            "long.jsonl",
            """
            {"url":"https://example.com/one","title":"One"}
            {"url":"https://example.com/long","title":"Long","note":"\(long)"}
            {"url":"https://example.com/two","title":"Two"}

            """)
        let csv = directory.write(
            "long.csv",
            """
            title,url,time_added,tags,status
            Three,https://example.com/three,1709620200,,unread
            Long,https://example.com/long-csv,1709620200,"\(long)",unread
            Four,https://example.com/four,1709620200,,unread

            """)
        for file in [jsonLines, csv] {
            let run = try measured("import", file, "--json")
            // The long record fails alone: exit 4 for it, the records around it saved.
            #expect(run.result.status == 4, "\(file): \(run.result.stderr)")
            #expect(run.result.stdout.contains("\"saved\" : 2"), "\(file): \(run.result.stdout)")
            #expect(run.result.stdout.contains("32 MiB"), "\(file): \(run.result.stdout)")
            expectBounded(run, file)
        }
    }

    @Test func testArchiveEntryThatInflatesPastItsDeclaredSizeFailsInBoundedMemory() throws {
        #expect(try CommandLineRunner.run(["init", "--library", libraryPath]).status == 0)
        let zip = directory.url.appendingPathComponent("omnivore.zip")
        let archive = try Archive(url: zip, accessMode: .create)
        func add(_ path: String, size: Int, _ byte: (Int) -> Data) throws {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate,
                provider: { position, count in byte(count) })
        }
        let metadata = Data(
            #"[{"slug":"bomb","title":"Bomb","url":"https://example.com/bomb","state":"Succeeded"}]"#.utf8)
        try add("metadata_0_to_1.json", size: metadata.count) { _ in metadata }
        try add("content/bomb.html", size: 1 << 30) { Data(repeating: 0x61, count: $0) }
        // Every header now claims the page is 1,000 bytes.
        var bytes = try Data(contentsOf: zip)
        let central = try #require(bytes.lastRange(of: Data([0x50, 0x4B, 0x01, 0x02]))).lowerBound
        bytes.replaceSubrange(central + 24..<central + 28, with: [0xE8, 0x03, 0x00, 0x00])
        try bytes.write(to: zip)
        let run = try measured("import", zip.path, "--json")
        #expect(run.result.stdout.contains("content/bomb.html"), "\(run.result)")
        expectBounded(run, "the archive")
    }

    @Test func testTwentyThousandEntriesOfEachExportImportInBoundedMemory() throws {
        let count = 20_000
        func entries(_ entry: (Int) -> String) -> String {
            (1...count).map(entry).joined(separator: ",\n")
        }
        let exports: [(String, String)] = [
            (
                "pinboard.json",
                "["
                    + entries {
                        #"{"href":"https://p.example.com/\#($0)","description":"Pin \#($0)","extended":"","time":"2024-03-05T14:30:00Z","shared":"no","toread":"yes","tags":"a b"}"#
                    } + "]"
            ),
            (
                "omnivore.json",
                "["
                    + entries {
                        #"{"slug":"s\#($0)","url":"https://o.example.com/\#($0)","title":"Omnivore \#($0)","state":"Active","labels":["x"],"savedAt":"2024-03-05T14:30:00.000Z","readingProgress":10}"#
                    } + "]"
            ),
            (
                "readability.json",
                #"{"bookmarks": ["#
                    + entries {
                        #"{"article__url":"https://r.example.com/\#($0)","article__title":"Readability \#($0)","favorite":false,"archive":false,"date_added":"2015-03-05T14:30:00"}"#
                    } + "]}"
            ),
            (
                "firefox.json",
                #"{"guid":"root________","type":"text/x-moz-place-container","root":"placesRoot","children":[{"guid":"menu________","title":"menu","type":"text/x-moz-place-container","root":"bookmarksMenuFolder","children":[{"title":"Folder","type":"text/x-moz-place-container","children":["#
                    + entries {
                        #"{"title":"Firefox \#($0)","dateAdded":1709649000000000,"type":"text/x-moz-place","uri":"https://f.example.com/\#($0)"}"#
                    } + "]}]}]}"
            ),
            (
                "Bookmarks",
                #"{"checksum":"0","roots":{"bookmark_bar":{"children":["#
                    + entries {
                        #"{"date_added":"13355123400000000","name":"Chrome \#($0)","type":"url","url":"https://c.example.com/\#($0)"}"#
                    } + #"],"name":"Bookmarks bar","type":"folder"}},"version":1}"#
            ),
        ]
        // Two million empty nodes: read whole as objects they took gigabytes.
        let hollow =
            #"{"guid":"root________","type":"text/x-moz-place-container","root":"placesRoot","children":["#
            + Array(repeating: "{}", count: 2_000_000).joined(separator: ",") + "]}"
        let empty: [(String, String)] = [("hollow-firefox.json", hollow)]
        for (name, content) in empty {
            let library = directory.path("\(name).sqlite")
            #expect(try CommandLineRunner.run(["init", "--library", library]).status == 0)
            let run = try CommandLineRunner.runMeasured([
                "import", directory.write(name, content), "--json", "--library", library,
            ])
            #expect(run.result.status == 0 && run.result.stdout.contains("\"saved\" : 0"), "\(run.result)")
            expectBounded(run, name)
        }
        for (name, content) in exports {
            let library = directory.path("\(name).sqlite")
            #expect(try CommandLineRunner.run(["init", "--library", library]).status == 0)
            let file = directory.write(name, content)
            let run = try CommandLineRunner.runMeasured(["import", file, "--json", "--library", library])
            #expect(run.result.status == 0, "\(name): \(run.result.stderr)")
            #expect(run.result.stdout.contains("\"saved\" : \(count)"), "\(name): \(run.result.stdout)")
            expectBounded(run, name)
        }
    }

    /// An import holds a bounded window of records (the batch being written and the two being
    /// prepared) and the library's page cache, whatever the file's length.
    @Test func testImportMemoryStaysFlatAsRowsGrow() throws {
        func peak(rows: Int) throws -> Int {
            let sentence =
                "The delegation met officials in the capital to discuss the sanctions and the talks. "
            let lines = (1...rows).map { row in
                #"{"title":"Report \#(row)","source":"Wire \#(row % 7)","text":"Article \#(row). \#(String(repeating: sentence, count: 48))"}"#
            }
            let file = directory.write("rows-\(rows).jsonl", lines.joined(separator: "\n"))
            let library = directory.path("rows-\(rows).sqlite")
            #expect(try CommandLineRunner.run(["init", "--library", library]).status == 0)
            let run = try CommandLineRunner.runMeasured(["import", file, "--json", "--library", library])
            #expect(run.result.stdout.contains("\"saved\" : \(rows)"), "\(run.result)")
            return run.peakResidentBytes
        }
        // Both files fill the 64 MiB page cache, so what remains to grow is memory per row.
        let few = try peak(rows: 16_000)
        let many = try peak(rows: 40_000)
        #expect(
            many < few + (24 << 20), "16,000 rows peaked at \(few >> 20) MiB, 40,000 at \(many >> 20) MiB")
    }

    /// A gzip stream of `count` zero bytes, about a thousandth of their size.
    static func gzip(zeros count: Int) throws -> Data {
        var stream = z_stream()
        guard
            deflateInit2_(
                &stream, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { throw POSIXError(.ENOMEM) }
        defer { deflateEnd(&stream) }
        var input = [UInt8](repeating: 0, count: 1 << 20)
        var output = [UInt8](repeating: 0, count: 1 << 16)
        var compressed = Data()
        var remaining = count
        repeat {
            let chunk = min(remaining, input.count)
            remaining -= chunk
            let flush = remaining == 0 ? Z_FINISH : Z_NO_FLUSH
            try input.withUnsafeMutableBufferPointer { inputBuffer in
                stream.next_in = inputBuffer.baseAddress
                stream.avail_in = UInt32(chunk)
                repeat {
                    let status = output.withUnsafeMutableBufferPointer { outputBuffer in
                        stream.next_out = outputBuffer.baseAddress
                        stream.avail_out = UInt32(outputBuffer.count)
                        return deflate(&stream, flush)
                    }
                    guard status != Z_STREAM_ERROR else { throw POSIXError(.EIO) }
                    compressed.append(contentsOf: output[0..<(output.count - Int(stream.avail_out))])
                } while stream.avail_out == 0
            }
        } while remaining > 0
        return compressed
    }
}
