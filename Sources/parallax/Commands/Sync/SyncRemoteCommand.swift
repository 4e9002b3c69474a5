import ArgumentParser

struct SyncRemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "Add, list or remove the remotes this library syncs through.",
        discussion: """
            A remote is a folder (a USB stick, a folder Syncthing keeps in step) or a WebDAV \
            collection (Nextcloud, ownCloud, a NAS, Apache, rclone). Every device writes only \
            its own signed, immutable files there; nothing is locked and no file is rewritten.

              parallax sync remote add home https://cloud.example.org/remote.php/dav/files/me/parallax --user me
              parallax sync remote add usb /media/stick/parallax
              parallax sync home

            A WebDAV password is never stored: it comes from $PARALLAX_DAV_PASSWORD, then the \
            server's entry in ~/.netrc, then a prompt.
            """,
        subcommands: [SyncRemoteAddCommand.self, SyncRemoteListCommand.self, SyncRemoteRemoveCommand.self])
}
