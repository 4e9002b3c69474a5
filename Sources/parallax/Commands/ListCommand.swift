import ArgumentParser
import ParallaxStore

extension ItemOrder: ExpressibleByArgument {}

/// Whose articles a list shows: the reader's list, what feeds brought in, or both.
enum ListScope: String, EnumerableFlag {
    case mine, feeds, everything

    static func help(for value: ListScope) -> ArgumentHelp? {
        switch value {
        case .mine: "Your list: what you saved and kept (the default)."
        case .feeds: "Articles feeds brought in that are not on your list."
        case .everything: "Both."
        }
    }

    /// The filter's `listed` for the scope.
    var listed: Bool? {
        switch self {
        case .mine: true
        case .feeds: false
        case .everything: nil
        }
    }
}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List saved items, newest first.",
        discussion: """
            Each line shows the short id (any unique prefix of it works in other commands), the \
            reading state (• unread, ◐ reading, ✓ read), ★ for favorites, A for archived, the title, \
            source, date saved and tags. Archived items are listed only with --archived, and \
            articles feeds brought in only with --feeds (or --everything). For pages, \
            give --limit and then --after the last id shown: `parallax list --limit 20 --after 01m8jgxckg`.
            """)

    @Flag(help: "Only unread items.") var unread = false
    @Flag(help: "Only items being read.") var reading = false
    @Flag(help: "Only read items.") var read = false
    @Flag(help: "Only archived items.") var archived = false
    @Flag(help: "Only favorites.") var favorite = false
    @Flag(help: "Include archived items with the others.") var all = false
    @Flag var scope = ListScope.mine
    @Option(help: "Only items with this tag.") var tag: String?
    @Option(help: "Only items from this source.") var source: String?
    @Option(help: "At most this many items.") var limit: Int?
    @Option(help: "Order by the date saved or the date published (else saved), newest first.")
    var sort = ItemOrder.saved
    @Option(
        help: ArgumentHelp(
            "Only the items after this one in the order: the next page.",
            discussion:
                "Give the last id of the page before; with --limit, pages cost the same however deep.",
            valueName: "id"))
    var after: String?
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if [unread, reading, read].filter({ $0 }).count > 1 {
            throw ValidationError("Choose one of --unread, --reading and --read.")
        }
        if let limit, limit < 0 { throw ValidationError("--limit must be zero or more.") }
    }

    func run() throws {
        let library = try libraryOptions.open(.readOnly)
        var filter = ItemFilter()
        filter.readingState = unread ? .unread : reading ? .reading : read ? .read : nil
        filter.archived = archived ? true : all ? nil : false
        filter.favoriteOnly = favorite
        filter.listed = scope.listed
        filter.tag = tag
        filter.source = source
        filter.limit = limit
        filter.order = sort
        filter.after = try after.map { try library.resolve($0).id }
        let items = try library.items(matching: filter)
        let shortIDs = try library.shortIDs(for: items.map(\.id))
        if output.json {
            try Terminal.printJSON(items.map { ListedItem(item: $0, shortID: shortIDs[$0.id] ?? $0.id) })
        } else {
            Terminal.line(Rendering.list(items, shortIDs: shortIDs))
        }
    }
}

/// An item with its short id, as `list --json` and `search --json` print it.
struct ListedItem: Encodable {
    let item: Item
    let shortID: String
    var snippet: String?
    var score: Double?

    enum CodingKeys: String, CodingKey {
        case snippet, score
        case shortID = "short_id"
    }

    func encode(to encoder: any Encoder) throws {
        try item.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(shortID, forKey: .shortID)
        try container.encodeIfPresent(snippet, forKey: .snippet)
        try container.encodeIfPresent(score, forKey: .score)
    }
}
