import Crypto
import Foundation

/// Globally unique, time-ordered identifiers for items and highlights.
///
/// An id is 26 lowercase Crockford base-32 characters: 48 bits of milliseconds since
/// 1970 followed by 80 random bits (the ULID layout). Ids sort by creation time, and two
/// machines making ids at the same millisecond collide with probability 2⁻⁸⁰. An article with
/// a web address takes the id of its address instead (``forAddress(_:)``).
public enum ItemID {
    /// The length of a full id.
    public static let length = 26
    /// The fewest characters printed for a short id: the ten that hold the timestamp, so ids made
    /// at different milliseconds never need more and a printed short id stays valid as items are added.
    public static let minimumShortLength = 10

    static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    /// Makes a new id for the given moment.
    public static func make(at date: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(milliseconds: UInt64(max(0, date.timeIntervalSince1970 * 1000)), using: &generator)
    }

    /// Makes an id from explicit parts, so tests can be deterministic.
    public static func make(milliseconds: UInt64, using generator: inout some RandomNumberGenerator) -> String
    {
        var bytes = [UInt8](repeating: 0, count: 26)
        var time = milliseconds & 0xFFFF_FFFF_FFFF
        for index in stride(from: 9, through: 0, by: -1) {
            bytes[index] = alphabet[Int(time & 31)]
            time >>= 5
        }
        // 80 random bits from two draws: each draw of the system generator is a system call.
        var random = generator.next()
        for index in 10..<26 {
            if index == 22 { random = generator.next() }
            bytes[index] = alphabet[Int(random & 31)]
            random >>= 5
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The id of the article at a canonical address, the same on every device: SHA-256 of the
    /// address, in the id alphabet.
    ///
    /// Two devices that save one address before they sync make the same item, so the sync merges
    /// the two saves field by field instead of keeping two copies (docs/bundle-format.md,
    /// "Saved twice"). Such an id does not sort by time; the ids of articles without an address do.
    public static func forAddress(_ canonicalURL: String) -> String {
        derived(from: "parallax-item\u{0}\(canonicalURL)")
    }

    /// An id that follows from a key alone: its SHA-256, in the id alphabet. Two devices that
    /// make a row for the same key make the same row.
    static func derived(from key: String) -> String {
        var digest = Array(SHA256.hash(data: Data(key.utf8)))
        var bytes = [UInt8](repeating: 0, count: length)
        // 26 characters of 5 bits each are the first 130 bits of the digest.
        var buffer: UInt32 = 0
        var bits = 0
        for index in 0..<length {
            if bits < 5 {
                buffer = buffer << 8 | UInt32(digest.removeFirst())
                bits += 8
            }
            bits -= 5
            bytes[index] = alphabet[Int(buffer >> UInt32(bits) & 31)]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a string may name a device: 1 to 64 ASCII letters, digits, `-` or `_`. Device ids
    /// arrive in bundles and key lines from outside, and are printed and stored.
    public static func isValidDeviceID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count)
            && id.utf8.allSatisfy {
                $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
            }
    }

    /// Whether a string could be a prefix of an id (case-insensitive; I, L and O read as 1, 1 and 0).
    public static func normalizedPrefix(_ reference: String) -> String? {
        var result = ""
        for character in reference.lowercased() {
            switch character {
            case "i", "l": result.append("1")
            case "o": result.append("0")
            default:
                guard let ascii = character.asciiValue, alphabet.contains(ascii) else { return nil }
                result.append(character)
            }
        }
        return result.isEmpty || result.count > length ? nil : result
    }

    /// The length of the shortest prefix of `id` that tells it apart from its sorted neighbours.
    public static func shortLength(of id: String, previous: String?, next: String?) -> Int {
        let shared = max(commonPrefixLength(id, previous), commonPrefixLength(id, next))
        return min(length, max(minimumShortLength, shared + 1))
    }

    private static func commonPrefixLength(_ first: String, _ second: String?) -> Int {
        guard let second else { return 0 }
        return zip(first.utf8, second.utf8).prefix { $0 == $1 }.count
    }
}

extension UInt8 {
    fileprivate var isASCIIAlphanumeric: Bool {
        (48...57).contains(self) || (65...90).contains(self) || (97...122).contains(self)
    }
}
