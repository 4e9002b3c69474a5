import ArgumentParser
import Foundation
import ParallaxExport
import ParallaxStore

struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Write an article as one self-contained web page and open it in the browser.",
        discussion: """
            The page holds the article as it was published when Parallax kept its HTML (headings, \
            figures, tables, links) with its images inside the page, so it reads offline; images \
            that could not be kept are links to their address. An article saved as text only is \
            shown as its paragraphs. Highlights and the note follow it. The page runs no script and \
            loads nothing from the network.

              parallax open 01m8nf
              parallax open 01m8nf -o strike.html --no-browser

            Without -o the page is written under the temporary directory (parallax-open/). The \
            browser is started with xdg-open (open on macOS); without one, the page's path is all \
            that is printed.
            """)

    @Argument(help: ArgumentHelp("The item's id or a unique prefix.", valueName: "id")) var id: String
    @Option(
        name: [.short, .customLong("output")], help: ArgumentHelp("Write the page here.", valueName: "path"))
    var output: String?
    @Flag(help: "Write the page without starting a browser.") var noBrowser = false
    @OptionGroup var libraryOptions: LibraryOptions

    func validate() throws { try StandardOutput.refuse(output) }

    func run() throws {
        let library = try libraryOptions.open(.readOnly)
        let item = try library.resolve(id)
        let record = ItemRecord(
            item: item, text: try library.text(of: item), highlights: try library.highlights(of: item),
            html: try library.articleHTML(ofItem: item.id))
        let path = output ?? ArticlePage.defaultPath(for: item)
        if output == nil {
            try FileManager.default.createDirectory(
                atPath: FilePaths.folder(of: path), withIntermediateDirectories: true)
        }
        try ArticlePage.write(record, images: try library.articleImages(ofItem: item.id), to: path)
        Terminal.line("Wrote \(path)")
        if !noBrowser { Browser.open(path) }
    }
}

/// The system's way of opening a file in the reader's browser.
enum Browser {
    static func open(_ path: String) {
        let launcher = ["/usr/bin/xdg-open", "/usr/bin/open"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let launcher else {
            Terminal.line("No browser launcher (xdg-open) found; open the file above in your browser.")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher)
        process.arguments = [path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            Terminal.line("Could not start \(launcher); open the file above in your browser.")
        }
    }
}
