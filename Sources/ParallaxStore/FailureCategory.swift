/// What kind of failure an error is, whichever module raised it: the one vocabulary the front
/// ends map, the CLI to its documented exit codes and the reading app to HTTP statuses, so
/// neither classifies another module's errors case by case or by their messages.
public enum FailureCategory: Sendable, Equatable, CaseIterable {
    /// A library, file, item, remote or device that does not exist.
    case notFound
    /// A reference that names more than one thing.
    case ambiguous
    /// A value or request that is not valid as given.
    case invalidInput
    /// Valid input whose content cannot be used: a page with no article, a damaged bundle, a
    /// report of articles that cannot make one.
    case unprocessable
    /// A request that conflicts with what is there: a name taken, a file the command did not
    /// write, an undo that would lose later edits.
    case conflict
    /// A file that is not a library this build can use.
    case unusableLibrary
    /// Another process holds the library longer than the wait allows.
    case locked
    /// The library or an output cannot be written.
    case notWritable
    /// A bundle signed by a device this library does not trust, or no longer does.
    case untrusted
    /// A web page or a remote that could not be reached, or refused.
    case unavailable
    /// A failure the program did not expect, such as a database error.
    case unexpected
}

/// An error that names its kind of failure.
public protocol CategorizedError: Error {
    /// The kind of failure, which decides the exit code and the HTTP status.
    var category: FailureCategory { get }
}

extension LibraryError: CategorizedError {
    /// The kind of failure.
    public var category: FailureCategory {
        switch self {
        case .missingLibrary, .unknownItem, .unknownHighlight, .unknownFeed, .unknownVersion: .notFound
        case .ambiguousItem: .ambiguous
        case .invalidValue, .invalidSearch: .invalidInput
        case .invalidChange, .missingEarlierChanges: .unprocessable
        case .cannotUndo: .conflict
        case .notALibrary, .newerSchema, .migrationMismatch, .libraryExists: .unusableLibrary
        case .locked: .locked
        case .notWritable: .notWritable
        case .database: .unexpected
        }
    }
}
