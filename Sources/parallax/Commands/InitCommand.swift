import ArgumentParser
import ParallaxStore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new, empty library.",
        discussion: """
            Creates the library file (and its folder) with a new device id, which identifies this \
            machine's changes when libraries sync. Refuses to touch a file that already exists.
            """)

    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let library = try Library.create(at: libraryOptions.path)
        if output.json {
            try Terminal.printJSON(["path": library.path, "device": library.deviceID])
        } else {
            Terminal.line("Created a library at \(library.path) (device \(library.deviceID.prefix(8))).")
        }
    }
}
