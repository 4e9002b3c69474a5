import ArgumentParser
import Foundation
import ParallaxStore
import ParallaxSync

struct SyncTrustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Trust a device: the one that signed a bundle, or the one a key line names.",
        discussion: "Check the printed fingerprint against 'parallax sync key' on that device.")

    @Argument(
        help: ArgumentHelp(
            "A bundle file, or a key line from 'parallax sync key'.", valueName: "bundle-or-key"))
    var source: String
    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let sync = try LibrarySync(library: libraryOptions.open())
        if !source.hasPrefix("parallax-key:") && !FileManager.default.fileExists(atPath: source) {
            throw Failure(
                message: "'\(source)' is neither a bundle file nor a key line from 'parallax sync key'",
                code: Failure.notFound)
        }
        let trusted =
            source.hasPrefix("parallax-key:")
            ? try sync.trust(keyLine: source) : try sync.trust(bundleAt: source)
        Terminal.line("Trusted device \(trusted.device) (key \(trusted.fingerprint)).")
    }
}
