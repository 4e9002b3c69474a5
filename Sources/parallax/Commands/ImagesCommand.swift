import ArgumentParser
import Foundation
import ParallaxStore

struct ImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "Show, or turn on or off, keeping articles' images on this device.",
        discussion: """
            Images are kept offline by default. On a small device, 'parallax images off' stops \
            fetching them on 'add' and storing those that arrive by sync; the articles still name \
            them, so their pages show links instead, and other devices keep theirs. --drop-kept \
            also deletes the images held now. 'parallax images on' and 'parallax fetch-images \
            --all' bring them back while their pages are online. The setting belongs to this \
            device and does not sync.

              parallax images
              parallax images off --drop-kept
              parallax images on
            """)

    enum Setting: String, ExpressibleByArgument, CaseIterable {
        case on, off
    }

    @Argument(
        help: ArgumentHelp("on or off; without it, show the setting and what is held.", valueName: "setting"))
    var setting: Setting?
    @Flag(help: "With off: delete the images held now.") var dropKept = false
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if dropKept && setting != .off { throw ValidationError("--drop-kept goes with 'off'.") }
    }

    func run() throws {
        guard let setting else {
            let storage = try libraryOptions.open(.readOnly).imageStorage()
            if output.json { return try Terminal.printJSON(storage) }
            let size = ByteCountFormatter.string(fromByteCount: Int64(storage.bytes), countStyle: .file)
            Terminal.line("Images are \(storage.keepsImages ? "kept" : "not kept") on this device.")
            Terminal.line(
                "\(storage.images) held (\(size)); \(storage.missing) kept elsewhere or dropped here, not held."
            )
            if storage.missing > 0 || !storage.keepsImages {
                Terminal.line(
                    "'parallax fetch-images --all' fetches what articles show and this device lacks.")
            }
            return
        }
        let before = try libraryOptions.open().setKeepsImages(setting == .on, dropKept: dropKept)
        if setting == .on {
            Terminal.line(
                "Images are kept on this device; 'parallax fetch-images --all' fetches the \(before.missing) missing."
            )
        } else if dropKept {
            let size = ByteCountFormatter.string(fromByteCount: Int64(before.bytes), countStyle: .file)
            Terminal.line("Images are not kept on this device; \(before.images) deleted (\(size)).")
        } else {
            Terminal.line("Images are not kept on this device from now on; the \(before.images) held stay.")
        }
    }
}
