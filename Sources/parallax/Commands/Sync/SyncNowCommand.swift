import ArgumentParser
import ParallaxStore
import ParallaxSync

struct SyncNowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "now",
        abstract: "Pull then push through a remote: 'parallax sync NAME' for short.",
        discussion: """
            The everyday command: run it on each machine from time to time. It imports what the \
            other devices wrote, writes what this device has that the remote lacks, and prunes.
            """)

    @OptionGroup var remoteOptions: RemoteOptions
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try remoteOptions.run(libraryOptions, output, pushed: true) { sync, remote, key in
            try sync.sync(through: remote, encryptionKey: key, progress: SyncProgressLine.show)
        }
    }
}
