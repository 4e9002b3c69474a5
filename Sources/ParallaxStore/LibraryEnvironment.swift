import Foundation

/// Where a library takes its time, its randomness and the name of its machine from.
///
/// Production libraries use ``system``; tests pass their own, so that two devices can run
/// hours apart, a clock can step back, and a failing run replays exactly from its seed.
public struct LibraryEnvironment: Sendable {
    /// The wall clock.
    public var now: @Sendable () -> Date
    /// 64 random bits, for ids.
    public var randomBits: @Sendable () -> UInt64
    /// A stable name of this machine: a library opened on another machine is a copy.
    public var machine: String
    /// This machine's folder for what it remembers of its libraries (``WriteWatermark``); nil
    /// keeps nothing, and a restored backup is then caught only when a peer has seen more of it.
    public var stateFolder: String?
    /// How much of an incoming change stream a merge holds decoded in memory (an estimate of
    /// its records' bytes); a larger stream is staged in a temporary table, which spills to disk.
    /// Tests make it small to merge through the staged path.
    package var heldChangeBytes = 32 << 20

    /// An environment from its parts.
    public init(
        now: @escaping @Sendable () -> Date, randomBits: @escaping @Sendable () -> UInt64, machine: String,
        stateFolder: String? = nil
    ) {
        self.now = now
        self.randomBits = randomBits
        self.machine = machine
        self.stateFolder = stateFolder
    }

    /// The system's clock and random numbers, this machine's id, and its state folder:
    /// `$XDG_STATE_HOME/parallax`, else `~/.local/state/parallax`.
    public static let system = LibraryEnvironment(
        now: { Date() }, randomBits: { UInt64.random(in: .min ... .max) }, machine: machineIdentity(),
        stateFolder: stateFolderOfUser())

    private static func stateFolderOfUser() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/parallax" }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return home + "/.local/state/parallax"
    }

    /// A new time-ordered id (see ``ItemID``).
    public func makeID() -> String {
        var generator = BitSource(draw: randomBits)
        return ItemID.make(
            milliseconds: UInt64(max(0, now().timeIntervalSince1970 * 1000)), using: &generator)
    }

    /// Now, as the library stores dates.
    public func timestamp() -> String { Timestamp.string(from: now()) }

    /// The machine's id from systemd (`/etc/machine-id`), or empty where there is none.
    ///
    /// It survives reboots and upgrades; a copied disk image is the rare case where two machines
    /// share one. A host name would not do: it changes with the network, and each change would
    /// look like a copy. Where the id is empty, only the library's path tells a copy.
    private static func machineIdentity() -> String {
        for path in ["/etc/machine-id", "/var/lib/dbus/machine-id"] {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !id.isEmpty { return id }
            }
        }
        return ""
    }
}

/// Adapts a closure to `RandomNumberGenerator`.
private struct BitSource: RandomNumberGenerator {
    let draw: @Sendable () -> UInt64
    mutating func next() -> UInt64 { draw() }
}
