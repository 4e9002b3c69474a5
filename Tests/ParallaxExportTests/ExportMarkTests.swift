import Foundation
import ParallaxExport
import ParallaxFiles
import ParallaxStore
import ParallaxTestSupport
import Testing

/// An export replaces a file only when the mark it writes says the file is an earlier export.
@Suite struct ExportMarkTests {
    @Test func jsonLinesExportLeavesAUsersMinifiedJSONAsItWas() throws {
        let temporary = try TemporaryLibrary()
        try temporary.library.add(ItemDraft(title: "Harbour talks", text: "The talks resumed on Monday."))
        let settings = #"{"theme":"dark","apiKey":"k-123"}"#
        let path = temporary.directory.write("settings.json", settings)
        #expect {
            try ReadingExport(library: temporary.library).write(.jsonl, to: path)
        } throws: { error in
            guard case OutputFileError.inUse(_, let reason) = error else { return false }
            return reason.contains("not a JSON Lines export")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == settings)
    }

    @Test func anEarlierExportWhoseFirstRecordOutrunsThePrefixIsStillReplaced() throws {
        let temporary = try TemporaryLibrary()
        let long = String(repeating: "The harbour talks went on through the night. ", count: 1_000)
        try temporary.library.add(ItemDraft(title: "A long night", text: long))
        let path = temporary.directory.path("export.jsonl")
        let export = ReadingExport(library: temporary.library)
        #expect(try export.write(.jsonl, to: path) == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count > OutputFile.prefixLength)
        #expect(try export.write(.jsonl, to: path) == 1)
    }

    @Test func openReplacesAnArticlePageAnEarlierVersionWroteButNotItsHTMLExport() throws {
        let temporary = try TemporaryLibrary()
        try temporary.library.add(ItemDraft(title: "Harbour talks", text: "The talks resumed on Monday."))
        var records: [ItemRecord] = []
        try temporary.library.forEachRecord { records.append($0) }
        let record = try #require(records.first)
        // Before each kind named itself, every page Parallax wrote had this generator.
        func asEarlierVersion(_ page: String, kind: String) -> String {
            page.replacingOccurrences(of: #"content="Parallax \#(kind)">"#, with: #"content="Parallax">"#)
        }
        let earlier = asEarlierVersion(ArticlePage.render(record, images: [:]), kind: "article page")
        let page = temporary.directory.write("page.html", earlier)
        try ArticlePage.write(record, images: [:], to: page)
        #expect(
            try String(contentsOfFile: page, encoding: .utf8).contains(#"content="Parallax article page""#))
        let export = temporary.directory.path("export.html")
        try ReadingExport(library: temporary.library).write(.html, to: export)
        let earlierExport = asEarlierVersion(
            try String(contentsOfFile: export, encoding: .utf8), kind: "reading export")
        try Data(earlierExport.utf8).write(to: URL(fileURLWithPath: export))
        #expect(throws: OutputFileError.self) { try ArticlePage.write(record, images: [:], to: export) }
        #expect(try String(contentsOfFile: export, encoding: .utf8) == earlierExport)
    }
}
