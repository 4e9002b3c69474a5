import Foundation
import ParallaxStore

/// Pages a bookmarklet sent, waiting for the signed-in reader to confirm them.
///
/// A bookmarklet runs inside the page the reader is on, so that page can read the save token it
/// carries. With the token alone a site could only stage a save: nothing is fetched or stored
/// until the reader, signed in, clicks Save on this server's own confirmation page, whose
/// address of the staged save (a random id) the site never sees.
final class PendingSaves: Sendable {
    /// One staged save.
    struct PendingSave: Sendable {
        let id: String
        let url: String
        let html: Data?
        let staged: Date
    }

    /// The most saves kept waiting; the oldest is dropped beyond it.
    static let limit = 16
    /// The bytes of page HTML kept waiting in all.
    static let byteLimit = 64 << 20
    /// How long a save waits for its confirmation, in seconds.
    static let lifetime: TimeInterval = 15 * 60

    private let saves = LockedValue<[PendingSave]>([])

    /// Stages a save and returns its id.
    func stage(url: String, html: Data?) -> String {
        let save = PendingSave(id: AccessControl.randomToken(), url: url, html: html, staged: Date())
        saves.withLock { saves in
            saves.removeAll { $0.staged < Date().addingTimeInterval(-Self.lifetime) }
            saves.append(save)
            while saves.count > Self.limit || saves.reduce(0, { $0 + ($1.html?.count ?? 0) }) > Self.byteLimit
            {
                saves.removeFirst()
            }
        }
        return save.id
    }

    /// The staged save with this id, which it removes: a save is made once.
    func take(_ id: String) -> PendingSave? {
        saves.withLock { saves in
            guard let index = saves.firstIndex(where: { AccessControl.same($0.id, id) }),
                saves[index].staged >= Date().addingTimeInterval(-Self.lifetime)
            else { return nil }
            return saves.remove(at: index)
        }
    }

    /// The staged save with this id, left in place.
    func peek(_ id: String) -> PendingSave? { saves.value.first { AccessControl.same($0.id, id) } }
}
