import Foundation
import ParallaxStore

/// The sample articles `parallax demo` works on: the scraped seed article and companions
/// written for the project that cover the same event from other angles.
public enum SampleLibrary {
    /// The seed article exactly as it was scraped, page chrome included.
    public static var seedText: String { String(decoding: PackageResources.seed_al_ahed_txt, as: UTF8.self) }

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
