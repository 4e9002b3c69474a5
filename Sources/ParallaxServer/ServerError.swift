import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ParallaxStore

/// A request the server refuses, with the status and the one line a page shows for it.
enum ServerError: Error, Sendable {
    /// A form field is missing or not valid.
    case badField(_ field: String, _ reason: String)
    /// The body is larger than the route accepts.
    case tooLarge(limit: Int)
    /// No session cookie, or one this server did not issue.
    case signedOut
    /// A state-changing request without the session's CSRF token, or from another site.
    case forgedRequest
    /// A bookmarklet's save with a missing or wrong save token.
    case badSaveToken
    /// A `Host` header that names neither this server's address nor a name of it.
    case unknownHost(String)
    /// No page at this address.
    case notFound(String)
    /// Too many wrong sign-in tokens in a short time.
    case throttled
    /// Too many requests of a kind at once.
    case busy
    /// A bookmarklet's save that was never staged, or was saved or dropped already.
    case unknownPendingSave
}

/// How a failure shows: its status, the page's heading and its line, and whether to retry.
struct FailurePage: Sendable {
    var status: HTTPResponse.Status
    var title: String
    var message: String
    var retryAfter: Int?

    /// The page for any error a handler throws; what is not known is a 500 that names it.
    init(_ error: any Error) {
        self =
            switch error {
            case let error as ServerError: Self.page(server: error)
            case let error as any CategorizedError: Self.page(error.category, Self.describe(error))
            case is NIOTooManyBytesError:
                Self(.contentTooLarge, "Too large", "The request is larger than allowed.")
            case let error as HTTPError: Self(error.status, error.status.reasonPhrase, error.body ?? "")
            default: Self(.internalServerError, "Something went wrong", Self.describe(error))
            }
    }

    private init(_ status: HTTPResponse.Status, _ title: String, _ message: String, retryAfter: Int? = nil) {
        (self.status, self.title, self.message, self.retryAfter) = (status, title, message, retryAfter)
    }

    private static func page(server error: ServerError) -> Self {
        switch error {
        case .badField(let field, let reason): Self(.badRequest, "Bad input", "\(field): \(reason)")
        case .tooLarge(let limit):
            Self(.contentTooLarge, "Too large", "The request is larger than \(limit / 1024) KiB.")
        case .signedOut:
            Self(
                .unauthorized, "Sign in",
                "Open the login link that 'parallax serve' printed (run it again for a new one).")
        case .forgedRequest:
            Self(
                .forbidden, "Refused",
                "The request did not come from a Parallax page; reload the page and try again.")
        case .badSaveToken:
            Self(
                .forbidden, "Refused",
                "The save token is missing or wrong; add the bookmarklet again from the Save page.")
        case .unknownHost(let host):
            Self(.misdirectedRequest, "Wrong address", "This server does not answer for the host '\(host)'.")
        case .notFound(let path): Self(.notFound, "Not found", "No page at \(path).")
        case .throttled:
            Self(
                .tooManyRequests, "Too many attempts",
                "Too many wrong tokens; wait a minute before signing in again.", retryAfter: 60)
        case .busy:
            Self(
                .serviceUnavailable, "Busy", "Other pages are being saved; try again in a moment.",
                retryAfter: 2)
        case .unknownPendingSave:
            Self(
                .notFound, "Nothing to save",
                "This save was made already, or waited too long; click the bookmarklet again.")
        }
    }

    /// The status and title of each kind of failure, as the CLI has an exit code for each.
    private static func page(_ category: FailureCategory, _ line: String) -> Self {
        switch category {
        case .notFound: Self(.notFound, "Not found", line)
        case .ambiguous, .invalidInput: Self(.badRequest, "Bad input", line)
        case .unprocessable: Self(.unprocessableContent, "Cannot be done", line)
        case .conflict: Self(.conflict, "Cannot be done", line)
        case .locked:
            Self(
                .serviceUnavailable, "The library is busy", line + " The page will try again.", retryAfter: 5)
        case .notWritable: Self(.serviceUnavailable, "The library is read-only", line)
        case .untrusted: Self(.unprocessableContent, "Refused", line)
        case .unavailable: Self(.badGateway, "Could not reach it", line)
        case .unusableLibrary, .unexpected: Self(.internalServerError, "Something went wrong", line)
        }
    }

    private static func describe(_ error: any Error) -> String {
        (error as? LocalizedError)?.errorDescription ?? "\(error)"
    }
}
