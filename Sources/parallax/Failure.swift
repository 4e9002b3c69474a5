import ArgumentParser
import Foundation
import ParallaxFraming
import ParallaxIngest
import ParallaxStore
import ParallaxSync

/// A failure the CLI reports as one line on stderr, with its exit code.
struct Failure: Error {
    let message: String
    let code: ExitCode

    static let notFound = ExitCode(2)
    static let ambiguous = ExitCode(3)
    static let invalidInput = ExitCode(4)
    static let unusableLibrary = ExitCode(5)
    static let locked = ExitCode(6)
    static let notWritable = ExitCode(7)
    static let problemsFound = ExitCode(8)
    static let untrusted = ExitCode(9)
    static let fetchFailed = ExitCode(10)

    /// The documented exit code of a domain error; nil for errors the argument parser reports itself.
    static func exitCode(for error: any Error) -> ExitCode? {
        switch error {
        case let error as LibraryError:
            switch error {
            case .missingLibrary, .unknownItem, .unknownHighlight, .unknownVersion: notFound
            case .ambiguousItem: ambiguous
            case .invalidValue, .invalidSearch, .invalidChange, .missingEarlierChanges, .cannotUndo:
                invalidInput
            case .notALibrary, .newerSchema, .migrationMismatch, .libraryExists: unusableLibrary
            case .locked: locked
            case .notWritable: notWritable
            case .database: .failure
            }
        case let error as IngestError:
            switch error {
            case .missingFile: notFound
            default: invalidInput
            }
        case let error as SyncError:
            switch error {
            case .untrusted, .revoked: untrusted
            case .remote, .remoteAuthentication: fetchFailed
            case .unknownRemote, .unknownDevice: notFound
            case .ambiguousDevice: ambiguous
            case .noRemoteNamed(let known): known.isEmpty ? notFound : ambiguous
            case .malformed(_, let reason) where reason == "no such file": notFound
            default: invalidInput
            }
        case let error as SharedKeyFile.Problem:
            switch error {
            case .missing: notFound
            case .invalid: invalidInput
            }
        case is ReportError, is ComparisonError: invalidInput
        case FetchError.unsupportedAddress: invalidInput
        case is FetchError: fetchFailed
        case let error as OutputFileError:
            switch error {
            case .inUse: invalidInput
            case .notWritable: notWritable
            }
        case is CocoaError, is POSIXError: .failure
        default: nil
        }
    }

    static func message(for error: any Error) -> String {
        if let error = error as? CocoaError {
            // Foundation's own errors print as a dump of their user info; name the file instead.
            let path = error.filePath ?? (error.userInfo[NSFilePathErrorKey] as? String) ?? "a file"
            return "\(path): \(error.localizedDescription)"
        }
        return (error as? LocalizedError)?.errorDescription ?? "\(error)"
    }
}
