import Foundation
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// A WebDAV password comes from the environment, then `~/.netrc`, then a prompt; never the library.
@Suite struct RemoteCredentialsTests {
    let directory = TemporaryDirectory()

    func remote(user: String? = nil, location: String = "https://dav.example.org/parallax/") -> SyncRemote {
        SyncRemote(name: "home", location: location, user: user, insecure: false, keyFile: nil, added: "")
    }

    @Test func testTheEnvironmentComesBeforeNetrcAndNetrcBeforeAPrompt() {
        let netrc = directory.write(
            "netrc",
            "machine dav.example.org login me password from-netrc\ndefault login anyone password fallback\n")
        let fromEnvironment = RemoteCredentials.find(
            for: remote(user: "me"), environment: ["PARALLAX_DAV_PASSWORD": "from-env"], netrcPath: netrc)
        #expect(fromEnvironment.user == "me" && fromEnvironment.password == "from-env")
        let fromNetrc = RemoteCredentials.find(for: remote(), environment: [:], netrcPath: netrc)
        #expect(fromNetrc.user == "me" && fromNetrc.password == "from-netrc")
        let asked = RemoteCredentials.find(
            for: remote(user: "you", location: "https://other.example.org/"), environment: [:],
            netrcPath: directory.path("missing")
        ) { _ in "typed" }
        #expect(asked.user == "you" && asked.password == "typed")
        let folder = RemoteCredentials.find(
            for: remote(location: "/media/stick"), environment: ["PARALLAX_DAV_PASSWORD": "x"])
        #expect(folder.user == nil && folder.password == nil)
    }

    @Test func testNetrcEntriesMatchHostAndUserAndSkipMacros() {
        let file = NetrcFile(
            """
            # comment-like words are just skipped tokens
            macdef init
            machine evil.example.org login me password macro

            machine dav.example.org
                login other
                password not-mine
            machine DAV.example.org login me password "two words"
            default login me password fallback
            """)
        #expect(file.entry(forHost: "dav.example.org", user: "me")?.password == "two words")
        #expect(file.entry(forHost: "dav.example.org", user: nil)?.password == "not-mine")
        #expect(file.entry(forHost: "evil.example.org", user: "me")?.password == "fallback")
        #expect(NetrcFile("machine").entries.count == 1 && NetrcFile("").entries.isEmpty)
    }
}
