import Foundation
import ParallaxStore

/// The sample articles `parallax demo` works on: the scraped seed article and companions
/// written for the project that cover the same event from other angles.
public enum SampleLibrary {
    /// The seed article exactly as it was scraped, page chrome included.
    public static var seedText: String { String(decoding: PackageResources.seed_al_ahed_txt, as: UTF8.self) }

    /// A web page written for the project, with the clutter real pages carry: a cookie banner,
    /// navigation, a share bar, related links, a newsletter box, comments and a footer.
    public static var webPage: Data { Data(PackageResources.sample_page_html) }

    /// The address the sample web page pretends to come from.
    public static let webPageURL = URL(
        string: "https://ledger.example.com/business/2024/03/05/dockworkers-strike")!

    /// Drafts of every sample article, the seed first. All are tagged `sample`.
    public static func drafts() throws -> [ItemDraft] {
        var seed = ItemDraft(parsingText: seedText)
        seed.source = "Al-Ahed News"
        seed.published = "2019-02-14"
        seed.tags = ["sample", "venezuela"]
        seed.note = "The project's seed article, kept as it was scraped."
        let companions = String(decoding: PackageResources.companions_jsonl, as: UTF8.self)
        let others = try companions.split(separator: "\n").enumerated().compactMap { index, line in
            try ArticleRecord.draft(from: Data(line.utf8), name: "companions.jsonl", line: index + 1)
        }
        return [seed] + others
    }
}
