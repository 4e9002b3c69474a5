import ArgumentParser
import ParallaxStore
import ParallaxSync

struct SyncPullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Import other devices' new bundles from a remote.",
        discussion: """
            Only files not seen before are downloaded; each is verified (signature, trusted \
            device, checksums) before anything is applied, and merged in one transaction. Files \
            that do not verify yet are skipped and named. Then this device publishes what it has \
            applied, so the others can prune.
            """)

    @OptionGroup var remoteOptions: RemoteOptions
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try remoteOptions.run(libraryOptions, output, pushed: false) { sync, remote, key in
            try sync.pull(from: remote, encryptionKey: key, progress: SyncProgressLine.show)
        }
    }
}
