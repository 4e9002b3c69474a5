import ArgumentParser
import ParallaxStore
import ParallaxSync

struct SyncCompactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Write a snapshot of this library to a remote, and prune what it makes unneeded.",
        discussion: """
            A snapshot holds the whole library as of now, bodies and images once. A device that \
            joins later starts from it instead of every bundle ever written, and each device \
            deletes its own bundles once the snapshot covers them and every known device has \
            applied them. Pull first, so the snapshot holds what the others wrote. 'sync push' \
            also compacts on its own when that saves enough.
            """)

    @OptionGroup var remoteOptions: RemoteOptions
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try remoteOptions.run(libraryOptions, output, pushed: false) { sync, remote, key in
            try sync.sync(through: remote, encryptionKey: key, compact: true, progress: SyncProgressLine.show)
        }
    }
}
