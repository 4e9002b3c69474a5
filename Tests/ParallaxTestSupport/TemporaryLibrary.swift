import Foundation
import ParallaxStore

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
