import Foundation
import ParallaxStore
import ParallaxSync

/// The demo's sync act: the demo library is the "laptop"; a "phone" library starts from a
/// bundle of it, both change while apart, and they sync through a folder remote until they
/// agree, then compact it.
struct SyncDemo {
    let folder: URL
    let laptop: Library
    let seedID: String

    func run(section: (String, String) -> Void) throws {
        let phoneLibrary = try Library.create(at: folder.appendingPathComponent("phone.sqlite").path)
        let laptopSync = try LibrarySync(library: laptop)
        let phoneSync = try LibrarySync(library: phoneLibrary)
        _ = try laptopSync.trust(keyLine: phoneSync.publicKeyLine)
        _ = try phoneSync.trust(keyLine: laptopSync.publicKeyLine)

        section(
            "7. Syncing a second machine", "parallax sync export / sync import / sync remote add / sync NAME")
        Terminal.line(
            "  The phone trusts the laptop's key (fingerprint \(laptopSync.fingerprint)) and the laptop the phone's."
        )
        let first = try carry(from: laptopSync, to: phoneSync, name: "laptop-1.pxb")
        Terminal.line("  laptop → phone: \(first)")

        let other = try laptop.items().first { $0.id != seedID }?.id ?? seedID
        try laptop.mark(seedID, as: .reading, progress: 0.9)
        try laptop.updateTags(other, adding: ["later"], removing: [])
        try phoneLibrary.mark(seedID, as: .reading, progress: 0.6)
        try phoneLibrary.setNote(seedID, "Read on the phone: who is quoted, and how?")
        try phoneLibrary.setFavorite(other, true)
        Terminal.line("  While apart: the laptop reads the seed article to 90% and tags another #later;")
        Terminal.line("  the phone reads the seed to 60%, rewrites its note and stars the other article.")

        let remote = folder.appendingPathComponent("usb-stick/parallax").path
        for library in [laptop, phoneLibrary] {
            try SyncRemotes(library: library).add(name: "usb", location: remote)
        }
        Terminal.line("  Both add one folder as a remote (a USB stick, or a folder Syncthing keeps in step):")
        Terminal.line("    parallax sync remote add usb \(remote)")
        let transport = try FolderTransport(path: remote)
        Terminal.line("  phone  $ parallax sync usb → \(describe(try phoneSync.sync(through: transport)))")
        Terminal.line("  laptop $ parallax sync usb → \(describe(try laptopSync.sync(through: transport)))")
        Terminal.line("  phone  $ parallax sync usb → \(describe(try phoneSync.sync(through: transport)))")
        Terminal.line(
            "  laptop $ parallax sync compact → \(describe(try laptopSync.sync(through: transport, compact: true)))"
        )
        Terminal.line("  phone  $ parallax sync usb → \(describe(try phoneSync.sync(through: transport)))")
        let files = try transport.list().filter { !$0.name.hasPrefix(".") }.sorted { $0.name < $1.name }
        Terminal.line(
            "  The remote now holds \(files.count) files, \(files.compactMap(\.bytes).reduce(0, +)) bytes: "
                + "a snapshot a new device would start from, and each device's note of what it has applied.")
        let merged = try phoneLibrary.resolve(seedID)
        let star = try phoneLibrary.resolve(other)
        Terminal.line(
            "  Both now hold: seed article at \(Int(merged.progress * 100))% (the furthest position wins),")
        Terminal.line("  note “\(merged.note ?? "")”,")
        Terminal.line(
            "  the other article \(star.favorite ? "starred" : "not starred") and tagged \(star.tags.map { "#" + $0 }.joined(separator: " "))."
        )
        let same = try export(laptop) == export(phoneLibrary)
        Terminal.line(
            "  Exports of the two libraries are \(same ? "byte-identical" : "DIFFERENT"): they have converged."
        )
    }

    private func carry(from sender: LibrarySync, to receiver: LibrarySync, name: String) throws -> String {
        let (data, header) = try sender.exportBundle(for: receiver.library.deviceID)
        let path = folder.appendingPathComponent(name).path
        try LibrarySync.bundleFile(at: path).write(data)
        let result = try receiver.importBundle(at: path)
        return "\(name), \(data.count) bytes, \(header.records) changes, \(header.bodies) article texts; "
            + "\(result.summary.applied) applied"
    }

    private func describe(_ report: SyncReport) -> String {
        var parts: [String] = []
        if !report.imported.isEmpty {
            let changes = report.imported.map(\.summary.applied).reduce(0, +)
            parts.append("imported \(report.imported.count) bundle(s), \(changes) changes applied")
        }
        if let written = report.written { parts.append("wrote \((written as NSString).lastPathComponent)") }
        if report.snapshot != nil { parts.append("wrote a snapshot") }
        if !report.pruned.isEmpty {
            parts.append("pruned \(report.pruned.count) file(s) both devices have applied")
        }
        return parts.isEmpty ? "nothing new" : parts.joined(separator: "; ")
    }

    private func export(_ library: Library) throws -> Data {
        var data = Data()
        try library.exportJSONLines(includeDeleted: true) { data.append($0) }
        return data
    }
}
