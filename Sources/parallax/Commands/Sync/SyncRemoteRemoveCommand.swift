import ArgumentParser
import ParallaxStore
import ParallaxSync

struct SyncRemoteRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a remote from this library; its files stay where they are.")

    @Argument(help: ArgumentHelp("The remote's name.", valueName: "name")) var name: String
    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        try SyncRemotes(library: libraryOptions.open()).remove(named: name)
        Terminal.line("Removed remote \(name).")
    }
}
