import Foundation
import ParallaxStore

/// A folder that exists for one test and is deleted with it.
public final class TemporaryDirectory: @unchecked Sendable {
    /// The folder.
    public let url: URL

    /// Makes a new, empty folder under the system's temporary directory.
    public init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "parallax-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// A path inside the folder.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes bytes to a file in the folder and returns its path.
    @discardableResult
    public func write(_ name: String, _ data: Data) -> String {
        let path = path(name)
        _ = FileManager.default.createFile(atPath: path, contents: data)
        return path
    }

    /// Writes text to a file in the folder and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) -> String { write(name, Data(text.utf8)) }
}

/// A fresh library in its own temporary folder.
public final class TemporaryLibrary: @unchecked Sendable {
    /// The folder that holds it.
    public let directory = TemporaryDirectory()
    /// The library.
    public let library: Library

    /// Creates the library, optionally with a fixed device id and a test's clock and ids.
    public init(deviceID: String? = nil, environment: LibraryEnvironment = .system) throws {
        library = try Library.create(
            at: directory.path("library.sqlite"), deviceID: deviceID, environment: environment)
    }

    /// Its path.
    public var path: String { library.path }

    /// The library's full export (tombstones included unless told otherwise), as text.
    public func export(includeDeleted: Bool = true) throws -> String {
        try Self.export(library, includeDeleted: includeDeleted)
    }

    /// A library's export as text.
    public static func export(_ library: Library, includeDeleted: Bool = true) throws -> String {
        var data = Data()
        try library.exportJSONLines(includeDeleted: includeDeleted) { data.append($0) }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Fixtures shared by the test targets.
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
