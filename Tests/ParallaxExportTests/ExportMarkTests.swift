import Foundation
import ParallaxExport
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
}
