import Crypto
import Foundation

/// The identity of an article body: the SHA-256 of its UTF-8 text, in lowercase hex.
public enum ContentHash {
    /// Hashes a body.
    public static func of(_ text: String) -> String {
        of(bytes: Data(text.utf8))
    }

    /// Hashes bytes, such as an image's.
    public static func of(bytes: Data) -> String {
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: bytes) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Whether text is a hash as ``of(_:)`` writes it: 64 lowercase ASCII hex digits (Swift's
    /// `isHexDigit` also takes capitals and full-width digits, which never name anything).
    public static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Counts words the way the library's word count does: runs of letters or digits.
    public static func wordCount(of text: String) -> Int {
        var count = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            let isWordCharacter =
                scalar.isASCII
                ? (scalar.value >= 48 && scalar.value <= 57)
                    || (scalar.value | 0x20 >= 97 && scalar.value | 0x20 <= 122)
                : scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            if isWordCharacter && !inWord { count += 1 }
            inWord = isWordCharacter
        }
        return count
    }
}
