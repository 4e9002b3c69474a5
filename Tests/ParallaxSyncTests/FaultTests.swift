import Crypto
import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxSync

/// Every damaged, forged or hostile bundle is refused before anything is applied.
@Suite struct FaultTests {
    @Test func testTruncatedBundleLeavesLibraryUnchanged() throws {
        let (laptop, phone) = try BundleTests.pair()
        try laptop.library.add(Fixtures.draft(1))
        let data = try Data(contentsOf: URL(fileURLWithPath: laptop.bundle()))
        let before = try phone.export()
        for length in 0..<data.count {
            let path = phone.directory.write("cut.pxb", data.prefix(length))
            #expect(throws: SyncError.self, "accepted a bundle cut at \(length) bytes") {
                try phone.sync.importBundle(at: path)
            }
        }
        #expect(try phone.export() == before)
        #expect(try phone.library.currentVersion() == 0)
        // A file cut inside the fixed header says so, not that its flags are unknown.
        let tiny = phone.directory.write("tiny.pxb", data.prefix(10))
        #expect(throws: SyncError.malformed(path: tiny, reason: "it is truncated")) {
            try phone.sync.importBundle(at: tiny)
        }
    }

    @Test func testFlippedBitsAreRefused() throws {
        let (laptop, phone) = try BundleTests.pair()
        try laptop.library.add(Fixtures.draft(1))
        let data = try Data(contentsOf: URL(fileURLWithPath: laptop.bundle()))
        var random = SystemRandomNumberGenerator()
        for position in Array(0..<min(64, data.count))
            + (0..<400).map({ _ in Int.random(in: 0..<data.count, using: &random) })
        {
            var damaged = data
            damaged[position] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
            let path = phone.directory.write("flipped.pxb", damaged)
            #expect(throws: SyncError.self, "accepted a bit flip at \(position)") {
                try phone.sync.importBundle(at: path)
            }
        }
        #expect(try phone.export().isEmpty)
    }

    @Test func testBundleSignedByAnotherKeyIsRefused() throws {
        let (laptop, phone) = try BundleTests.pair()
        try laptop.library.add(Fixtures.draft(1))
        let (set, header) = try Self.contents(of: laptop)
        // An attacker who knows the laptop's device id and public key but not its private key.
        let forger = Curve25519.Signing.PrivateKey()
        let (forged, _) = try BundleFormat.encode(set, header: header, signingKey: forger, encryptionKey: nil)
        let path = phone.directory.write("forged.pxb", forged)
        #expect(throws: SyncError.badSignature(path: path)) { try phone.sync.importBundle(at: path) }
        // The same, with the attacker's own key in the header: an untrusted key for that device.
        var claimed = header
        claimed.publicKey = forger.publicKey.rawRepresentation.base64EncodedString()
        let (impostor, _) = try BundleFormat.encode(
            set, header: claimed, signingKey: forger, encryptionKey: nil)
        let impostorPath = phone.directory.write("impostor.pxb", impostor)
        #expect {
            try phone.sync.importBundle(at: impostorPath)
        } throws: { error in
            guard case SyncError.untrusted(_, let device, _) = error else { return false }
            return device == laptop.library.deviceID
        }
        #expect(try phone.export().isEmpty)
    }

    @Test(arguments: [
        ("unknown field", "unknown field"), ("invalid value", "must be 0 or 1"),
        ("unknown entity", "is not a change record"),
        ("clock far ahead", "hours ahead of this machine's clock"),
    ])
    func testInvalidRecordsAreRefused(kind: String, expectedReason: String) throws {
        let (laptop, phone) = try BundleTests.pair()
        let id = try laptop.library.add(Fixtures.draft(1)).item.id
        try laptop.library.setFavorite(id, true)
        var (set, header) = try Self.contents(of: laptop)
        let index = try #require(set.records.firstIndex { $0.field == "favorite" })
        let path: String
        switch kind {
        case "unknown field":
            set.records[index].field = "password"
            path = try Self.write(set, header: header, signedBy: laptop, to: phone)
        case "invalid value":
            set.records[index].value = .text("yes please")
            path = try Self.write(set, header: header, signedBy: laptop, to: phone)
        case "unknown entity":
            // No ChangeRecord can hold an unknown entity, so the payload is written by hand, in
            // the bundle's own layout: bodies after `#body LENGTH` lines, then one record a line.
            let encoder = Library.jsonEncoder()
            var payload = Data()
            for hash in set.bodies.keys.sorted() {
                let text = Data(set.bodies[hash]!.utf8)
                payload.append(Data("#body \(text.count)\n".utf8) + text + Data("\n".utf8))
            }
            for (number, record) in set.records.enumerated() {
                var line = String(decoding: try encoder.encode(record), as: UTF8.self)
                if number == index {
                    line = line.replacingOccurrences(of: "\"entity\":\"item\"", with: "\"entity\":\"folder\"")
                }
                payload.append(Data((line + "\n").utf8))
            }
            let key = Curve25519.Signing.PrivateKey()
            _ = try phone.sync.trust(
                keyLine:
                    "parallax-key:\(laptop.library.deviceID):\(key.publicKey.rawRepresentation.base64EncodedString())"
            )
            header.publicKey = key.publicKey.rawRepresentation.base64EncodedString()
            header.payloadBytes = payload.count
            path = phone.directory.write(
                "folder.pxb", Self.frame(header: header, payload: try Deflate.compress(payload), key: key))
        default:
            set.records[index].hlc = HybridTimestamp(
                milliseconds: Int64(Date().timeIntervalSince1970 * 1000) + 40 * 86_400_000, logical: 0)
            path = try Self.write(set, header: header, signedBy: laptop, to: phone)
        }
        #expect {
            try phone.sync.importBundle(at: path)
        } throws: { error in
            guard case SyncError.malformed(_, let reason) = error else { return false }
            return reason.contains("record \(index + 1)") && reason.contains(expectedReason)
        }
        #expect(try phone.export().isEmpty)
    }

    @Test(arguments: [("saved", "garbage"), ("published", "last spring")])
    func testRecordWithADateThatIsNotOneIsRefused(field: String, value: String) throws {
        let (laptop, phone) = try BundleTests.pair()
        try laptop.library.add(Fixtures.draft(1))
        var (set, header) = try Self.contents(of: laptop)
        set.records[0].row?[field] = .text(value)
        let path = try Self.write(set, header: header, signedBy: laptop, to: phone)
        #expect(throws: SyncError.self) { try phone.sync.importBundle(at: path) }
        #expect(try phone.export().isEmpty)
    }

    @Test(arguments: ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>"])
    func testRecordWithAnAddressThatIsNotAWebAddressIsRefused(address: String) throws {
        let (laptop, phone) = try BundleTests.pair()
        try laptop.library.add(Fixtures.draft(1))
        var (set, header) = try Self.contents(of: laptop)
        set.records[0].row?["url"] = .text(address)
        let path = try Self.write(set, header: header, signedBy: laptop, to: phone)
        #expect {
            try phone.sync.importBundle(at: path)
        } throws: { error in
            guard case SyncError.malformed(_, let reason) = error else { return false }
            return reason.contains("http or https")
        }
        #expect(try phone.export().isEmpty)
    }

    @Test func testBundleChangedAfterItsCheckIsRefusedAsItsPayloadIsRead() throws {
        let (laptop, phone) = try BundleTests.pair()
        try laptop.library.add(Fixtures.draft(1))
        let path = try laptop.bundle()
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        // A remote's listing checks the file once; the import then reads it without a second check.
        let verified = try phone.sync.verifiedBundle(at: path, name: path)
        // Another device rewrites the file in the synced folder in between: same size, one byte
        // of the signed header changed, which only the hash of what is read can show.
        var changed = original
        changed[17] ^= 0x01
        try changed.write(to: URL(fileURLWithPath: path))
        #expect(throws: SyncError.malformed(path: path, reason: "it changed while being read")) {
            try phone.sync.importBundle(at: path, name: path, verified: verified, encryptionKey: nil)
        }
        // A payload byte changed too: refused, whatever the damage reads as first.
        changed = original
        changed[verified.payloadStart + verified.payloadLength / 2] ^= 0x01
        try changed.write(to: URL(fileURLWithPath: path))
        #expect(throws: SyncError.self) {
            try phone.sync.importBundle(at: path, name: path, verified: verified, encryptionKey: nil)
        }
        #expect(try phone.export().isEmpty)
        #expect(try phone.library.currentVersion() == 0)
        // The file as it was checked imports on that one check.
        try original.write(to: URL(fileURLWithPath: path))
        let imported = try phone.sync.importBundle(
            at: path, name: path, verified: verified, encryptionKey: nil)
        #expect(imported.summary.createdItems == 1)
    }

    @Test func testDecompressionBombIsRefusedEarly() throws {
        let (laptop, phone) = try BundleTests.pair()
        let key = Curve25519.Signing.PrivateKey()
        _ = try phone.sync.trust(
            keyLine:
                "parallax-key:\(laptop.library.deviceID):\(key.publicKey.rawRepresentation.base64EncodedString())"
        )
        // 64 MiB of zeros compress to about 64 KiB: a ratio of 1,000 and more.
        let zeros = try Deflate.compress(Data(count: 64 << 20))
        for declared in [64 << 20, 1_000] {
            let header = BundleHeader(
                bundle: ItemID.make(), device: laptop.library.deviceID,
                publicKey: key.publicKey.rawRepresentation.base64EncodedString(),
                created: Timestamp.now(), since: [:], vector: [:], records: 0, bodies: 0,
                payloadBytes: declared)
            let path = phone.directory.write("bomb.pxb", Self.frame(header: header, payload: zeros, key: key))
            #expect(throws: SyncError.self) { try phone.sync.importBundle(at: path) }
        }
        #expect(try phone.export().isEmpty)
    }

    @Test func testNewerFormatVersionIsNamed() throws {
        let (laptop, phone) = try BundleTests.pair()
        var data = try Data(contentsOf: URL(fileURLWithPath: laptop.bundle()))
        data[9] = 6
        let path = phone.directory.write("v6.pxb", data)
        #expect(throws: SyncError.unsupportedVersion(path: path, version: 6)) {
            try phone.sync.importBundle(at: path)
        }
        #expect(
            SyncError.unsupportedVersion(path: path, version: 6).errorDescription
                == "\(path) is a version 6 bundle; this Parallax reads versions 1 to 5 (upgrade Parallax)")
    }

    // MARK: - Helpers

    static func contents(of replica: Replica) throws -> (ChangeSet, BundleHeader) {
        let path = try replica.bundle()
        let (header, set) = try replica.sync.verifiedBundle(at: path)
        return (set, header)
    }

    /// Signs a change set with the replica's own key by exporting through its façade's format.
    static func write(_ set: ChangeSet, header: BundleHeader, signedBy replica: Replica, to receiver: Replica)
        throws -> String
    {
        let key = Curve25519.Signing.PrivateKey()
        _ = try receiver.sync.trust(
            keyLine:
                "parallax-key:\(replica.library.deviceID):\(key.publicKey.rawRepresentation.base64EncodedString())"
        )
        var header = header
        header.publicKey = key.publicKey.rawRepresentation.base64EncodedString()
        let (data, _) = try BundleFormat.encode(set, header: header, signingKey: key, encryptionKey: nil)
        return receiver.directory.write("crafted.pxb", data)
    }

    /// Frames a payload that was compressed by hand, signed with `key`.
    static func frame(header: BundleHeader, payload: Data, key: Curve25519.Signing.PrivateKey) -> Data {
        let headerBytes = try! Library.jsonEncoder().encode(header)
        var data = Data(BundleFormat.magic)
        data.append(contentsOf: [0, 1, 0, 0])
        data.append(contentsOf: withUnsafeBytes(of: UInt32(headerBytes.count).bigEndian) { Array($0) })
        data.append(headerBytes)
        data.append(contentsOf: withUnsafeBytes(of: UInt64(payload.count).bigEndian) { Array($0) })
        data.append(payload)
        let digest = Data(SHA256.hash(data: data))
        data.append(digest)
        data.append(try! key.signature(for: digest))
        return data
    }
}
