import Crypto
import Foundation
import NIOHTTP1

/// HTTP Digest authentication (RFC 7616) for WebDAV servers that refuse Basic: the password
/// never crosses the network, only a hash bound to the server's nonce and the request.
final class DigestSession: @unchecked Sendable {
    private let lock = NSLock()
    private var challenge: DigestChallenge?
    private var count = 0

    /// Takes the Digest challenge of a 401 answer. After a request already sent with Digest, only
    /// a challenge that says the nonce was stale is taken: otherwise the password is wrong.
    /// - Returns: Whether the request should be sent again.
    func accept(_ headers: HTTPHeaders, afterDigest: Bool) -> Bool {
        guard let challenge = headers["WWW-Authenticate"].lazy.compactMap(DigestChallenge.init).first else {
            return false
        }
        return lock.withLock {
            let wasDigest = self.challenge != nil
            guard !(afterDigest && wasDigest) || challenge.stale else { return false }
            self.challenge = challenge
            count = 0
            return true
        }
    }

    /// The `Authorization` value for a request, once the server has sent a challenge.
    func authorization(method: String, uri: String, user: String, password: String) -> String? {
        lock.withLock {
            guard let challenge else { return nil }
            count += 1
            return challenge.authorization(
                method: method, uri: uri, user: user, password: password, count: count,
                clientNonce: UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())
        }
    }
}

/// A server's `WWW-Authenticate: Digest …` challenge.
struct DigestChallenge: Equatable {
    var realm: String
    var nonce: String
    var opaque: String?
    /// `MD5` or `SHA-256` (with or without `-sess`).
    var algorithm: String
    /// Whether the server offers `qop=auth`; without it the older RFC 2069 form is used.
    var quality: Bool
    var stale: Bool

    init?(header: String) {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("digest ") else { return nil }
        let parameters = Self.parameters(String(trimmed.dropFirst(7)))
        guard let realm = parameters["realm"], let nonce = parameters["nonce"] else { return nil }
        self.realm = realm
        self.nonce = nonce
        opaque = parameters["opaque"]
        algorithm = parameters["algorithm"] ?? "MD5"
        quality = (parameters["qop"] ?? "").split(separator: ",").contains {
            $0.trimmingCharacters(in: .whitespaces) == "auth"
        }
        stale = parameters["stale"]?.lowercased() == "true"
        guard ["md5", "md5-sess", "sha-256", "sha-256-sess"].contains(algorithm.lowercased()) else {
            return nil
        }
    }

    func authorization(
        method: String, uri: String, user: String, password: String, count: Int, clientNonce: String
    ) -> String {
        let counter = String(format: "%08x", count)
        var first = hash("\(user):\(realm):\(password)")
        if algorithm.lowercased().hasSuffix("-sess") { first = hash("\(first):\(nonce):\(clientNonce)") }
        let second = hash("\(method):\(uri)")
        let response =
            quality
            ? hash("\(first):\(nonce):\(counter):\(clientNonce):auth:\(second)")
            : hash("\(first):\(nonce):\(second)")
        var fields = [
            "username=\"\(user)\"", "realm=\"\(realm)\"", "nonce=\"\(nonce)\"", "uri=\"\(uri)\"",
            "algorithm=\(algorithm)", "response=\"\(response)\"",
        ]
        if quality { fields += ["qop=auth", "nc=\(counter)", "cnonce=\"\(clientNonce)\""] }
        if let opaque { fields.append("opaque=\"\(opaque)\"") }
        return "Digest " + fields.joined(separator: ", ")
    }

    private func hash(_ text: String) -> String {
        let data = Data(text.utf8)
        let digest: [UInt8] =
            algorithm.lowercased().hasPrefix("sha-256")
            ? Array(SHA256.hash(data: data)) : Array(Insecure.MD5.hash(data: data))
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    /// `key=value` pairs separated by commas, values optionally quoted (with `\` escapes).
    static func parameters(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        var characters = text[...]
        while !characters.isEmpty {
            characters = characters.drop { $0 == " " || $0 == "," }
            let key = characters.prefix { $0 != "=" && $0 != "," }
            characters = characters.dropFirst(key.count)
            guard characters.first == "=" else { continue }
            characters = characters.dropFirst()
            var value = ""
            if characters.first == "\"" {
                characters = characters.dropFirst()
                var escaped = false
                while let character = characters.first {
                    characters = characters.dropFirst()
                    if escaped {
                        value.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        value.append(character)
                    }
                }
            } else {
                value = String(characters.prefix { $0 != "," }).trimmingCharacters(in: .whitespaces)
                characters = characters.drop { $0 != "," }
            }
            result[key.trimmingCharacters(in: .whitespaces).lowercased()] = value
        }
        return result
    }
}
