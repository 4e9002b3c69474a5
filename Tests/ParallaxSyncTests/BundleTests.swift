import Crypto
import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

@Suite struct BundleTests {
    @Test func testBundleCarriesALibraryToATrustingPeer() throws {
        let (laptop, phone) = try Self.pair()
        for number in 1...3 { try laptop.library.add(Fixtures.draft(number)) }
        try laptop.send(to: phone)
        #expect(try phone.state() == laptop.state())
        #expect(try phone.library.checkIntegrity().isEmpty)
    }

    @Test func testIncrementalBundleCarriesOnlyNewChangesAndNoBodies() throws {
        let (laptop, phone) = try Self.pair()
        for number in 1...20 { try laptop.library.add(Fixtures.draft(number)) }
        try laptop.send(to: phone)
        try phone.send(to: laptop)
        let id = try laptop.library.items().first!.id
        try laptop.library.mark(id, as: .read)
        let path = try laptop.bundle(for: phone)
        let (header, set) = try phone.sync.verifiedBundle(at: path)
        #expect(header.records == 2)
        #expect(set.bodies.isEmpty)
        _ = try phone.sync.importBundle(at: path)
        #expect(try phone.state() == laptop.state())
        try phone.send(to: laptop)
        #expect(try laptop.sync.exportBundle(for: phone.library.deviceID).1.records == 0)
    }

    @Test func testALinkAndItsFetchedTextTravelAndTheReceiverCanEditMeanwhile() throws {
        let (laptop, phone) = try Self.pair()
        var link = ItemDraft(title: "https://ledger.example.com/strike", text: "")
        link.url = "https://ledger.example.com/strike"
        link.tags = ["later"]
        let id = try laptop.library.add(link).item.id
        try laptop.send(to: phone)
        #expect(try phone.library.resolve(id).wordCount == 0)
        try phone.library.updateTags(id, adding: ["labour"], removing: [])
        var fetched = ItemDraft(title: "Dockworkers walk out", text: "Dockworkers walked out on Tuesday.")
        fetched.url = link.url
        fetched.source = "The Coastal Ledger"
        try laptop.library.add(fetched, force: true)
        try laptop.send(to: phone)
        try phone.send(to: laptop)
        #expect(try phone.state() == laptop.state())
        let item = try phone.library.resolve(id)
        #expect(
            item.title == "Dockworkers walk out" && item.wordCount == 5 && item.tags == ["labour", "later"])
        #expect(try phone.library.checkIntegrity().isEmpty)
    }

    @Test func testUntrustedAndRevokedDevicesAreRefused() throws {
        let laptop = try Replica()
        let stranger = try Replica()
        try stranger.library.add(Fixtures.draft(1))
        let path = try stranger.bundle()
        #expect(
            throws: SyncError.untrusted(
                path: path, device: stranger.library.deviceID, fingerprint: stranger.sync.fingerprint)
        ) {
            try laptop.sync.importBundle(at: path)
        }
        _ = try laptop.sync.trust(bundleAt: path)
        _ = try laptop.sync.importBundle(at: path)
        #expect(try laptop.sync.revoke(device: stranger.library.deviceID))
        try stranger.library.add(Fixtures.draft(2))
        let second = try stranger.bundle()
        #expect(throws: SyncError.self) { try laptop.sync.importBundle(at: second) }
        #expect(try laptop.library.items().count == 1)
    }

    @Test func testImportingTwiceOrAsDryRunChangesNothing() throws {
        let (laptop, phone) = try Self.pair()
        try laptop.library.add(Fixtures.draft(1))
        let path = try laptop.bundle()
        let dryRun = try phone.sync.importBundle(at: path, dryRun: true)
        #expect(dryRun.summary.applied == 1)
        #expect(try phone.export().isEmpty)
        #expect(try phone.sync.receipts().isEmpty)
        _ = try phone.sync.importBundle(at: path)
        let once = try phone.export()
        let again = try phone.sync.importBundle(at: path)
        #expect(again.summary.alreadyImported)
        #expect(try phone.export() == once)
    }

    @Test func testBundleThatSkipsEarlierChangesIsRefused() throws {
        let (laptop, phone) = try Self.pair()
        try laptop.library.add(Fixtures.draft(1))
        let first = try laptop.bundle()
        let since = try laptop.library.versionVector()
        try laptop.library.add(Fixtures.draft(2))
        let (data, _) = try #require(try laptop.sync.exportBundle(since: since, allowEmpty: false))
        let second = laptop.directory.write("second.pxb", data)
        #expect(throws: LibraryError.self) { try phone.sync.importBundle(at: second) }
        #expect(try phone.export().isEmpty)
        _ = try phone.sync.importBundle(at: first)
        _ = try phone.sync.importBundle(at: second)
        #expect(try phone.state() == laptop.state())
    }

    @Test func testUndoRevertsTheLastImport() throws {
        let (laptop, phone) = try Self.pair()
        let id = try phone.library.add(Fixtures.draft(1)).item.id
        try phone.send(to: laptop)
        try laptop.library.setNote(id, "from the laptop")
        try laptop.library.add(Fixtures.draft(2))
        let before = try phone.export(includingDeleted: false)
        try laptop.send(to: phone)
        #expect(try phone.export(includingDeleted: false) != before)
        let receipt = try #require(try phone.sync.undoLastImport())
        #expect(receipt.undone)
        #expect(try phone.export(includingDeleted: false) == before)
        #expect(try phone.sync.undoLastImport() == nil)
    }

    @Test func testEncryptedBundleNeedsTheSharedKey() throws {
        let (laptop, phone) = try Self.pair()
        try laptop.library.add(Fixtures.draft(1))
        let key = SymmetricKey(size: .bits256)
        let (data, _) = try laptop.sync.exportBundle(encryptionKey: key)
        #expect(data.range(of: Data("Paragraph one".utf8)) == nil)
        let path = laptop.directory.write("secret.pxb", data)
        #expect(throws: SyncError.cannotDecrypt(path: path)) { try phone.sync.importBundle(at: path) }
        #expect(throws: SyncError.keyDoesNotOpen(path: path)) {
            try phone.sync.importBundle(at: path, encryptionKey: SymmetricKey(size: .bits256))
        }
        _ = try phone.sync.importBundle(at: path, encryptionKey: key)
        #expect(try phone.state() == laptop.state())
    }

    @Test func testAnEncryptedBundleIsSealedInChunksThatCannotBeMovedOrDropped() throws {
        let (laptop, phone) = try Self.pair()
        // Text that does not compress, so the payload spans several 1 MiB chunks.
        var generator = SystemRandomNumberGenerator()
        var draft = Fixtures.draft(1)
        draft.text = (0..<600_000).map { _ in String(UInt32.random(in: 0...99_999, using: &generator)) }
            .joined(separator: " ")
        try laptop.library.add(draft)
        let key = SymmetricKey(size: .bits256)
        let path = laptop.directory.path("sealed.pxb")
        try laptop.sync.exportBundle(to: path, encryptionKey: key)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data[9] == 5, "an encrypted bundle is version 5, sealed in chunks as from version 4")
        let chunks = try Self.sealedChunks(of: data)
        #expect(chunks.count >= 2)
        // Chunks swapped, or the last one dropped, and the bundle signed again by its own device
        // (as a holder of the shared key cannot do): each chunk still refuses its new place.
        for payload in [[chunks[1], chunks[0]] + chunks.dropFirst(2), Array(chunks.dropLast())] {
            let forged = try Self.resigned(data, payload: payload.reduce(Data(), +), by: laptop)
            let forgedPath = laptop.directory.write("forged.pxb", forged)
            #expect(throws: SyncError.keyDoesNotOpen(path: forgedPath)) {
                try phone.sync.importBundle(at: forgedPath, encryptionKey: key)
            }
        }
        _ = try phone.sync.importBundle(at: path, encryptionKey: key)
        #expect(try phone.state() == laptop.state())
        // An unencrypted bundle is version 5 too: it may carry followed feeds.
        #expect(try laptop.sync.exportBundle().0[9] == 5)
    }

    @Test func testFolderSyncConvergesThreeDevices() throws {
        let replicas = try Replica.pairedGroup(3)
        let folder = TemporaryDirectory()
        for (index, replica) in replicas.enumerated() { try replica.library.add(Fixtures.draft(index)) }
        // Each device passes on what it learnt from the others once, so the folder goes quiet in three rounds.
        for _ in 0..<3 {
            for replica in replicas { _ = try replica.sync.syncFolder(at: folder.url.path) }
        }
        let exports = try replicas.map { try $0.export() }
        #expect(Set(exports).count == 1)
        #expect(exports[0].split(separator: "\n").count == 3)
        let quiet = try replicas[0].sync.syncFolder(at: folder.url.path)
        #expect(quiet.written == nil && quiet.imported.isEmpty)
    }

    static func pair() throws -> (Replica, Replica) {
        let replicas = try Replica.pairedGroup(2)
        return (replicas[0], replicas[1])
    }
}

