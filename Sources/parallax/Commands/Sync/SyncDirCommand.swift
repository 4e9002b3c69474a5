import ArgumentParser
import ParallaxStore
import ParallaxSync

struct SyncDirCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dir",
        abstract: "Sync through a shared folder: import others' new bundles, write this device's.",
        discussion: """
            Point every machine at the same folder (kept in step by Syncthing, Dropbox or a USB \
            stick) and run this on each from time to time. Files that do not verify yet (still \
            being copied, or from a device you have not trusted) are skipped and named.
            """)

    @Argument(help: ArgumentHelp("The shared folder.", valueName: "folder")) var folder: String
    @OptionGroup var encryption: EncryptionOptions
    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let sync = try LibrarySync(library: libraryOptions.open())
        let report = try sync.sync(
            through: FolderTransport(path: folder), encryptionKey: encryption.key(),
            progress: SyncProgressLine.show)
        try SyncReportOutput.print(report, remote: folder, json: false, pushed: true)
    }
}
