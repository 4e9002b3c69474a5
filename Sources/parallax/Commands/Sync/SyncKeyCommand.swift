import ArgumentParser
import Crypto
import Foundation
import ParallaxStore
import ParallaxSync

struct SyncKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Print this device's public key and fingerprint, to give to a peer.",
        discussion: """
            The peer runs 'parallax sync trust KEY'. Compare the fingerprint on both machines. \
            --new-shared-key prints a fresh 32-byte key for encrypted bundles instead; save it to \
            a file on each machine and pass it with --key-file.
            """)

    @Flag(help: "Print a new shared key for encrypting bundles.") var newSharedKey = false
    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        if newSharedKey {
            return Terminal.line(
                SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString())
        }
        let sync = try LibrarySync(library: libraryOptions.openForReading())
        Terminal.line(sync.publicKeyLine)
        Terminal.line("fingerprint \(sync.fingerprint)")
    }
}
