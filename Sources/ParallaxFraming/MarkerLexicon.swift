import Foundation
import ParallaxLexicons

/// A named list of marker words (attribution verbs, hedges, intensifiers, loaded terms).
public struct MarkerLexicon: Sendable, Hashable {
    /// Its name, from its file name.
    public var name: String
    /// Its words, lowercase.
    public var words: Set<String>

    /// Parses a lexicon file: one word or phrase a line (its base form: ``LexiconMatcher`` finds
    /// the inflections), `#` starts a comment.
    public init(name: String, text: String) {
        self.name = name
        words = Set(
            text.split(separator: "\n").map {
                $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
    }

    /// The lexicons shipped in `Reports/lexicons/`.
    public static var shipped: [MarkerLexicon] {
        ShippedLexicons.all.map { MarkerLexicon(name: $0.name, text: $0.text) }
    }

    /// The lexicons of a folder of `.txt` files, for readers who keep their own.
    /// - Throws: when the folder cannot be read or holds no lexicon.
    public static func load(folder: String) throws -> [MarkerLexicon] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter {
            $0.hasSuffix(".txt")
        }.sorted()
        return try names.map { name in
            MarkerLexicon(
                name: String(name.dropLast(4)),
                text: try String(
                    contentsOfFile: (folder as NSString).appendingPathComponent(name), encoding: .utf8))
        }
    }
}

/// Splits text into sentences, for quoting each marker in context (``SentenceSpans`` without
/// the offsets).
enum Sentences {
    static func of(_ text: String) -> [String] {
        SentenceSpans.of(text).map(\.text)
    }
}
