import Foundation

/// The names files on a remote go by (docs/bundle-format.md, "Remotes").
///
/// A listing comes from the server or from whoever can write to the folder, so its names are
/// checked before any is used: a name that is not one Parallax writes is ignored, and a request
/// or a path is only ever made from a name that is one plain file name.
enum RemoteFileName {
    /// Whether a listed name is one a sync reads: `DEVICE10-BUNDLEID.pxb` or
    /// `DEVICE10-applied-HASH.pxv`, where `DEVICE10` is the first ten characters of a device id,
    /// `BUNDLEID` a bundle's id (up to 64 letters, digits, `-` and `_`) and `HASH` up to 16
    /// lowercase hex digits (Parallax writes 16).
    static func isListed(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        if name.hasSuffix(".\(AppliedVector.fileExtension)") {
            let stem = Array(bytes.dropLast(4))
            let marker = Array("-applied-".utf8)
            let hash = stem.reversed().prefix(while: isLowercaseHex).count
            guard (1...16).contains(hash), stem.count > hash + marker.count else { return false }
            let device = stem.dropLast(hash + marker.count)
            return Array(stem.dropLast(hash).suffix(marker.count)) == marker
                && (1...10).contains(device.count) && device.allSatisfy(isIDByte)
        }
        guard name.hasSuffix(".pxb") else { return false }
        let stem = Array(bytes.dropLast(4))
        guard stem.count >= 3, stem.allSatisfy(isIDByte) else { return false }
        // The device's part may itself hold a '-': any split that fits both parts will do.
        return (1...min(10, stem.count)).contains { index in
            index < stem.count && stem[index] == UInt8(ascii: "-")
                && (1...64).contains(stem.count - index - 1)
        }
    }

    /// Whether a name is one plain file name a request path or a folder path may be made from:
    /// up to 255 ASCII letters, digits, `-`, `_` and `.`, and not `.` or `..`. Temporary names
    /// (a `.`, the name, and a suffix) are such names; a `/`, a `%` or a control character never is.
    static func isPlain(_ name: String) -> Bool {
        (1...255).contains(name.utf8.count) && name != "." && name != ".."
            && name.utf8.allSatisfy { isIDByte($0) || $0 == UInt8(ascii: ".") }
    }

    /// Refuses a name that is not ``isPlain(_:)``, before anything is asked of the remote.
    /// - Throws: ``SyncError/remote(location:reason:)``.
    static func checkPlain(_ name: String, in location: String) throws {
        guard isPlain(name) else {
            throw SyncError.remote(
                location: location,
                reason: "'\(name.unicodeScalars.map { $0.escaped(asASCII: true) }.joined())' is not a file "
                    + "name a remote holds")
        }
    }

    private static func isLowercaseHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    /// A letter, a digit, `-` or `_`: what device and bundle ids are made of.
    private static func isIDByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
}
