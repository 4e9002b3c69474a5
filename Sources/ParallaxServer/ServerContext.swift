import Foundation
import Hummingbird
import ParallaxStore

/// What a request carries through the middleware to its handler: the session it signed in with.
package struct ServerContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The browser's session; nil on the few routes open without one.
    var session: AccessControl.Session?
    /// The address the request came from, which wrong sign-in tokens count against.
    let client: String

    package init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        client = source.channel.remoteAddress?.ipAddress ?? ""
    }

}

/// Runs the library's blocking calls off Swift's cooperative threads.
///
/// The library waits on SQLite (and on another process's lock, up to the busy timeout); on a
/// dispatch queue that wait holds no thread the server's other requests need.
struct LibraryAccess: Sendable {
    /// The library the server shows.
    let library: Library

    /// Runs `body` with the library on a global queue and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable (Library) throws -> T) async throws -> T {
        let library = library
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try body(library) })
            }
        }
    }
}
