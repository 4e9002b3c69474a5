import ArgumentParser
import Foundation
import ParallaxStore

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count the library's items, states, sources, tags and images.")

    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let stats = try libraryOptions.open(.readOnly).statistics()
        if output.json { return try Terminal.printJSON(stats) }
        Terminal.line(Self.render(stats))
    }

    static func render(_ stats: LibraryStatistics) -> String {
        var lines = [
            "Library   \(stats.path)",
            "Items     \(stats.items) (\(stats.unread) unread, \(stats.reading) reading, \(stats.read) read; "
                + "\(stats.archived) archived, \(stats.favorite) favorites; \(stats.deleted) removed)",
            "Words     \(stats.words)",
            "Highlights \(stats.highlights)",
            "Images    \(stats.images) kept offline (\(ByteCountFormatter.string(fromByteCount: Int64(stats.imageBytes), countStyle: .file)))",
            "Version   \(stats.version) on device \(stats.device.prefix(8)) (\(stats.devices) device\(stats.devices == 1 ? "" : "s") known)",
            "Size      \(ByteCountFormatter.string(fromByteCount: stats.bytes, countStyle: .file))",
        ]
        if !stats.sources.isEmpty {
            lines.append(
                "Sources   "
                    + stats.sources.prefix(10).map { "\($0.name) (\($0.count))" }.joined(separator: ", "))
        }
        if !stats.tags.isEmpty {
            lines.append(
                "Tags      "
                    + stats.tags.prefix(15).map { "#\($0.name) (\($0.count))" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
