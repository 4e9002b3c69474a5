import Foundation
import Hummingbird
import ParallaxStore
import ParallaxSync

// MARK: - Sync status, and syncing through a configured remote

extension ReadingApp {
    func addSync(to router: Router<ServerContext>) {
        router.get("/sync") { _, context in
            let (status, remotes) = try await access.run { library in
                (try LibrarySync(library: library).status(), try SyncRemotes(library: library).all())
            }
            return Response.page(
                SyncPage.render(status: status, remotes: remotes, report: nil, session: context.session))
        }
        router.post("/sync/run") { request, context in
            let form = try await FormFields.action(request, context: context)
            let name = try form.required("remote")
            let (status, remotes, report) = try await access.run { library in
                let sync = try LibrarySync(library: library)
                // No one can be asked for a password here: it comes from the environment or ~/.netrc.
                let remote = try SyncRemotes(library: library).connect(named: name)
                let report = try sync.sync(through: remote.transport, encryptionKey: remote.key)
                return (
                    try sync.status(), try SyncRemotes(library: library).all(),
                    SyncPage.Outcome(remote: name, report: report)
                )
            }
            return Response.page(
                SyncPage.render(status: status, remotes: remotes, report: report, session: context.session))
        }
    }
}
