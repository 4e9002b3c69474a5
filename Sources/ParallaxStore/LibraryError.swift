import Foundation

/// A failure of a library operation, carrying what a user needs to act on it.
public enum LibraryError: Error, Equatable, Sendable {
    /// No library exists at the path.
    case missingLibrary(path: String)
    /// A library already exists where `init` was asked to create one.
    case libraryExists(path: String)
    /// The file is not a Parallax library (another SQLite database, or not SQLite at all).
    case notALibrary(path: String, reason: String)
    /// The library was written by a newer Parallax whose schema this build does not know.
    case newerSchema(path: String, found: String, known: String)
    /// A migration recorded in the library differs from the file this build ships.
    case migrationMismatch(path: String, migration: String)
    /// Another process holds the library's lock longer than the busy timeout.
    case locked(path: String, seconds: Double)
    /// The library, or the folder it lives in, cannot be written.
    case notWritable(path: String)
    /// No item has this id or id prefix.
    case unknownItem(reference: String)
    /// More than one item starts with this prefix.
    case ambiguousItem(reference: String, candidates: [String])
    /// No highlight has this id or id prefix.
    case unknownHighlight(reference: String)
    /// No followed feed has this id, address or outlet.
    case unknownFeed(reference: String)
    /// The version named in `restore` is not one of the item's kept versions.
    case unknownVersion(item: String, version: Int, oldestKept: Int?)
    /// A value given for a field is not valid for it.
    case invalidValue(field: String, value: String, reason: String)
    /// The full-text query could not be parsed.
    case invalidSearch(query: String, reason: String)
    /// A change record cannot be applied to this library.
    case invalidChange(entity: String, row: String, field: String, reason: String)
    /// A bundle continues from changes of a device that this library has not seen yet.
    case missingEarlierChanges(bundle: String, device: String, seen: Int, needed: Int)
    /// `sync undo` cannot revert an import without losing later edits or with part of it pruned.
    case cannotUndo(bundle: String, reason: String)
    /// SQLite reported an error the library does not expect.
    case database(path: String, operation: String, message: String)
}

extension LibraryError: LocalizedError {
    /// A one-line explanation that names what failed and, where there is one, the fix.
    public var errorDescription: String? {
        switch self {
        case .missingLibrary(let path):
            "no library at \(path); create one with 'parallax init' or pass --library PATH"
        case .libraryExists(let path):
            "a library already exists at \(path)"
        case .notALibrary(let path, let reason):
            "\(path) is not a Parallax library (\(reason))"
        case .newerSchema(let path, let found, let known):
            "\(path) was written by a newer Parallax (schema \(found); this build knows \(known)); "
                + "upgrade Parallax to open it"
        case .migrationMismatch(let path, let migration):
            "\(path) applied a migration \(migration) that differs from the one this build ships; "
                + "refusing to open it"
        case .locked(let path, let seconds):
            "\(path) is locked by another process (waited \(Self.format(seconds)) s); try again when it is done"
        case .notWritable(let path):
            "cannot write to \(path): check its permissions and those of its folder"
        case .unknownItem(let reference):
            "no item matches '\(reference)'"
        case .ambiguousItem(let reference, let candidates):
            "'\(reference)' matches several items (\(candidates.joined(separator: ", "))); give more characters"
        case .unknownHighlight(let reference):
            "no highlight matches '\(reference)'"
        case .unknownFeed(let reference):
            "no followed feed matches '\(reference)' (its id, address or outlet, as 'parallax feeds list' shows)"
        case .unknownVersion(let item, let version, let oldestKept):
            if let oldestKept {
                "item \(item) has no version \(version) (the oldest kept is \(oldestKept)); see 'parallax history \(item)'"
            } else {
                "item \(item) has no version \(version); see 'parallax history \(item)'"
            }
        case .invalidValue(let field, let value, let reason):
            "invalid \(field) '\(value)': \(reason)"
        case .invalidSearch(let query, let reason):
            "cannot search for '\(query)': \(reason)"
        case .invalidChange(let entity, let row, let field, let reason):
            "cannot apply change to \(entity) \(row) field \(field): \(reason)"
        case .missingEarlierChanges(let bundle, let device, let seen, let needed):
            "bundle \(bundle.prefix(12)) continues from change \(needed) of device \(device.prefix(10)), but this library "
                + "has seen only up to \(seen); import the earlier bundles first (nothing was changed)"
        case .cannotUndo(let bundle, let reason):
            "cannot undo the import of bundle \(bundle.prefix(12)): \(reason); nothing was changed"
        case .database(let path, let operation, let message):
            "\(path): \(operation) failed: \(message)"
        }
    }

    /// Whether the error is ``missingEarlierChanges(bundle:device:seen:needed:)``, which waits
    /// for other bundles rather than failing.
    public var isMissingEarlierChanges: Bool {
        if case .missingEarlierChanges = self { return true }
        return false
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }
}
