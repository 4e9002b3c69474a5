import ArgumentParser
import Foundation

@main
struct Parallax: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parallax",
        abstract:
            "An offline reading library that syncs without a server and compares how outlets frame the news.",
        discussion: """
            Parallax keeps saved articles in one SQLite file on each of your machines and records \
            every change with its version. Start with 'parallax demo' to see it work on a sample \
            library, or 'parallax init' to create your own.

            The library lives at $PARALLAX_LIBRARY, or else $XDG_DATA_HOME/parallax/library.sqlite \
            (~/.local/share/parallax/library.sqlite); every command takes --library PATH.

            Exit codes: 0 success; 1 unexpected failure; 2 not found (library, file or item); \
            3 ambiguous id; 4 invalid input; 5 not a usable Parallax library; 6 library locked by \
            another process; 7 cannot write; 8 doctor found problems; 9 bundle from an untrusted \
            device; 10 a web page could not be fetched; 64 invalid command line.
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, ServeCommand.self, AddCommand.self, ExtractCommand.self, ImportCommand.self,
            ListCommand.self, KeepCommand.self,
            ReadCommand.self, OpenCommand.self, FetchImagesCommand.self, ImagesCommand.self,
            MarkCommand.self, ArchiveCommand.self, FavoriteCommand.self, TagCommand.self, NoteCommand.self,
            HighlightCommand.self, SearchCommand.self, RemoveCommand.self, HistoryCommand.self,
            RestoreCommand.self,
            LogCommand.self, ExportCommand.self, StatsCommand.self, DoctorCommand.self, SyncCommand.self,
            EventsCommand.self, ReportCommand.self, CompareCommand.self, LoadedCommand.self,
            FeedsCommand.self,
            DemoCommand.self,
        ]
    )

    /// Runs the command, reporting domain errors as one line on stderr with a documented exit code.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as Failure {
            Terminal.printError(failure.message)
            Self.exit(withError: failure.code)
        } catch {
            guard let code = Failure.exitCode(for: error) else { Self.exit(withError: error) }
            Terminal.printError(Failure.message(for: error))
            Self.exit(withError: code)
        }
    }
}
