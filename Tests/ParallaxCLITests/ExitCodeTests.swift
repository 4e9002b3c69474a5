import ArgumentParser
import Foundation
import ParallaxFiles
import ParallaxFraming
import ParallaxIngest
import ParallaxStore
import ParallaxSync
import Testing

@testable import parallax

/// Each module's errors reach the exit code `parallax --help` documents through their kind of
/// failure, never through their messages.
@Suite struct ExitCodeTests {
    /// An error and the exit code it must give.
    struct Case: Sendable, CustomTestStringConvertible {
        let error: any Error & Sendable
        let code: Int32
        var testDescription: String { "\(error) → \(code)" }
        init(_ error: any Error & Sendable, _ code: Int32) { (self.error, self.code) = (error, code) }
    }

    static let cases: [Case] = [
        Case(LibraryError.unknownItem(reference: "zz"), 2),
        Case(SyncError.missingBundle(path: "/stick/a.pxb"), 2),
        Case(SyncError.malformed(path: "/stick/a.pxb", reason: "no such file"), 4),
        Case(IngestError.missingFile(path: "gone.txt"), 2),
        Case(SharedKeyFile.Problem.missing(path: "key"), 2),
        Case(LibraryError.ambiguousItem(reference: "a", candidates: ["ab", "ac"]), 3),
        Case(SyncError.noRemoteNamed(known: ["a", "b"]), 3),
        Case(SyncError.noRemoteNamed(known: []), 2),
        Case(LibraryError.invalidValue(field: "state", value: "x", reason: "no"), 4),
        Case(IngestError.noArticle(name: "page.html"), 4),
        Case(SyncError.remoteExists(name: "usb"), 4),
        Case(OutputFileError.inUse(path: "a.json", reason: "not ours"), 4),
        Case(ReportError.noArticles, 4),
        Case(LibraryError.newerSchema(path: "l", found: "store 99", known: "up to store 13"), 5),
        Case(LibraryError.locked(path: "l", seconds: 5), 6),
        Case(OutputFileError.notWritable(path: "a.json", reason: "read-only"), 7),
        Case(SyncError.revoked(path: "b.pxb", device: "d"), 9),
        Case(SyncError.remote(location: "https://dav.example/", reason: "timed out"), 10),
        Case(FetchError.unsupportedAddress("ftp://example.com/"), 4),
        Case(LibraryError.database(path: "l", operation: "read", message: "disk I/O error"), 1),
    ]

    @Test(arguments: cases)
    func testEachKindOfFailureHasItsDocumentedExitCode(_ example: Case) {
        #expect(Failure.exitCode(for: example.error)?.rawValue == example.code)
    }

    @Test func testAnErrorOfNoKnownKindIsLeftToTheArgumentParser() {
        #expect(Failure.exitCode(for: ValidationError("bad")) == nil)
    }
}