extension Replica {
    func export(includingDeleted: Bool) throws -> String {
        try export(includeDeleted: includingDeleted)
    }
}

@Suite struct BodyTravelTests {
    @Test func testBodyTheReceiverAlreadyHoldsIsNotSentAgain() throws {
        let (laptop, phone) = try BundleTests.pair()
        var onPhone = Fixtures.draft(1, url: "https://phone.example.com/same-story")
        onPhone.title = "Saved on the phone"
        try phone.library.add(onPhone)
        try laptop.library.add(Fixtures.draft(1, url: "https://laptop.example.com/same-story"))
        try phone.send(to: laptop)
        let path = try laptop.bundle(for: phone)
        let (header, _) = try phone.sync.verifiedBundle(at: path)
        #expect(header.bodies == 0)
        #expect(header.records > 0)
        _ = try phone.sync.importBundle(at: path)
        #expect(try phone.state() == laptop.state())
        // The new item is indexed with the text the phone already had.
        #expect(try phone.library.checkIntegrity().isEmpty)
        #expect(try phone.library.search("sanctions").count == 2)
    }
}

extension BundleTests {
    /// The sealed chunks of a version 4 payload, each with its length prefix.
    static func sealedChunks(of bundle: Data) throws -> [Data] {
        let headerLength = Int(bundle[12..<16].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        var offset = 24 + headerLength
        let end = bundle.count - 96
        var chunks: [Data] = []
        while offset < end {
            let length = Int(bundle[offset..<(offset + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
            chunks.append(bundle.subdata(in: offset..<(offset + 4 + length)))
            offset += 4 + length
        }
        return chunks
    }

    /// The bundle with another payload, its length, checksum and signature made again.
    static func resigned(_ bundle: Data, payload: Data, by replica: Replica) throws -> Data {
        let headerLength = Int(bundle[12..<16].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        var data = bundle.prefix(16 + headerLength)
        withUnsafeBytes(of: UInt64(payload.count).bigEndian) { data.append(contentsOf: $0) }
        data.append(payload)
        let digest = Data(SHA256.hash(data: data))
        data.append(digest)
        data.append(try replica.sync.signingKey.signature(for: digest))
        return Data(data)
    }
}
