import ArgumentParser
import Foundation
import ParallaxIngest
import ParallaxStore

struct FetchImagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch-images",
        abstract: "Keep the HTML and images of articles saved before, or whose images failed.",
        discussion: """
            For each article, the images its HTML names and the library does not keep yet are \
            fetched, with the limits of 'parallax add'. An article saved as text only (before \
            Parallax kept HTML, or from a file) has its page fetched again for its HTML; its text \
            stays as it is. Each article is saved as it is done, so an interrupted run loses \
            nothing, and running it again fetches only what is still missing.

              parallax fetch-images 01m8nf 01m8pq
              parallax fetch-images --all

            Every page or image that fails is one line of the summary; the others are kept.
            """)

    @Argument(help: ArgumentHelp("Items' ids or unique prefixes.", valueName: "id")) var ids: [String] = []
    @Flag(help: "Every article that has HTML, or text and a web address.") var all = false
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if all && !ids.isEmpty { throw ValidationError("Give item ids or --all, not both.") }
        if !all && ids.isEmpty { throw ValidationError("Name the items, or give --all.") }
    }

    func run() async throws {
        let library = try libraryOptions.open()
        guard try library.imageStorage().keepsImages else {
            throw Failure(
                message: "images are off on this device; 'parallax images on' turns them on",
                code: Failure.invalidInput)
        }
        // Named items are resolved first, so a wrong id fails the command (exit 2 or 3) before any fetch.
        let targets = all ? try library.itemsForImages() : try ids.map { try library.resolve($0).id }
        let summary = await ImageBackfill(library: library).run(targets) { done, total in
            Terminal.progress(
                "fetching images \(Terminal.progressBar(done: done, total: total))  \(done)/\(total)")
        }
        Terminal.endProgress()
        if output.json { return try Terminal.printJSON(summary) }
        let size = ByteCountFormatter.string(fromByteCount: Int64(summary.bytes), countStyle: .file)
        Terminal.line(
            "\(summary.images) images kept (\(size)) for \(summary.filled) of \(summary.articles) articles"
                + (summary.problems.isEmpty ? "." : "; not kept:"))
        for problem in summary.problems { Terminal.line("  " + problem) }
    }
}
