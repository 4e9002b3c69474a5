import ArgumentParser
import ParallaxStore
import ParallaxSync

struct SyncImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Verify bundles and merge each into the library in one transaction.",
        discussion: """
            Each bundle is checked whole first (format, checksum, signature of a trusted device, \
            sizes, every record) and refused with one line if anything is wrong; the library is then \
            unchanged. Importing a bundle twice changes nothing. --dry-run says what would change.
            """)

    @Argument(help: ArgumentHelp("Bundle files.", valueName: "file")) var files: [String]
    @Flag(help: "Say what would change, change nothing.") var dryRun = false
    @OptionGroup var encryption: EncryptionOptions
    @OptionGroup var libraryOptions: LibraryOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one bundle.") }
    }

    func run() throws {
        let sync = try LibrarySync(library: libraryOptions.open())
        let key = try encryption.key()
        var firstFailure: (any Error)?
        for file in files {
            let device = sync.library.deviceID
            defer {
                if let succession = sync.library.succession, succession.previous == device {
                    Terminal.printWarning(succession.message)
                }
            }
            do {
                Terminal.line(
                    SyncRendering.describe(
                        try sync.importBundle(at: file, dryRun: dryRun, encryptionKey: key)))
            } catch {
                guard files.count > 1 else { throw error }
                Terminal.printError(Failure.message(for: error))
                firstFailure = firstFailure ?? error
            }
        }
        if let firstFailure { throw ExitCode(Failure.exitCode(for: firstFailure)?.rawValue ?? 1) }
    }
}
