import ArgumentParser
import Crypto
import Foundation
import ParallaxStore
import ParallaxSync

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Sync libraries between machines by exchanging bundle files, with no server.",
        discussion: """
            A bundle carries only what the other machine lacks, compressed and signed by this \
            device. Carry it any way you like (a USB stick, e-mail, a folder kept in step by \
            Syncthing or Dropbox). Each library accepts bundles only from devices it trusts:

              laptop$ parallax sync key                     # prints this device's key
              phone$  parallax sync trust parallax-key:…    # trust the laptop
              laptop$ parallax sync export -o laptop.pxb
              phone$  parallax sync import laptop.pxb

            or add a remote once (a folder, or a WebDAV server such as Nextcloud) and run \
            'parallax sync NAME' on every machine:

              parallax sync remote add home https://cloud.example.org/remote.php/dav/files/me/parallax --user me
              parallax sync home
            """,
        subcommands: [
            SyncNowCommand.self, SyncPushCommand.self, SyncPullCommand.self, SyncRemoteCommand.self,
            SyncCompactCommand.self, SyncForgetCommand.self, SyncDirCommand.self, SyncExportCommand.self,
            SyncImportCommand.self, SyncStatusCommand.self, SyncKeyCommand.self, SyncTrustCommand.self,
            SyncRevokeCommand.self, SyncUndoCommand.self,
        ],
        defaultSubcommand: SyncNowCommand.self)
}

/// The option that names a shared key for encrypted bundles.
struct EncryptionOptions: ParsableArguments {
    @Option(
        name: .customLong("key-file"),
        help: ArgumentHelp(
            "Encrypt (or decrypt) the payload with the shared library key in this file.",
            discussion: "Make one with 'parallax sync key --new-shared-key' and copy it to each machine.",
            valueName: "file"))
    var keyFile: String?

    /// The key, when a file was given.
    func key() throws -> SymmetricKey? {
        try keyFile.map(SharedKeyFile.read)
    }
}

/// Renders what an import changed.
enum SyncRendering {
    static func describe(_ result: BundleImport) -> String {
        let verb = result.dryRun ? "would apply" : "applied"
        if result.summary.alreadyImported { return "\(result.path): already imported; nothing to do" }
        let summary = result.summary
        return
            "\(result.path): from device \(result.header.device.prefix(10)): \(verb) \(summary.applied) of "
            + "\(counted(result.header.records, "change")) (\(counted(summary.createdItems, "new item")), "
            + "\(summary.superseded) already known or older)"
    }

    /// "1 change", "2 changes".
    static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
