import ParallaxMigrations
import ParallaxStore

extension Library {
    /// Sync's own tables in this library (`Migrations/Sync/`): the signing key, trusted devices,
    /// peers, receipts, remotes and the remote catalog.
    var syncTables: OwnedTables { tables(of: .sync) }
}
