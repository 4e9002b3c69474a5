import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxIngest

/// The private-address check that keeps a page from the web from making Parallax fetch from the
/// reader's own network: every range, every IPv6 form that carries an IPv4 address, and hosts
/// that cannot be told, which are refused.
@Suite struct NetworkAddressTests {
    static let privateAddresses = [
        // IPv4: private, shared (CGNAT), loopback, link-local, "this network", reserved ranges,
        // multicast and broadcast.
        "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1", "100.127.255.255",
        "127.0.0.1", "169.254.169.254", "0.0.0.0", "0.1.2.3", "192.0.0.8", "192.0.2.2", "192.88.99.1",
        "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250",
        "240.0.0.1", "255.255.255.255",
        // IPv6: loopback, unspecified, link-local, site-local, unique local, multicast, discard,
        // local-use NAT64, Teredo, documentation.
        "::1", "::", "fe80::1", "fec0::1", "fd00::1", "fc00::1", "ff02::1", "100::1", "64:ff9b:1::1",
        "2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:db8::1", "3fff::1",
        // IPv4 inside IPv6: mapped, compatible, translated, NAT64, 6to4.
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "::ffff:0:192.168.0.1", "64:ff9b::7f00:1",
        "64:ff9b::a00:1", "2002:c0a8:0101::1", "2002:7f00:1::", "2002:a9fe:a9fe::1", "2002::1",
    ]

    static let publicAddresses = [
        "93.184.216.34", "8.8.8.8", "100.63.255.255", "100.128.0.1", "172.32.0.1", "192.169.0.1",
        "2606:4700::1111", "2a00:1450:4001::1", "64:ff9b::808:808", "::ffff:8.8.8.8", "2002:5db8:d822::1",
    ]

    @Test func testEveryPrivateOrReservedRangeIsPrivateHoweverTheAddressIsWritten() {
        for address in Self.privateAddresses {
            #expect(NetworkAddress.isPrivateLiteral(address) == true, "\(address)")
            #expect(NetworkAddress.reach(of: address) == .privateNetwork, "\(address)")
        }
    }

    @Test func testPublicAddressesArePublicAndAreWhereTheFetchConnects() {
        for address in Self.publicAddresses {
            #expect(NetworkAddress.isPrivateLiteral(address) == false, "\(address)")
            #expect(NetworkAddress.reach(of: address) == .publicAddress(address), "\(address)")
        }
        #expect(NetworkAddress.reach(of: "[2606:4700::1111]") == .publicAddress("2606:4700::1111"))
    }

    @Test func testAnAddressScopedToAnInterfaceIsPrivate() throws {
        let host = try #require(URL(string: "http://[fe80::1%25lo]/")?.host)
        #expect(NetworkAddress.reach(of: host) == .privateNetwork)
        #expect(NetworkAddress.reach(of: "[fe80::1%eth0]") == .privateNetwork)
        #expect(NetworkAddress.reach(of: "2606:4700::1111%lo") == .privateNetwork)
    }

    @Test func testAHostThatCannotBeToldPublicIsNotPublic() {
        for host in ["", "[]", "fe80::zz", "1:2:3", "::ffff:1.2.3.4.5", "%lo", "zz::1%lo"] {
            #expect(NetworkAddress.reach(of: host) == .unknown, "\(host)")
            #expect(!NetworkAddress.isPrivate(host: host), "\(host)")
        }
    }

    @Test func testNamesAndLegacySpellingsOfThisMachineArePrivate() {
        for host in [
            "localhost", "LOCALHOST.", "app.localhost", "printer.local", "127.1", "0x7f000001", "2130706433",
        ] {
            #expect(NetworkAddress.reach(of: host) == .privateNetwork, "\(host)")
        }
    }

    @Test func testAnImageOnAScopedOrTunnelledPrivateAddressIsRefusedBeforeAnyConnection() async throws {
        let server = try LocalHTTPServer { _ in .init(contentType: "image/png", body: TestImages.png()) }
        defer { server.stop() }
        let port = try #require(URL(string: server.baseURL)?.port)
        var draft = ItemDraft(title: "Port", text: "Ships wait.")
        draft.html = [
            "http://[fe80::1%25lo]/photo.png", "http://[fe80::1%25lo]:\(port)/photo.png",
            "http://[2002:7f00:1::]:\(port)/photo.png", "http://[::ffff:7f00:1]:\(port)/photo.png",
        ].map { #"<p><img src="\#($0)" /></p>"# }.joined()
        let report = await ImageFetcher().fetchImages(for: &draft, pageURL: "https://news.example.com/port")
        #expect(report.kept == 0 && report.problems.count == 4, "\(report.problems)")
        #expect(report.problems.allSatisfy { $0.contains("private network") }, "\(report.problems)")
        #expect(server.requests.isEmpty)
    }

    @Test func testTheFetchConnectsToTheCheckedAddressNotToANewLookupOfTheName() async throws {
        let server = try LocalHTTPServer { path in
            path == "/photo.png"
                ? .init(contentType: "image/png", body: TestImages.png()) : .init(status: 404)
        }
        defer { server.stop() }
        let port = try #require(URL(string: server.baseURL)?.port)
        var policy = FetchPolicy()
        policy.content = .image
        // `.invalid` never resolves: the page arrives only if the connection goes to the pinned address.
        let page = try await PageFetcher(policy: policy).fetch(
            "http://images.parallax.invalid:\(port)/photo.png", connectingTo: "127.0.0.1")
        #expect(page.data == TestImages.png())
        #expect(server.requests == ["/photo.png"])
    }
}
