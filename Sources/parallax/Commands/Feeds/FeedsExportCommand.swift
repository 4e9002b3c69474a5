import ArgumentParser
import Foundation
import ParallaxFeeds
import ParallaxStore

struct FeedsExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the feeds you follow as an OPML outline other readers import.",
        discussion: """
            The outline lists each feed with its outlet and tags. Without -o it is printed. A \
            file that exists is replaced only when it is an outline Parallax wrote.

              parallax feeds export -o subscriptions.opml
            """)

    @Option(name: .shortAndLong, help: ArgumentHelp("The file to write.", valueName: "file")) var output:
        String?
    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let library = try libraryOptions.open(.readOnly)
        let feeds = try library.subscriptions()
        let now = library.environment.now()
        guard let output else { return Terminal.write(SubscriptionOutline.opml(feeds, created: now)) }
        try SubscriptionOutline.write(feeds, to: output, created: now)
        Terminal.line("Wrote \(feeds.count) feed\(feeds.count == 1 ? "" : "s") to \(output)")
    }
}
