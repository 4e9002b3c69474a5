import ArgumentParser
import ParallaxStore
import ParallaxSync

struct SyncRemoteListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the remotes with their locations.")

    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let remotes = try SyncRemotes(library: libraryOptions.openForReading()).all()
        if output.json { return try Terminal.printJSON(remotes) }
        if remotes.isEmpty {
            return Terminal.line("No remotes. Add one with 'parallax sync remote add NAME LOCATION'.")
        }
        for remote in remotes {
            var details = [remote.isWebDAV ? "WebDAV" : "folder"]
            if let user = remote.user { details.append("user \(user)") }
            if remote.keyFile != nil { details.append("encrypted") }
            if remote.insecure { details.append("insecure") }
            Terminal.line(
                "\(Terminal.bold(remote.name))  \(remote.location)  (\(details.joined(separator: ", ")))")
        }
    }
}
