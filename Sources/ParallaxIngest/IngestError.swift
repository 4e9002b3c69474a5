import Foundation
import ParallaxMarkup

/// A failure to read or understand input before it reaches the library.
public enum IngestError: Error, Equatable, Sendable {
    /// The input file does not exist.
    case missingFile(path: String)
    /// The input path is a folder.
    case isDirectory(path: String)
    /// The input could not be read.
    case unreadable(path: String, reason: String)
    /// The input is larger than Parallax reads.
    case tooLarge(name: String, bytes: Int, limit: Int)
    /// The input holds binary data rather than text.
    case binary(name: String)
    /// The input is not valid UTF-8; `offset` is the first bad byte.
    case invalidUTF8(name: String, offset: Int)
    /// The input has no text.
    case empty(name: String)
    /// A web page holds no article text: a front page, a login wall, a script-only page.
    case noArticle(name: String)
    /// A page has more elements than Parallax reads (``HTMLDocument/maximumNodes``).
    case tooComplex(name: String, limit: Int)
    /// An import file's format cannot be told from its name or contents.
    case unknownFormat(name: String)
    /// The file is a JSON document of no format Parallax knows; `shape` says what it holds.
    case unknownJSON(name: String, shape: String)
    /// A line of a JSON Lines file is not a valid article record.
    case invalidRecord(name: String, line: Int, reason: String)
    /// A file as a whole cannot be read as its format: not the export it should be, or damaged.
    case invalidFile(name: String, reason: String)
}

extension IngestError: LocalizedError {
    /// A one-line explanation naming the input.
    public var errorDescription: String? {
        switch self {
        case .missingFile(let path): "no such file: \(path)"
        case .isDirectory(let path): "\(path) is a folder, not a file"
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .tooLarge(let name, let bytes, let limit):
            "\(name) is \(bytes) bytes; Parallax reads articles up to \(limit) bytes"
        case .binary(let name): "\(name) is binary data, not text"
        case .invalidUTF8(let name, let offset):
            "\(name) is not valid UTF-8 text (first bad byte at offset \(offset))"
        case .empty(let name): "\(name) has no text"
        case .unknownFormat(let name):
            "cannot tell what kind of export \(name) is; name it with --format (see parallax import --help)"
        case .unknownJSON(let name, let shape):
            "\(name) is \(shape): not an export Parallax knows (it reads JSON Lines and the JSON of "
                + "Wallabag, Omnivore, Pinboard, Readability, Firefox and Chrome); nothing was imported"
        case .noArticle(let name): "\(name): no article text found in the page"
        case .tooComplex(let name, let limit):
            "\(name): the page has more than \(limit.formatted()) elements and runs of text; Parallax reads pages up to that"
        case .invalidRecord(let name, let line, let reason): "\(name):\(line): \(reason)"
        case .invalidFile(let name, let reason): "\(name): \(reason)"
        }
    }
}
