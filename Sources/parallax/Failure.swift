import ArgumentParser
import Foundation
import ParallaxStore

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

    /// The documented exit code of a domain error, decided by its kind; nil for errors the
    /// argument parser reports itself.
    static func exitCode(for error: any Error) -> ExitCode? {
        switch error {
        case let error as any CategorizedError: exitCode(for: error.category)
        case is CocoaError, is POSIXError: .failure
        default: nil
        }
    }

    /// The exit code of each kind of failure, as `parallax --help` documents them.
    static func exitCode(for category: FailureCategory) -> ExitCode {
        switch category {
        case .notFound: notFound
        case .ambiguous: ambiguous
        case .invalidInput, .unprocessable, .conflict: invalidInput
        case .unusableLibrary: unusableLibrary
        case .locked: locked
        case .notWritable: notWritable
        case .untrusted: untrusted
        case .unavailable: fetchFailed
        case .unexpected: .failure
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
