import Foundation

/// Path arithmetic that does not crash: swift-corelibs-foundation's
/// `NSString.deletingLastPathComponent` traps on a one-character path such as `c`.
public enum FilePaths {
    /// The folder part of a path, as `deletingLastPathComponent` means it: `""` for a bare file
    /// name, `/` for a file at the root.
    public static func folder(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }
}
