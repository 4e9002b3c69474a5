import Foundation
import ParallaxStore

/// Fixtures shared by the test targets and the benchmark: drafts, and the project's files.
public enum Fixtures {
    /// A library's changes as an earlier version would have made them: each item under a random
    /// id, where this version names an article by its address (``ItemID/forAddress(_:)``).
    /// Applied to a library that saved the same addresses, it makes two items of each article.
    public static func asSavedByAnEarlierVersion(_ set: ChangeSet) -> ChangeSet {
        var renamed: [String: String] = [:]
        var set = set
        for index in set.records.indices {
            let id = set.records[index].item
            if renamed[id] == nil { renamed[id] = ItemID.make() }
            set.records[index].item = renamed[id]!
        }
        return set
    }

    /// A draft with enough text to be an article.
    public static func draft(_ number: Int, url: String? = nil, source: String = "Test Wire") -> ItemDraft {
        var draft = ItemDraft(
            title: "Article number \(number) about the sanctions",
            text: """
                Paragraph one of article \(number) says the officials discussed sanctions and the military.

                Paragraph two of article \(number) adds detail that differs from every other article.
                """)
        draft.url = url ?? "https://news.example.com/articles/\(number)"
        draft.source = source
        draft.published = "2019-02-14"
        return draft
    }

    /// The checkout's root folder.
    public static var projectRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }

    /// A fixture file kept in a test target's `Resources` folder.
    /// - Parameters:
    ///   - name: The file's name.
    ///   - target: The test target that keeps it.
    public static func resource(_ name: String, in target: String = "ParallaxIngestTests") -> URL {
        projectRoot.appendingPathComponent("Tests/\(target)/Resources/\(name)")
    }

    /// The `shared/` folder beside the checkout, when it is there.
    public static var sharedDirectory: URL? {
        let shared = projectRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: shared.path) ? shared : nil
    }

    /// The sample web page (written for the project), as `parallax demo` saves it.
    public static var samplePage: URL {
        projectRoot.appendingPathComponent("Sources/ParallaxIngest/Samples/sample-page.html")
    }

    /// The seed article as scraped, from the project's embedded copy.
    public static var seedArticle: String {
        let path = projectRoot.appendingPathComponent("Sources/ParallaxIngest/Samples/seed-al-ahed.txt")
        return try! String(contentsOf: path, encoding: .utf8)
    }
}
