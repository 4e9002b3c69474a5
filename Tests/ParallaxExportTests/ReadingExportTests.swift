import Foundation
import ParallaxFiles
import ParallaxMarkup
import ParallaxStore
import ParallaxTestSupport
import Testing
import ZIPFoundation

@testable import ParallaxExport

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct ReadingExportTests {
    /// Two articles (one with a hostile title, highlights and a note) and one link.
    func library() throws -> TemporaryLibrary {
        let temporary = try TemporaryLibrary()
        var strike = ItemDraft(
            title: "Dockworkers <script>alert(1)</script> walk out",
            text: "Dockworkers walked out on Tuesday & the port stopped.\n\nTalks resume on Thursday.")
        strike.url = "https://ledger.example.com/strike"
        strike.source = "The Coastal Ledger"
        strike.byline = "Mara Lindqvist"
        strike.published = "2024-03-05"
        strike.tags = ["labour", "ports"]
        strike.note = "Compare with the union's statement."
        strike.highlights = [HighlightDraft(quote: "the port stopped", note: "key fact")]
        try temporary.library.add(strike)
        var rain = ItemDraft(
            title: "Rainfall breaks a record", text: "It rained more than ever: 212 mm in a day.")
        rain.url = "https://valley-courier.example/weather/1"
        rain.readingState = .read
        try temporary.library.add(rain)
        var link = ItemDraft(title: "A link", text: "")
        link.url = "https://news.example.org/later"
        try temporary.library.add(link)
        return temporary
    }

    @Test func testMarkdownFolderHasFrontMatterHighlightsAndAnIndex() throws {
        let temporary = try library()
        let folder = temporary.directory.path("markdown")
        #expect(try ReadingExport(library: temporary.library).write(.markdown, to: folder) == 3)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(files.count == 5 && files.contains("index.md") && files.contains(".parallax-export"))
        let strikeFile = try #require(
            files.first { $0.hasPrefix("dockworkers-script-alert-1-script-walk-out-") })
        let text = try String(contentsOfFile: folder + "/" + strikeFile, encoding: .utf8)
        #expect(text.hasPrefix("---\ntitle: \"Dockworkers <script>alert(1)</script> walk out\"\n"))
        #expect(text.contains("tags: [\"labour\", \"ports\"]\n"))
        #expect(text.contains("\n> the port stopped\n\nkey fact\n"))
        #expect(text.contains("## Note\n\nCompare with the union's statement."))
        let index = try String(contentsOfFile: folder + "/index.md", encoding: .utf8)
        #expect(index.contains("(\(strikeFile)) — By Mara Lindqvist · The Coastal Ledger · 2024-03-05"))

        // Exporting again replaces the earlier export; a folder of other files is refused.
        var unread = ReadingExport(library: temporary.library)
        unread.filter = { $0.readingState == .unread }
        #expect(try unread.write(.markdown, to: folder) == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 4)
        let own = temporary.directory.path("own")
        try FileManager.default.createDirectory(atPath: own, withIntermediateDirectories: false)
        _ = temporary.directory.write("own/thesis.md", "mine")
        #expect(throws: OutputFileError.self) { try unread.write(.markdown, to: own) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: own) == ["thesis.md"])
    }

    @Test func testMarkdownExportLeavesAFolderWithAnIndexOfTheReadersOwnAlone() throws {
        let temporary = try library()
        let vault = temporary.directory.path("vault")
        try FileManager.default.createDirectory(atPath: vault + "/sub", withIntermediateDirectories: true)
        for (name, text) in [("index.md", "# My vault"), ("precious.txt", "mine"), ("sub/deep.md", "deep")] {
            _ = temporary.directory.write("vault/\(name)", text)
        }
        #expect(throws: OutputFileError.self) {
            try ReadingExport(library: temporary.library).write(.markdown, to: vault)
        }
        #expect(try String(contentsOfFile: vault + "/precious.txt", encoding: .utf8) == "mine")
        #expect(try String(contentsOfFile: vault + "/sub/deep.md", encoding: .utf8) == "deep")
        #expect(try String(contentsOfFile: vault + "/index.md", encoding: .utf8) == "# My vault")
        // An earlier export the reader has added a file to is not replaced either.
        let export = temporary.directory.path("export")
        try ReadingExport(library: temporary.library).write(.markdown, to: export)
        _ = temporary.directory.write("export/my-notes.md", "notes")
        #expect {
            try ReadingExport(library: temporary.library).write(.markdown, to: export)
        } throws: { error in
            guard case OutputFileError.inUse(_, let reason) = error else { return false }
            return reason.contains("my-notes.md")
        }
        #expect(try String(contentsOfFile: export + "/my-notes.md", encoding: .utf8) == "notes")
    }

    @Test(arguments: [ExportFormat.jsonl, .html, .epub])
    func testFileExportReplacesOnlyAnEarlierExportOfItsFormat(format: ExportFormat) throws {
        let temporary = try library()
        let export = ReadingExport(library: temporary.library)
        let path = temporary.directory.path("export.out")
        #expect(try export.write(format, to: path) == 3)
        #expect(try export.write(format, to: path) == 3)
        let other = temporary.directory.write("notes.out", "The reader's own notes.")
        #expect(throws: OutputFileError.self) { try export.write(format, to: other) }
        #expect(try String(contentsOfFile: other, encoding: .utf8) == "The reader's own notes.")
        let otherFormat: ExportFormat = format == .jsonl ? .html : .jsonl
        #expect(throws: OutputFileError.self) { try export.write(otherFormat, to: path) }
    }

    @Test func testMarkdownExportEscapesEveryFieldItWrites() throws {
        let temporary = try TemporaryLibrary()
        var hostile = ItemDraft(
            title: "Plain title", text: "A body with <script>alert(1)</script> inside it.")
        hostile.url = "https://example.com/hostile"
        hostile.byline = "<script>alert('byline')</script>"
        hostile.source = "\"><img src=x onerror=alert(1)>"
        hostile.note = "<iframe src=javascript:alert(1)></iframe>"
        hostile.highlights = [HighlightDraft(quote: "A body", note: "<b onmouseover=alert(1)>x</b>")]
        try temporary.library.add(hostile)
        let folder = temporary.directory.path("markdown")
        try ReadingExport(library: temporary.library).write(.markdown, to: folder)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".md") {
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            let body = text.split(separator: "---\n", maxSplits: 2).last.map(String.init) ?? text
            // Every angle bracket is escaped, so no renderer reads a tag.
            let unescaped = zip(body.dropFirst(), body).contains { $0 == "<" && $1 != "\\" }
            #expect(!unescaped && !body.hasPrefix("<"), "\(name) holds a tag unescaped: \(body)")
        }
    }

    @Test func testRenderersLinkOnlyToWebAddresses() {
        #expect(Markup.linkTarget("javascript:alert(1)") == nil)
        #expect(Markup.linkTarget("data:text/html,<script>alert(1)</script>") == nil)
        #expect(Markup.linkTarget("https://example.com/a") == "https://example.com/a")
    }

    @Test func testHTMLPageIsSelfContainedEscapedAndMarksHighlights() throws {
        let temporary = try library()
        let path = temporary.directory.path("reading.html")
        #expect(try ReadingExport(library: temporary.library).write(.html, to: path) == 3)
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!html.contains("<script"))
        #expect(html.contains("Dockworkers &lt;script&gt;alert(1)&lt;/script&gt; walk out"))
        #expect(html.contains("on Tuesday &amp; <mark>the port stopped</mark>."))
        #expect(html.contains("A saved link, not fetched yet"))
        #expect(!html.contains("src=") && !html.contains("@import"))
        #expect(html.components(separatedBy: "<article").count == 4)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: temporary.directory.path("")).filter {
                $0.hasPrefix(".reading.html")
            }.isEmpty)
    }

    @Test func testEPUBHasTheContainerLayoutAndWellFormedChapters() throws {
        let temporary = try library()
        let path = temporary.directory.path("reading.epub")
        #expect(try ReadingExport(library: temporary.library).write(.epub, to: path) == 3)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        let entries = Array(archive)
        #expect(entries.first?.path == "mimetype")
        #expect(entries.first.map { $0.compressedSize == $0.uncompressedSize } == true)
        var xhtml = 0
        for entry in entries
        where entry.path.hasSuffix(".xhtml") || entry.path.hasSuffix(".opf")
            || entry.path.hasSuffix(".ncx") || entry.path.hasSuffix(".xml")
        {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            #expect(throws: Never.self, "\(entry.path)") { try XMLDocument(data: data, options: []) }
            if entry.path.hasSuffix(".xhtml") { xhtml += 1 }
        }
        #expect(xhtml == 4)
        #expect(archive["META-INF/container.xml"] != nil && archive["OEBPS/content.opf"] != nil)
    }

    @Test func testAnExportToAMissingFolderWritesNothing() throws {
        let temporary = try library()
        for format in ExportFormat.allCases {
            #expect {
                try ReadingExport(library: temporary.library).write(
                    format, to: temporary.directory.path("absent/out"))
            } throws: { error in
                switch error {
                case OutputFileError.notWritable: true
                default: false
                }
            }
        }
        #expect(!FileManager.default.fileExists(atPath: temporary.directory.path("absent")))
    }
}
