import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

/// `doctor` reports two items of one article, as earlier versions made them, and `--repair`
/// folds them (docs/bundle-format.md, "Saved twice").
@Suite struct DuplicateArticlesCommandTests {
    let directory = TemporaryDirectory()
    var library: String { directory.path("library.sqlite") }

    var parallax: ParallaxCommand { ParallaxCommand(in: directory, library: library) }

    /// A library holding one article twice: its own save of the address, and an item an earlier
    /// version of another device made of it, under a random id.
    func makeDuplicates() throws -> (kept: String, folded: String) {
        let other = try Library.create(at: directory.path("other.sqlite"))
        let folded = try other.add(Fixtures.draft(1)).item.id
        try other.updateTags(folded, adding: ["from-other"], removing: [])
        let earlier = Fixtures.asSavedByAnEarlierVersion(try other.changes())
        let mine = try Library.create(at: library)
        let kept = try mine.add(Fixtures.draft(1, url: "https://news.example.com/articles/1")).item.id
        try mine.apply(earlier)
        return (kept, try #require(earlier.records.first).item)
    }

    @Test func doctorReportsDuplicateArticlesAndRepairFoldsThem() throws {
        let (kept, folded) = try makeDuplicates()
        let found = try parallax("doctor")
        #expect(found.status == 8)
        #expect(
            found.stdout.contains("duplicates")
                && found.stdout.contains("https://news.example.com/articles/1"))
        let repaired = try parallax("doctor", "--repair")
        #expect(repaired.status == 0, "\(repaired.stdout) \(repaired.stderr)")
        #expect(repaired.stdout.contains("Folded 1 duplicate article"))
        #expect(try parallax("doctor").status == 0)
        let listed = try parallax("list", "--json").stdout
        let items = try #require(
            try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [[String: Any]])
        #expect(items.count == 1 && items.first?["id"] as? String == kept)
        #expect(items.first?["tags"] as? [String] == ["from-other"])
        #expect(try parallax("history", folded).status == 0)
    }

    @Test func doctorJSONNamesTheDuplicates() throws {
        let (kept, folded) = try makeDuplicates()
        let result = try parallax("doctor", "--json")
        #expect(result.status == 8)
        #expect(result.stdout.contains(kept) && result.stdout.contains(folded))
    }
}
