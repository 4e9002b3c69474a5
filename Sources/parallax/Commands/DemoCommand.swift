import ArgumentParser
import Foundation
import ParallaxExport
import ParallaxFraming
import ParallaxIngest
import ParallaxReports
import ParallaxStore
import ParallaxSync

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Show Parallax at work on the embedded sample library.",
        discussion: """
            Creates a temporary library from the sample event: the scraped article Parallax started \
            from (page chrome and all) and companion articles written for the project that cover \
            the same event from other outlets' angles (marked as samples in their notes and tags). \
            It lists, searches, reads and annotates them, shows an item's history, syncs a second \
            library with it, and ends with the framing report of the event. Your own library is not \
            touched; the temporary one is deleted unless you pass --keep.
            """)

    @Flag(help: "Keep the temporary library and print where it is.") var keep = false

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "parallax-demo-\(UUID().uuidString.prefix(8))")
        let path = folder.appendingPathComponent("library.sqlite").path
        defer { if !keep { try? FileManager.default.removeItem(at: folder) } }
        let library = try Library.create(at: path)
        section("1. Saving the sample event", command: "parallax add …")
        let drafts = try SampleLibrary.drafts()
        var seedID = ""
        for (index, draft) in drafts.enumerated() {
            let item = try library.add(draft).item
            if index == 0 { seedID = item.id }
            Terminal.line(
                "  saved  \(item.title)\n         \(item.source ?? "?"), \(item.published ?? "undated"), \(item.wordCount) words"
            )
        }
        Terminal.line(
            "  The first article was scraped with page chrome around it; Parallax found its headline")
        Terminal.line("  and byline (“\(drafts[0].byline ?? "none")”) and kept only the story.")

        section("2. The reading list", command: "parallax list")
        let items = try library.items()
        var shortIDs = try library.shortIDs(for: items.map(\.id))
        Terminal.line(
            Rendering.list(items, shortIDs: shortIDs).split(separator: "\n").map { "  " + $0 }.joined(
                separator: "\n"))

        let query = "sanctions AND military"
        section("3. Full-text search", command: "parallax search \"\(query)\"")
        let hits = try library.search(query, limit: 3)
        Terminal.line(
            Rendering.search(hits, shortIDs: shortIDs, query: query).split(
                separator: "\n", omittingEmptySubsequences: false
            )
            .map { "  " + $0 }.joined(separator: "\n"))

        let seed = shortIDs[seedID] ?? seedID
        section(
            "4. Reading and annotating",
            command: "parallax mark \(seed) reading --progress 0.4 · tag · highlight · note")
        try library.mark(seedID, as: .reading, progress: 0.4)
        try library.updateTags(seedID, adding: ["framing"], removing: ["sample"])
        let highlight = try library.addHighlight(
            seedID, quote: "self-proclaimed interim president", note: "How this outlet names Guaido")
        try library.setNote(seedID, "Compare with how the other outlets name Guaido and Maduro.")
        Terminal.line(
            "  marked reading at 40%, tagged #framing (untagged #sample), highlighted “\(highlight.quote)”, added a note"
        )

        section("5. The item's history", command: "parallax history \(seed)")
        let (item, entries) = try library.history(of: seedID)
        shortIDs = try library.shortIDs(for: [item.id])
        Terminal.line(
            Rendering.history(item, entries, shortID: shortIDs[item.id] ?? seed).split(separator: "\n").map {
                "  " + $0
            }.joined(separator: "\n"))

        section("6. The library", command: "parallax stats")
        Terminal.line(
            StatsCommand.render(try library.statistics()).split(separator: "\n").map { "  " + $0 }.joined(
                separator: "\n"))

        try SyncDemo(folder: folder, laptop: library, seedID: seedID).run { section($0, command: $1) }

        let events = LibraryEvents(library: library)
        let event = try events.event(seedID)
        let eventID = try library.shortIDs(for: [event.id])[event.id] ?? event.id
        section(
            "8. The framing report of the sample event",
            command: "parallax events · parallax report --event \(eventID)")
        Terminal.line(
            "  Parallax grouped \(event.items.count) articles as one event; how does each outlet frame it?\n")
        Terminal.line(
            MarkdownReport.render(try events.report(items: event.items)).split(
                separator: "\n", omittingEmptySubsequences: false
            )
            .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n"))

        section(
            "9. Saving a web page, and a book for the e-reader",
            command: "parallax add page.html --url … · parallax export --format epub -o unread.epub --unread")
        let article = try WebArticleExtractor.extract(
            from: SampleLibrary.webPage, url: SampleLibrary.webPageURL, name: "sample-page.html")
        let saved = try library.add(article.draft).item
        Terminal.line(
            "  A sample page with a cookie banner, menus, a share bar, related links, a newsletter box,")
        Terminal.line("  comments and a footer; Parallax kept the article:")
        Terminal.line("    \(saved.title)")
        Terminal.line(
            "    By \(saved.byline ?? "?") · \(saved.source ?? "?") · \(saved.published ?? "undated") · \(saved.wordCount) words"
        )
        let firstParagraph = article.text.prefix { $0 != "\n" }
        Terminal.line(Terminal.wrap("“" + firstParagraph + "”", width: Terminal.width, indent: "    "))
        var export = ReadingExport(library: library) { $0.readingState == .unread }
        export.title = "Unread (Parallax demo)"
        let book = folder.appendingPathComponent("unread.epub").path
        let chapters = try export.write(.epub, to: book)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: book)[.size] as? Int) ?? 0
        Terminal.line(
            "  Wrote an EPUB of the \(chapters) unread articles (\(bytes / 1024) KB) for an e-reader.")

        Terminal.line("")
        if keep {
            Terminal.line("The demo library is kept at \(path); try: parallax list --library \(path)")
        } else {
            Terminal.line(
                "The demo library was temporary and is gone; run 'parallax demo --keep' to explore it.")
        }
    }

    private func section(_ title: String, command: String) {
        Terminal.line("\n" + Terminal.bold(title) + "  " + Terminal.dim("$ " + command))
    }
}
