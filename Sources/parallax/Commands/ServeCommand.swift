import ArgumentParser
import Foundation
import ParallaxServer
import ParallaxStore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Read, search, highlight and save articles in your browser, from this library.",
        discussion: """
            Starts the reading app on this machine: your list with its views, tags and sources; \
            search as you type; a reading view that keeps your place, with highlights made by \
            selecting text; saving from any page with a bookmarklet; events and their framing \
            reports; and sync status. Every change is a change in the library's log, so it syncs \
            like one made with the other commands, and both can run at once. While it runs it \
            fetches the feeds you follow as they fall due (--no-refresh leaves them to 'parallax \
            feeds refresh'); the Feeds page follows and unfollows them.

            The server listens on 127.0.0.1 only. It prints a link that signs your browser in \
            once (--open opens it); other programs and web pages cannot use the app without it. \
            To reach it from other machines, --host 0.0.0.0 needs --token (or \
            $PARALLAX_SERVE_TOKEN) of at least 16 characters, which the sign-in page asks for; \
            the connection is plain HTTP, so do that only on a network you trust.

              parallax serve --open
              parallax serve --port 9000
              PARALLAX_SERVE_TOKEN=... parallax serve --host 0.0.0.0

            Stop it with Ctrl-C. A port in use exits with 1.
            """)

    @Option(help: ArgumentHelp("The port to listen on.", valueName: "port")) var port = 8765
    @Option(
        help: ArgumentHelp(
            "The address to listen on; other than 127.0.0.1 it needs --token.", valueName: "address"))
    var host = "127.0.0.1"
    @Option(
        help: ArgumentHelp(
            "The sign-in token for a server other machines can reach (default $PARALLAX_SERVE_TOKEN).",
            valueName: "token"))
    var token: String?
    @Flag(help: "Open the sign-in link in your browser.") var open = false
    @Flag(help: "Do not fetch followed feeds in the background.") var noRefresh = false
    @OptionGroup var libraryOptions: LibraryOptions

    private var chosenToken: String? {
        token ?? ProcessInfo.processInfo.environment["PARALLAX_SERVE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    private var serverConfiguration: ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.accessToken = chosenToken
        configuration.refreshesFeeds = !noRefresh
        return configuration
    }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535.") }
        if host.isEmpty { throw ValidationError("--host needs an address.") }
        if let chosenToken, chosenToken.count < ServerConfiguration.minimumTokenLength {
            throw ValidationError(
                "--token must have at least \(ServerConfiguration.minimumTokenLength) characters.")
        }
        if !serverConfiguration.isLoopback && chosenToken == nil {
            throw ValidationError(
                "--host \(host) lets other machines reach your library: give --token (or PARALLAX_SERVE_TOKEN)."
            )
        }
    }

    func run() async throws {
        let library = try libraryOptions.open()
        let server = try ReadingServer(library: library, configuration: serverConfiguration)
        let opensBrowser = open
        do {
            try await server.run { port in
                let link = server.loginLink(port: port)
                let signIn =
                    server.configuration.accessToken == nil
                    ? "Open this link to sign in (it works once): \(link)"
                    : "Sign in at \(link) with your token."
                // Written at once and unbuffered, so a script reading the output sees the link now.
                FileHandle.standardOutput.write(
                    Data(
                        "Serving \(library.path) at http://\(host):\(port)\n\(signIn)\nPress Ctrl-C to stop.\n"
                            .utf8))
                if opensBrowser { Browser.open(link) }
            }
        } catch let error as ReadingServer.SetupError {
            throw Failure(message: error.localizedDescription, code: .failure)
        }
    }
}
