import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// An item's HTML travels in bundles once, merges like any field, and bundles written before it
/// existed are still read.
@Suite struct ArticleHTMLSyncTests {
    static let html = #"<p>Ships wait.</p><table><tr><td>East</td><td>14</td></tr></table>"#

    @Test func testHTMLTravelsOnceAndALaterBundleDoesNotCarryItAgain() throws {
        let (laptop, phone) = try BundleTests.pair()
        var draft = Fixtures.draft(1)
        draft.html = Self.html
        let item = try laptop.library.add(draft).item
        try laptop.send(to: phone)
        #expect(try phone.library.articleHTML(ofItem: item.id) == Self.html)
        try phone.send(to: laptop)
        try laptop.library.setNote(item.id, "read later")
        let (header, set) = try phone.sync.verifiedBundle(at: try laptop.bundle(for: phone))
        #expect(header.bodies == 0 && set.bodies.isEmpty)
        // A second article with the same HTML: its text travels, the HTML the phone holds does not.
        var second = Fixtures.draft(2)
        second.html = Self.html
        try laptop.library.add(second)
        let (_, withSecond) = try phone.sync.verifiedBundle(at: try laptop.bundle(for: phone))
        #expect(withSecond.bodies.count == 1 && !withSecond.bodies.values.contains(Self.html))
        try laptop.send(to: phone)
        #expect(try phone.state() == laptop.state())
    }

    @Test func testNewerHTMLWinsOnEveryReplicaWhateverTheOrder() throws {
        let (laptop, phone) = try BundleTests.pair()
        let item = try laptop.library.add(Fixtures.draft(1)).item
        try laptop.send(to: phone)
        var refetched = Fixtures.draft(1)
        refetched.html = Self.html
        try phone.library.add(refetched, force: true)
        try phone.send(to: laptop)
        try laptop.send(to: phone)
        #expect(try laptop.library.articleHTML(ofItem: item.id) == Self.html)
        #expect(try phone.state() == laptop.state())
    }

    @Test func testVersion2BundleFromAnOlderParallaxIsStillRead() throws {
        let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Resources")
        let replica = try Replica()
        let keyLine = try String(
            contentsOf: resources.appendingPathComponent("version2-key.txt"), encoding: .utf8)
        _ = try replica.sync.trust(keyLine: keyLine.trimmingCharacters(in: .whitespacesAndNewlines))
        try replica.sync.importBundle(at: resources.appendingPathComponent("version2.pxb").path)
        let items = try replica.library.items(matching: ItemFilter())
        #expect(items.map(\.title) == ["Ports reopen after strike"])
        #expect(try replica.library.articleHTML(ofItem: items[0].id) == nil)
    }
}
