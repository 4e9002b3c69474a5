/// One numbered schema migration shipped inside the binary.
public struct SchemaMigration: Sendable {
    /// The migration's number: migrations run in ascending order.
    public let version: Int
    /// The file name it was read from, such as `0001_library.sql`.
    public let name: String
    /// The SQL text of the file.
    public let sql: String
}

/// The migrations compiled from the `Migrations/` folder, in the order they apply.
public enum SchemaMigrations {
    /// Every shipped migration, ascending by version.
    ///
    /// A new file must be listed here and in `Package.swift`; a test checks that the
    /// folder and this list agree.
    public static let all: [SchemaMigration] = [
        SchemaMigration(
            version: 1, name: "0001_library.sql",
            sql: String(decoding: PackageResources._001_library_sql, as: UTF8.self)),
        SchemaMigration(
            version: 2, name: "0002_sync.sql",
            sql: String(decoding: PackageResources._002_sync_sql, as: UTF8.self)),
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
            version: 6, name: "0006_event_grouping.sql",
            sql: String(decoding: PackageResources._006_event_grouping_sql, as: UTF8.self)),
        SchemaMigration(
            version: 7, name: "0007_grouping_changes.sql",
            sql: String(decoding: PackageResources._007_grouping_changes_sql, as: UTF8.self)),
        SchemaMigration(
            version: 8, name: "0008_list_order_and_counts.sql",
            sql: String(decoding: PackageResources._008_list_order_and_counts_sql, as: UTF8.self)),
        SchemaMigration(
            version: 9, name: "0009_grouping_state.sql",
            sql: String(decoding: PackageResources._009_grouping_state_sql, as: UTF8.self)),
        SchemaMigration(
            version: 10, name: "0010_body_summary_index.sql",
            sql: String(decoding: PackageResources._010_body_summary_index_sql, as: UTF8.self)),
        SchemaMigration(
            version: 11, name: "0011_shared_event_lookup.sql",
            sql: String(decoding: PackageResources._011_shared_event_lookup_sql, as: UTF8.self)),
        SchemaMigration(
            version: 12, name: "0012_search_pending_size.sql",
            sql: String(decoding: PackageResources._012_search_pending_size_sql, as: UTF8.self)),
        SchemaMigration(
            version: 13, name: "0013_article_html.sql",
            sql: String(decoding: PackageResources._013_article_html_sql, as: UTF8.self)),
        SchemaMigration(
            version: 14, name: "0014_image_assets.sql",
            sql: String(decoding: PackageResources._014_image_assets_sql, as: UTF8.self)),
        SchemaMigration(
            version: 15, name: "0015_image_references_and_setting.sql",
            sql: String(decoding: PackageResources._015_image_references_and_setting_sql, as: UTF8.self)),
        SchemaMigration(
            version: 16, name: "0016_remotes.sql",
            sql: String(decoding: PackageResources._016_remotes_sql, as: UTF8.self)),
        SchemaMigration(
            version: 17, name: "0017_remote_file_encryption.sql",
            sql: String(decoding: PackageResources._017_remote_file_encryption_sql, as: UTF8.self)),
        SchemaMigration(
            version: 18, name: "0018_browser_save_token.sql",
            sql: String(decoding: PackageResources._018_browser_save_token_sql, as: UTF8.self)),
        SchemaMigration(
            version: 19, name: "0019_remote_file_failures.sql",
            sql: String(decoding: PackageResources._019_remote_file_failures_sql, as: UTF8.self)),
    ]
}
