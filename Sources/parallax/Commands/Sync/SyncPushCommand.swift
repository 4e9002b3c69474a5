import ArgumentParser
import ParallaxStore
import ParallaxSync

struct SyncPushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Write this device's new changes to a remote, and prune what every device has applied.",
        discussion: """
            One bundle of what the remote's files do not hold yet is uploaded under a temporary \
            name and moved into place. Then this device deletes its own files that every device \
            known on the remote has applied and a snapshot covers; when the files kept only for \
            devices that may join later grow past a share of the snapshot, a new snapshot is \
            written first.
            """)

    @OptionGroup var remoteOptions: RemoteOptions
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try remoteOptions.run(libraryOptions, output, pushed: true) { sync, remote, key in
            try sync.push(to: remote, encryptionKey: key, progress: SyncProgressLine.show)
        }
    }
}
