import ArgumentParser
import ParallaxStore
import ParallaxSync

struct SyncForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Stop waiting for a device before pruning remotes (a lost phone, an old copy).",
        discussion: """
            A bundle is pruned only once every device known on the remote has applied it, so \
            one device that stopped syncing keeps every file. Forget it, on each device that \
            prunes, and its files go too once the others have applied them. It can still sync: \
            it then starts again from the snapshot. Trust is unchanged ('sync revoke' for that).
            """)

    @Argument(
        help: ArgumentHelp(
            "The device id, or its first characters, as 'sync status' shows it.", valueName: "device"))
    var device: String
    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let sync = try LibrarySync(library: libraryOptions.open())
        let forgotten = try sync.forget(device: device)
        Terminal.line("Forgot device \(forgotten.prefix(10)): remotes are pruned without waiting for it.")
    }
}
