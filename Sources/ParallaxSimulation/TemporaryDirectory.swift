import Foundation

/// A folder that exists for one test or one benchmark scenario and is deleted with it.
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
