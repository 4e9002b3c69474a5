/// One numbered schema migration shipped inside the binary.
public struct SchemaMigration: Sendable {
    /// The migration's number on its owner's track: an owner's migrations run in ascending order.
    public let version: Int
    /// The file name it was read from, such as `0001_library.sql`.
    public let name: String
    /// The SQL text of the file.
    public let sql: String
}

/// The module that owns a set of tables, and so a track of migrations numbered from 1.
///
/// Each owner's SQL lives in its own folder of `Migrations/`, named for the owner.
public enum TableOwnerName: String, Sendable, CaseIterable {
    /// ParallaxStore: items, bodies, the change log, clocks, counts and the library record.
    case store
    /// ParallaxSync: keys, trust, peers, receipts, remotes and the remote catalog.
    case sync
    /// ParallaxFraming: the stored grouping of articles into events.
    case framing
    /// ParallaxFeeds: what this device learned fetching followed feeds (never synced).
    case feeds
}

/// The migrations compiled from the `Migrations/` folder, by owner, in the order they apply.
///
/// A new file must be listed here and in `Package.swift`; a test checks that each folder and
/// its list agree.
public enum SchemaMigrations {
    /// The migrations of an owner's track, ascending by version.
    public static func track(of owner: TableOwnerName) -> [SchemaMigration] {
        switch owner {
        case .store: store
        case .sync: sync
        case .framing: framing
        case .feeds: feeds
        }
    }

    /// ParallaxStore's migrations (`Migrations/Store/`).
    public static let store: [SchemaMigration] = [
        SchemaMigration(
            version: 1, name: "0001_library.sql",
            sql: String(decoding: PackageResources._001_library_sql, as: UTF8.self)),
        SchemaMigration(
            version: 2, name: "0002_field_clock_epoch.sql",
            sql: String(decoding: PackageResources._002_field_clock_epoch_sql, as: UTF8.self)),
        SchemaMigration(
            version: 3, name: "0003_event.sql",
            sql: String(decoding: PackageResources._003_event_sql, as: UTF8.self)),
        SchemaMigration(
            version: 4, name: "0004_vocabulary.sql",
            sql: String(decoding: PackageResources._004_vocabulary_sql, as: UTF8.self)),
        SchemaMigration(
            version: 5, name: "0005_device_home.sql",
            sql: String(decoding: PackageResources._005_device_home_sql, as: UTF8.self)),
        SchemaMigration(
            version: 6, name: "0006_list_order_and_counts.sql",
            sql: String(decoding: PackageResources._006_list_order_and_counts_sql, as: UTF8.self)),
        SchemaMigration(
            version: 7, name: "0007_body_summary_index.sql",
            sql: String(decoding: PackageResources._007_body_summary_index_sql, as: UTF8.self)),
        SchemaMigration(
            version: 8, name: "0008_corrected_event_lookup.sql",
            sql: String(decoding: PackageResources._008_corrected_event_lookup_sql, as: UTF8.self)),
        SchemaMigration(
            version: 9, name: "0009_search_pending_size.sql",
            sql: String(decoding: PackageResources._009_search_pending_size_sql, as: UTF8.self)),
        SchemaMigration(
            version: 10, name: "0010_article_html.sql",
            sql: String(decoding: PackageResources._010_article_html_sql, as: UTF8.self)),
        SchemaMigration(
            version: 11, name: "0011_image_assets.sql",
            sql: String(decoding: PackageResources._011_image_assets_sql, as: UTF8.self)),
        SchemaMigration(
            version: 12, name: "0012_image_references_and_setting.sql",
            sql: String(decoding: PackageResources._012_image_references_and_setting_sql, as: UTF8.self)),
        SchemaMigration(
            version: 13, name: "0013_browser_save_token.sql",
            sql: String(decoding: PackageResources._013_browser_save_token_sql, as: UTF8.self)),
        SchemaMigration(
            version: 14, name: "0014_feeds.sql",
            sql: String(decoding: PackageResources._014_feeds_sql, as: UTF8.self)),
    ]

