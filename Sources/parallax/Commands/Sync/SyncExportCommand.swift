import ArgumentParser
import Foundation
import ParallaxStore
import ParallaxSync

struct SyncExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a bundle of this library's changes.",
        discussion: """
            With --for DEVICE, only what that device had not seen when it last sent a bundle here; \
            otherwise everything. The file is written whole or not at all.
            """)

    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp("The bundle file to write.", valueName: "file"))
    var output: String
    @Option(name: .customLong("for"), help: ArgumentHelp("Only what this device lacks.", valueName: "device"))
    var device: String?
    @OptionGroup var encryption: EncryptionOptions
    @OptionGroup var libraryOptions: LibraryOptions

    func validate() throws { try StandardOutput.refuse(output) }

    func run() throws {
        let sync = try LibrarySync(library: libraryOptions.open())
        let peer = try device.map { prefix in
            // A unique prefix of a trusted device's id, as `sync status` prints them, names it.
            let known = Set(try sync.trustedDevices().map(\.id) + sync.peers().map(\.device))
            let matches = known.filter { $0.hasPrefix(prefix) }
            guard matches.count <= 1 else {
                throw Failure(message: "'\(prefix)' matches several devices", code: Failure.ambiguous)
            }
            return matches.first ?? prefix
        }
        let header = try sync.exportBundle(for: peer, to: output, encryptionKey: encryption.key())
        let bytes = (try? FileManager.default.attributesOfItem(atPath: output))?[.size] as? Int ?? 0
        Terminal.line(
            "Wrote \(output): \(header.records) changes, \(header.bodies) article texts"
                + (header.assets > 0 ? ", \(header.assets) images" : "") + ", \(bytes) bytes."
        )
        if header.records == 0 {
            Terminal.line("It tells the other device what this library has seen, so it sends less.")
        }
    }
}
