import Crypto
import Foundation
import ParallaxStore

/// What a device has applied, as it publishes it on a remote so its peers know which of their
/// bundles it no longer needs (docs/bundle-format.md, "Pruning").
///
/// The file is three lines: a format line, the note as canonical JSON, and the base64 Ed25519
/// signature of that JSON by the device's key. It is named by its content and never rewritten:
/// a device publishes a new one and then deletes its older ones.
struct AppliedVector: Codable, Hashable, Sendable {
    /// The device.
    var device: String
    /// Its Ed25519 public key, base64.
    var publicKey: String
    /// What it had applied.
    var vector: [String: Int]
    /// When it said so.
    var created: String

    enum CodingKeys: String, CodingKey {
        case device, vector, created
        case publicKey = "public_key"
    }

    static let formatLine = "parallax-applied 1"
    static let fileExtension = "pxv"
    static let maximumBytes = 1 << 20

    /// The signed file, and the name it goes under.
    func encoded(signingKey: Curve25519.Signing.PrivateKey) throws -> (name: String, data: Data) {
        let json = try Library.jsonEncoder().encode(self)
        let signature = try signingKey.signature(for: json)
        var data = Data("\(Self.formatLine)\n".utf8)
        data.append(json)
        data.append(Data("\n\(signature.base64EncodedString())\n".utf8))
        let digest = SHA256.hash(data: json).prefix(8).map { String(format: "%02x", $0) }.joined()
        return ("\(device.prefix(10))-applied-\(digest).\(Self.fileExtension)", data)
    }

    /// Reads a published vector and checks its signature against the key it names.
    /// - Throws: ``SyncError/invalidVector(path:reason:)`` or ``SyncError/badSignature(path:)``.
    static func decode(_ data: Data, name path: String) throws -> AppliedVector {
        guard data.count <= maximumBytes else {
            throw SyncError.invalidVector(path: path, reason: "it is larger than 1 MiB")
        }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.count >= 3, String(decoding: lines[0], as: UTF8.self) == formatLine else {
            throw SyncError.invalidVector(path: path, reason: "it does not start with its format line")
        }
        let json = Data(lines[1])
        guard let note = try? JSONDecoder().decode(AppliedVector.self, from: json),
            ItemID.isValidDeviceID(note.device), note.vector.values.allSatisfy({ $0 >= 0 }),
            let key = Data(base64Encoded: note.publicKey),
            let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key)
        else { throw SyncError.invalidVector(path: path, reason: "its note cannot be read") }
        guard let signature = Data(base64Encoded: String(decoding: lines[2], as: UTF8.self)),
            publicKey.isValidSignature(signature, for: json)
        else { throw SyncError.badSignature(path: path) }
        return note
    }
}