    /// ParallaxSync's migrations (`Migrations/Sync/`).
    public static let sync: [SchemaMigration] = [
        SchemaMigration(
            version: 1, name: "0001_sync.sql",
            sql: String(decoding: PackageResources._001_sync_sql, as: UTF8.self)),
        SchemaMigration(
            version: 2, name: "0002_receipt_history_rows.sql",
            sql: String(decoding: PackageResources._002_receipt_history_rows_sql, as: UTF8.self)),
        SchemaMigration(
            version: 3, name: "0003_remotes.sql",
            sql: String(decoding: PackageResources._003_remotes_sql, as: UTF8.self)),
        SchemaMigration(
            version: 4, name: "0004_remote_file_encryption.sql",
            sql: String(decoding: PackageResources._004_remote_file_encryption_sql, as: UTF8.self)),
        SchemaMigration(
            version: 5, name: "0005_remote_file_failures.sql",
            sql: String(decoding: PackageResources._005_remote_file_failures_sql, as: UTF8.self)),
    ]

    /// ParallaxFraming's migrations (`Migrations/Framing/`).
    public static let framing: [SchemaMigration] = [
        SchemaMigration(
            version: 1, name: "0001_event_grouping.sql",
            sql: String(decoding: PackageResources._001_event_grouping_sql, as: UTF8.self)),
        SchemaMigration(
            version: 2, name: "0002_grouping_changes.sql",
            sql: String(decoding: PackageResources._002_grouping_changes_sql, as: UTF8.self)),
        SchemaMigration(
            version: 3, name: "0003_grouping_state.sql",
            sql: String(decoding: PackageResources._003_grouping_state_sql, as: UTF8.self)),
        SchemaMigration(
            version: 4, name: "0004_shared_event_lookup.sql",
            sql: String(decoding: PackageResources._004_shared_event_lookup_sql, as: UTF8.self)),
    ]

    /// ParallaxFeeds' migrations (`Migrations/Feeds/`).
    public static let feeds: [SchemaMigration] = [
        SchemaMigration(
            version: 1, name: "0001_feed_fetch.sql",
            sql: String(decoding: PackageResources._001_feed_fetch_sql, as: UTF8.self))
    ]
}

/// A migration of the single numbered list that libraries followed until 0019, before each
/// module owned its tables; a library written then records these in `parallax_migration`.
public struct LegacyMigration: Sendable {
    /// Its number in the single list.
    public let version: Int
    /// Its file name then.
    public let name: String
    /// The SHA-256 of its SQL, as the library recorded it.
    public let checksum: String
    /// The migrations of the owners' tracks that now hold its SQL, split by owner.
    public let successors: [(owner: TableOwnerName, version: Int)]
}

/// The single list of migrations as releases up to 0019 shipped it, so that a library they
/// wrote is checked against what it applied and carried onto the owners' tracks.
public enum LegacyMigrations {
    /// The version written into `parallax_migration` when a library moves to owners' tracks:
    /// higher than any release before knew, so those releases refuse it as newer instead of
    /// writing to a schema they do not know.
    public static let ownersMarker = 20

