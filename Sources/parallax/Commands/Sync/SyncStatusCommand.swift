import ArgumentParser
import ParallaxStore
import ParallaxSync

struct SyncStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show this device, what it has seen, trusted devices, peers and recent imports.")

    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let status = try LibrarySync(library: libraryOptions.openForReading()).status()
        if output.json { return try Terminal.printJSON(status) }
        Terminal.line("Device   \(status.device)  (key \(status.fingerprint))")
        Terminal.line(
            "Seen     "
                + status.vector.counters.sorted { $0.key < $1.key }.map { "\($0.key.prefix(10)):\($0.value)" }
                .joined(separator: "  "))
        for device in status.trusted {
            Terminal.line(
                "Trusts   \(device.device.prefix(10))  key \(device.fingerprint)\(device.revoked ? "  (revoked)" : "")"
            )
        }
        for peer in status.peers {
            Terminal.line(
                "Peer     \(peer.device.prefix(10)) had seen \(peer.vector.counters.values.reduce(0, +)) changes on \(peer.seen)"
            )
        }
        for receipt in status.receipts {
            Terminal.line(
                "Imported \(receipt.bundle.prefix(12)) from \(receipt.device.prefix(10)) on \(receipt.imported): "
                    + "\(receipt.applied) applied, \(receipt.superseded) known\(receipt.undone ? " (undone)" : "")"
            )
        }
    }
}
