import ArgumentParser
import Foundation
import ParallaxStore

struct ExportCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case jsonl
    }

    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the whole library to a file or standard output.",
        discussion: """
            JSON Lines: one object an item, sorted by id, keys sorted, with its text, tags, note
            and highlights. The output depends only on the library's content, so two libraries that
            hold the same items export the same bytes, and 'parallax import' reads it back. A file
            given with -o is written whole or not at all.
            """)

    @Option(help: "The format.") var format: Format = .jsonl
    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var outputPath: String?
    @Flag(help: "Include removed items and highlights (marked deleted).") var includeDeleted = false
    @Option(help: "Only items with this tag.") var tag: String?
    @Flag(help: "Only unread items.") var unread = false
    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let library = try libraryOptions.open(.readOnly)
        let tag = try tag.map(Tag.normalize)
        let filter: ((Item) -> Bool)? =
            tag == nil && !unread
            ? nil
            : { item in
                (tag.map(item.tags.contains) ?? true) && (!unread || item.readingState == .unread)
            }
        guard let outputPath else {
            let output = FileHandle.standardOutput
            try library.exportJSONLines(includeDeleted: includeDeleted, filter: filter) { output.write($0) }
            return
        }
        let url = URL(fileURLWithPath: outputPath)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: temporary)
        else { throw Failure(message: "cannot write to \(outputPath)", code: Failure.notWritable) }
        do {
            let count = try library.exportJSONLines(includeDeleted: includeDeleted, filter: filter) {
                try handle.write(contentsOf: $0)
            }
            try handle.synchronize()
            try handle.close()
            if FileManager.default.fileExists(atPath: url.path) {
                try FileManager.default.removeItem(at: url)
            }
            try FileManager.default.moveItem(at: temporary, to: url)
            FileHandle.standardError.write(Data("Exported \(count) items to \(outputPath).\n".utf8))
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