    /// Every migration of the single list, ascending by version.
    public static let all: [LegacyMigration] = [
        LegacyMigration(
            version: 1, name: "0001_library.sql",
            checksum: "45f83b7d09416637363784b3ed03bb8d1ad7d06c5c811c16fa551c5eebc842ff",
            successors: [(.store, 1)]),
        LegacyMigration(
            version: 2, name: "0002_sync.sql",
            checksum: "4e92a84d54c4b3d1e6a4fd77dc4ea05d0ded77de615fb0cbe225066ad1939709",
            successors: [(.store, 2), (.sync, 1)]),
        LegacyMigration(
            version: 3, name: "0003_event.sql",
            checksum: "fda15620bf002a84e93e016b1cb00012d8e8ef336f1c0d2bc8285d7326485236",
            successors: [(.store, 3)]),
        LegacyMigration(
            version: 4, name: "0004_vocabulary.sql",
            checksum: "4781f82a847bedea9c962aa54f5c85fb15dcf1e7a30310912d4dcab4befe5402",
            successors: [(.store, 4)]),
        LegacyMigration(
            version: 5, name: "0005_device_home.sql",
            checksum: "94903d69a11ed71a2daabb2375309b0b20188f0e467959b44aa56b765e87da2e",
            successors: [(.store, 5), (.sync, 2)]),
        LegacyMigration(
            version: 6, name: "0006_event_grouping.sql",
            checksum: "6c21a85a1fbf1945fb0cdb2a19ff5cd784549882c2e966a1ee7367708a94de34",
            successors: [(.framing, 1)]),
        LegacyMigration(
            version: 7, name: "0007_grouping_changes.sql",
            checksum: "1cfa46e41ff148357170f139ac4c897b5eeb18fa9cc7228eb25b263b8a3134e8",
            successors: [(.framing, 2)]),
        LegacyMigration(
            version: 8, name: "0008_list_order_and_counts.sql",
            checksum: "73ef9039f660ae3350ddece6676f1318765b468d28a0db2165dd773ce7b97dc9",
            successors: [(.store, 6)]),
        LegacyMigration(
            version: 9, name: "0009_grouping_state.sql",
            checksum: "a76a521d1c9c5aa7a2c86caae7437248d4bc274f7b19805bfb14bbb4582f70de",
            successors: [(.framing, 3)]),
        LegacyMigration(
            version: 10, name: "0010_body_summary_index.sql",
            checksum: "4e739c2690c96b955c785af57f4753b24d79bdec452cb1f3e722612804f6e3e3",
            successors: [(.store, 7)]),
        LegacyMigration(
            version: 11, name: "0011_shared_event_lookup.sql",
            checksum: "395f64dd34a38b82dd5b9a4367de41808c2ee0a04666ec992c451e414731affc",
            successors: [(.store, 8), (.framing, 4)]),
        LegacyMigration(
            version: 12, name: "0012_search_pending_size.sql",
            checksum: "ddf7750ca932edfa24fa077d70250b03e8b53c7a0989b17bc84457fd3adcba53",
            successors: [(.store, 9)]),
        LegacyMigration(
            version: 13, name: "0013_article_html.sql",
            checksum: "2a43e920e1b3740538ee5b973f3bb45a1b6c76e76061e0e4f259373a0f9f2b18",
            successors: [(.store, 10)]),
        LegacyMigration(
            version: 14, name: "0014_image_assets.sql",
            checksum: "b162f23701a74d814b99ef3a6d968145ec8a26959cb62c81767fe9a2d118a881",
            successors: [(.store, 11)]),
        LegacyMigration(
            version: 15, name: "0015_image_references_and_setting.sql",
            checksum: "6d9d96ac8b26d48ca1aaef5b18427bf3746a455444de2c14f17678e591e6b742",
            successors: [(.store, 12)]),
        LegacyMigration(
            version: 16, name: "0016_remotes.sql",
            checksum: "b5b1e10a6efaa0077a4c0b5805790995755fb6ba4d2eb841a414ec73e8378427",
            successors: [(.sync, 3)]),
        LegacyMigration(
            version: 17, name: "0017_remote_file_encryption.sql",
            checksum: "b80574fe2dcc2861789a04aa9d5000d671130c6de3fa4529488e45c853dd5460",
            successors: [(.sync, 4)]),
        LegacyMigration(
            version: 18, name: "0018_browser_save_token.sql",
            checksum: "c416cc87107cd322d1784eda8bd04e50515fd6c535335ade91532d01633b545b",
            successors: [(.store, 13)]),
        LegacyMigration(
            version: 19, name: "0019_remote_file_failures.sql",
            checksum: "9fa76555616b6cb3e4388b206352728ea60b21a56cf688cc39c41a346239daaa",
            successors: [(.sync, 5)]),
    ]
}
