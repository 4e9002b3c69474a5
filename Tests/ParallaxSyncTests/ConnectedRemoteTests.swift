import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// `SyncRemotes.connect(named:)`, the one way the CLI and the reading app reach a remote.
@Suite struct ConnectedRemoteTests {
    @Test func testANamedRemoteConnectsWithItsSharedKey() throws {
        let temporary = try TemporaryLibrary()
        let folder = TemporaryDirectory()
        let keyFile = folder.write(
            "shared.key", Data(Data(repeating: 7, count: 32).base64EncodedString().utf8))
        for name in ["stick", "plain"] {
            try FileManager.default.createDirectory(
                atPath: folder.path(name), withIntermediateDirectories: true)
        }
        let remotes = SyncRemotes(library: temporary.library)
        try remotes.add(name: "stick", location: folder.path("stick"), keyFile: keyFile)
        try remotes.add(name: "plain", location: folder.path("plain"))

        let stick = try remotes.connect(named: "stick")
        #expect(stick.remote.name == "stick")
        #expect(stick.key?.withUnsafeBytes { Data($0) } == Data(repeating: 7, count: 32))
        #expect(try remotes.connect(named: "plain").key == nil)
        #expect(throws: SyncError.unknownRemote(name: "home", known: ["plain", "stick"])) {
            try remotes.connect(named: "home")
        }
        #expect(throws: SyncError.noRemoteNamed(known: ["plain", "stick"])) {
            try remotes.connect(named: nil)
        }
    }
}
