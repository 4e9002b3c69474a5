import Crypto
import Foundation

/// The file that holds a library's shared encryption key: one line of base64, 32 bytes.
public enum SharedKeyFile {
    /// Why a key file cannot be used.
    public enum Problem: Error, Sendable {
        /// No file at the path.
        case missing(path: String)
        /// The file is not one short line of a 32-byte key in base64.
        case invalid(path: String)
    }

    /// Reads the key.
    ///
    /// A key file is one short line; anything else (a folder, a FIFO, /dev/zero) is not read.
    /// - Throws: ``Problem``.
    public static func read(_ path: String) throws -> SymmetricKey {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw Problem.missing(path: path)
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular,
            (attributes[.size] as? Int ?? 0) <= 4_096,
            let text = try? String(contentsOfFile: path, encoding: .utf8),
            let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
            bytes.count == 32
        else { throw Problem.invalid(path: path) }
        return SymmetricKey(data: bytes)
    }
}

extension SharedKeyFile.Problem: LocalizedError {
    /// The one line a user reads.
    public var errorDescription: String? {
        switch self {
        case .missing(let path): "\(path): no such key file"
        case .invalid(let path): "\(path) does not hold a shared key (32 bytes, base64)"
        }
    }
}
