import Foundation

/// The highest version a library reached on this machine, kept outside its file, per device id
/// and path.
///
/// A library restored from a backup on the machine it was made on is at an earlier version
/// than the one the machine last saw it reach. Working on under the same device id, it would
/// issue the change counters the lost original had issued, and peers that had those changes
/// would take the new ones for them: a silent partition. Opening such a library for writing
/// moves it to a new device id first (``Library/claimHome()``).
///
/// The mark lives in the machine's state folder, not beside the library, so that restoring the
/// library's folder does not restore the mark with it.
struct WriteWatermark: Sendable {
    private let file: URL

    /// The mark of a device's library at a path, in a state folder; nil without one.
    ///
    /// The path is part of the name: a library at another path is a copy, caught by its home
    /// (``Library/claimHome()``), and two libraries given one device id, as tests do, stay apart.
    init?(folder: String?, deviceID: String, libraryPath: String) {
        guard let folder, ItemID.isValidDeviceID(deviceID) else { return nil }
        let key = ContentHash.of("\(deviceID)\u{0}\(Library.homePath(of: libraryPath))").prefix(32)
        file = URL(fileURLWithPath: folder).appendingPathComponent("devices").appendingPathComponent(
            "\(deviceID.prefix(16))-\(key).version")
    }

    /// The highest version recorded; nil when none was, or the mark cannot be read.
    var recorded: Int? {
        (try? String(contentsOf: file, encoding: .utf8)).flatMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// Records a version the library committed, unless a higher one is recorded.
    ///
    /// A mark that cannot be written is skipped: it only ever adds a check, and a library must
    /// not fail a write it has committed.
    func record(_ version: Int) {
        guard (recorded ?? 0) < version else { return }
        let folder = file.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? Data("\(version)\n".utf8).write(to: file, options: .atomic)
    }
}
