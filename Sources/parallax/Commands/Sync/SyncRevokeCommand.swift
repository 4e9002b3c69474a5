import ArgumentParser
import ParallaxStore
import ParallaxSync

struct SyncRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Stop trusting a device; its bundles are refused from now on.")

    @Argument(help: ArgumentHelp("The device id, or a unique prefix of it.", valueName: "device")) var device:
        String
    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let sync = try LibrarySync(library: libraryOptions.open())
        let matches = try sync.trustedDevices().filter { $0.id.hasPrefix(device) && $0.revoked == nil }
        guard matches.count == 1 else {
            throw Failure(
                message: matches.isEmpty
                    ? "no trusted device matches '\(device)'" : "'\(device)' matches several devices",
                code: matches.isEmpty ? Failure.notFound : Failure.ambiguous)
        }
        try sync.revoke(device: matches[0].id)
        Terminal.line("Revoked device \(matches[0].id).")
    }
}
