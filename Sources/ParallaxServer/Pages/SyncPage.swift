import Foundation
import Hummingbird
import ParallaxStore
import ParallaxSync

/// Devices, the newest bundles, the remotes, and what the last sync did.
enum SyncPage {
    /// A sync the page just ran.
    struct Outcome: Sendable {
        var remote: String
        var imported: Int
        var changes: Int
        var skipped: [String]
        var written: String?

        init(remote: String, report: SyncReport) {
            self.remote = remote
            imported = report.imported.count
            changes = report.imported.reduce(0) { $0 + $1.summary.applied }
            skipped = report.skipped.map { "\($0.path): \($0.reason)" }
            written = report.written
        }
    }

    static func render(
        status: SyncStatus, remotes: [SyncRemote], report: Outcome?, session: AccessControl.Session?
    )
        -> HTML
    {
        let outcome: HTML =
            report.map { report in
                let skipped = HTML.joined(report.skipped.map { "<li>\($0)</li>" })
                return """
                    <div class="outcome"><p>Synced through <b>\(report.remote)</b>: \(report.imported) bundles imported, \
                    \(report.changes) changes applied\(report.written.map { ", wrote \($0)" } ?? ", nothing new to send").</p>\
                    \(report.skipped.isEmpty ? "" : "<p>Skipped:</p><ul>\(skipped)</ul>" as HTML)</div>
                    """
            } ?? ""
        let remoteRows = HTML.joined(
            remotes.map { remote in
                """
                <tr><td>\(remote.name)</td><td><code>\(remote.location)</code></td><td>\(remote.keyFile == nil ? "no" : "yes")</td>\
                <td>\(PageLayout.button("Sync now", action: "/sync/run", fields: [("remote", remote.name)], session: session))</td></tr>
                """
            })
        let remotesTable: HTML =
            remotes.isEmpty
            ? "<p class=\"empty\">No remote yet. Add a folder or a WebDAV server with <code>parallax sync remote add NAME LOCATION</code>.</p>"
            : "<table><thead><tr><th>Remote</th><th>Location</th><th>Encrypted</th><th></th></tr></thead><tbody>\(remoteRows)</tbody></table>"
        let peers = HTML.joined(
            status.trusted.map { peer in
                let seen = status.peers.first { $0.device == peer.device }?.seen
                return
                    "<tr><td><code>\(String(peer.device.prefix(12)))</code></td><td><code>\(peer.fingerprint)</code></td><td>\(peer.revoked ? "revoked" : "trusted")</td><td>\(seen)</td></tr>"
            })
        let receipts = HTML.joined(
            status.receipts.prefix(10).map { receipt in
                "<tr><td><code>\(receipt.bundle)</code></td><td><code>\(String(receipt.device.prefix(12)))</code></td><td>\(receipt.imported)</td><td class=\"n\">\(receipt.applied)</td></tr>"
            })
        return PageLayout.render(
            title: "Sync", section: .sync, session: session,
            body: """
                <h1>Sync</h1>
                \(outcome)
                <p>This device: <code>\(status.device)</code>, key fingerprint <code>\(status.fingerprint)</code>.</p>
                <h2>Remotes</h2>
                \(remotesTable)
                <h2>Devices</h2>
                \(status.trusted.isEmpty ? "<p class=\"empty\">No other device is trusted yet.</p>" as HTML : "<table><thead><tr><th>Device</th><th>Fingerprint</th><th></th><th>Last seen</th></tr></thead><tbody>\(peers)</tbody></table>")
                <h2>Last bundles imported</h2>
                \(status.receipts.isEmpty ? "<p class=\"empty\">None yet.</p>" as HTML : "<table><thead><tr><th>Bundle</th><th>From</th><th>Imported</th><th>Changes applied</th></tr></thead><tbody>\(receipts)</tbody></table>")
                """)
    }
}
