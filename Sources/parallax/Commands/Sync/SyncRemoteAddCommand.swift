import ArgumentParser
import ParallaxStore
import ParallaxSync

struct SyncRemoteAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a folder or WebDAV remote, checking that it can be reached.",
        discussion: """
            The remote is reached once as it is added (a missing folder or WebDAV collection is \
            made), so a mistyped address or password is caught now. Plain http:// is accepted \
            only for this machine unless --insecure, since the password would travel in the clear.
            """)

    @Argument(help: ArgumentHelp("A short name for it, such as 'home' or 'usb'.", valueName: "name"))
    var name: String
    @Argument(
        help: ArgumentHelp("A folder, or a WebDAV collection's https:// address.", valueName: "location"))
    var location: String
    @Option(help: ArgumentHelp("The WebDAV user name.", valueName: "user")) var user: String?
    @Flag(help: "Allow plain http:// to another machine.") var insecure = false
    /// The file's path is kept with the remote, so every sync through it encrypts.
    @OptionGroup var encryption: EncryptionOptions
    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        _ = try encryption.key()
        let keyFile = encryption.keyFile
        let library = try libraryOptions.open()
        let remotes = SyncRemotes(library: library)
        let remote = try remotes.add(
            name: name, location: location, user: user, insecure: insecure, keyFile: keyFile)
        do {
            _ = try remote.connect(
                with: RemoteCredentials.find(for: remote, ask: Terminal.askSecret), creating: true)
        } catch {
            try remotes.remove(named: remote.name)
            throw error
        }
        Terminal.line(
            "Added remote \(remote.name) at \(remote.location). Sync with 'parallax sync \(remote.name)'.")
    }
}
