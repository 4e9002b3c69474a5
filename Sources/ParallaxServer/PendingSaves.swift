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

        /// What it holds in memory.
        var bytes: Int { url.utf8.count + (html?.count ?? 0) }
    }

    /// The most saves kept waiting; the oldest is dropped beyond it.
    static let limit = 16
    /// The bytes kept waiting in all.
    static let byteLimit = 64 << 20
    /// How long a save waits for its confirmation, in seconds.
    static let lifetime: TimeInterval = 15 * 60

    private let saves = LockedValue<[PendingSave]>([])

    /// Stages a save and returns it, with the id its confirmation names it by.
    func stage(url: String, html: Data?) -> PendingSave {
        let save = PendingSave(id: AccessControl.randomToken(), url: url, html: html, staged: Date())
        saves.withLock { saves in
            Self.dropExpired(&saves)
            saves.append(save)
            while saves.count > Self.limit || saves.reduce(0, { $0 + $1.bytes }) > Self.byteLimit {
                saves.removeFirst()
            }
        }
        return save
    }

    /// The staged save with this id, which it removes: a save is made once.
    func take(_ id: String) -> PendingSave? {
        saves.withLock { saves in
            Self.dropExpired(&saves)
            guard let index = saves.firstIndex(where: { AccessControl.same($0.id, id) }) else { return nil }
            return saves.remove(at: index)
        }
    }

    /// Puts back a save taken for a save that failed, so the reader can try it again.
    func restore(_ save: PendingSave) {
        saves.withLock { saves in
            if !saves.contains(where: { $0.id == save.id }) { saves.append(save) }
        }
    }

    private static func dropExpired(_ saves: inout [PendingSave]) {
        let oldest = Date().addingTimeInterval(-lifetime)
        saves.removeAll { $0.staged < oldest }
    }
}

/// Lets at most `limit` requests of a kind run at once; the others are turned away, not queued.
final class RequestGate: Sendable {
    private let running = LockedValue(0)
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Takes a place, or returns false when every place is taken.
    func enter() -> Bool {
        running.withLock { running in
            guard running < limit else { return false }
            running += 1
            return true
        }
    }

    /// Gives back the place ``enter()`` took.
    func leave() { running.withLock { $0 -= 1 } }
}
