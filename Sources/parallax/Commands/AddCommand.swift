import ArgumentParser
import Foundation
import ParallaxIngest
import ParallaxStore

struct AddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Save an article from a text or Markdown file, or from standard input.",
        discussion: """
            The headline, author line and body are found in the text; page chrome a scraper left
            around the article (loading notices, banners, icon labels, share prompts) is dropped.
            An article whose URL or text is already saved is not stored again: Parallax names the
            item it already has. --force stores the new text as a new version of that item.

              parallax add article.txt --source "Al-Ahed News" --published 2019-02-14
              cat article.md | parallax add - --source Reuters --tag venezuela
            """)

    @Argument(help: ArgumentHelp("The article file, or - for standard input.", valueName: "file"))
    var file: String

    @Option(help: "The headline, instead of the one found in the text.") var title: String?
    @Option(help: "The address the article came from.") var url: String?
    @Option(help: "The outlet that published it.") var source: String?
    @Option(help: "The author line.") var byline: String?
    @Option(help: ArgumentHelp("The publication date (ISO 8601).", valueName: "date")) var published: String?
    @Option(help: ArgumentHelp("The language code, instead of the guessed one.", valueName: "code"))
    var language: String?
    @Option(name: .customLong("tag"), help: ArgumentHelp("A tag to attach (repeatable).", valueName: "tag"))
    var tags: [String] = []
    @Flag(help: "Store a new version of an item already saved with the same URL or text.") var force = false
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let title, title.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--title is empty.")
        }
        if let published, (try? Timestamp.normalizedDate(published, field: "published")) == nil {
            throw ValidationError("--published must be an ISO 8601 date such as 2019-02-14.")
        }
    }

    func run() throws {
        let library = try libraryOptions.open()
        var draft = ItemDraft(parsingText: try TextInput.read(path: file), title: title)
        draft.url = url
        draft.source = source
        draft.byline = byline ?? draft.byline
        draft.published = published
        draft.language = language ?? draft.language
        draft.tags = tags
        let outcome = try library.add(draft, force: force)
        let shortID = try library.shortIDs(for: [outcome.item.id])[outcome.item.id] ?? outcome.item.id
        if output.json {
            let status: String
            switch outcome {
            case .added: status = "added"
            case .duplicate: status = "duplicate"
            case .updated: status = "updated"
            }
            try Terminal.printJSON(AddResult(status: status, shortID: shortID, item: outcome.item))
            return
        }
        switch outcome {
        case .added(let item): print("Saved " + Rendering.itemLine(item, shortID: shortID))
        case .updated(let item): print("Updated " + Rendering.itemLine(item, shortID: shortID))
        case .duplicate(let item, let reason):
            print(
                "Already saved (same \(reason == .url ? "URL" : "text")): "
                    + Rendering.itemLine(item, shortID: shortID))
            print("Nothing changed; use --force to store this as a new version.")
        }
    }
}

/// The JSON `add --json` prints.
struct AddResult: Encodable {
    let status: String
    let shortID: String
    let item: Item

    enum CodingKeys: String, CodingKey { case status, item, shortID = "short_id" }
}
