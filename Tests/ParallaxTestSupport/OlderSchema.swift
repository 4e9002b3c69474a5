import ParallaxMigrations

/// SQL that takes a library back to before a migration of the single list releases kept until
/// 0019, to test the upgrade from it.
///
/// Each undoes one migration and those after it, so a test names the release it starts from.
public enum OlderSchema {
    /// The library's record of migrations as releases up to 0019 kept it: one list, before
    /// each module owned its tables; what owners' migrations added since is taken out.
    public static let singleList =
        afterSingleList + "DROP TABLE schema_migration; DELETE FROM parallax_migration;\n"
        + LegacyMigrations.all.map {
            "INSERT INTO parallax_migration VALUES (\($0.version), '\($0.name)', '\($0.checksum)', 'then');\n"
        }.joined()

    /// Undoes the migrations of owners' tracks that came after the single list: store 0014 and
    /// feeds 0001.
    static let afterSingleList = """
        DROP TABLE feed_fetch; DROP TABLE feed_page_retry;
        DROP TABLE feed; DROP INDEX item_entry; DROP INDEX item_listed_order; DROP INDEX item_unlisted_order;
        ALTER TABLE item DROP COLUMN listed; ALTER TABLE item DROP COLUMN feed; ALTER TABLE item DROP COLUMN entry;

        """

    /// Before 0019: a file of a remote that did not check was tried again on every sync.
    public static let before0019 =
        singleList + """
            DROP TABLE sync_remote_failure;
            DELETE FROM parallax_migration WHERE version >= 19;
            """

    /// Before 0018: a library kept no save token for the reading app's bookmarklet.
    public static let before0018 =
        before0019 + """
            ALTER TABLE library DROP COLUMN save_token;
            DELETE FROM parallax_migration WHERE version >= 18;
            """

    /// Before 0017: a remote's recorded files did not say whether they were encrypted.
    public static let before0017 =
        before0018 + """
            ALTER TABLE sync_remote_file DROP COLUMN encrypted;
            DELETE FROM parallax_migration WHERE version >= 17;
            """

    /// Before 0016: a library kept no remotes.
    public static let before0016 =
        before0017 + """
            DROP TABLE sync_remote; DROP TABLE sync_remote_file; DROP TABLE sync_forgotten;
            DELETE FROM parallax_migration WHERE version >= 16;
            """

    /// Before 0015: images were referenced only when held, and every device kept them.
    public static let before0015 =
        before0016 + """
                    DROP TABLE item_image; ALTER TABLE library DROP COLUMN keeps_images;
                    CREATE TABLE item_asset (item INTEGER NOT NULL REFERENCES item(seq), asset INTEGER NOT NULL
                        REFERENCES asset(id), PRIMARY KEY (item, asset)) WITHOUT ROWID;
                    CREATE INDEX item_asset_by_asset ON item_asset(asset);
                    DELETE FROM parallax_migration WHERE version >= 15;
            """

    /// Before 0014: no images were kept.
    public static let before0014 =
        before0015 + """
            DROP TABLE item_asset; DROP TABLE asset; ALTER TABLE item DROP COLUMN images;
            DROP TRIGGER IF EXISTS asset_count_added; DROP TRIGGER IF EXISTS asset_count_removed;
            DELETE FROM item_count WHERE kind IN ('images', 'image_bytes');
            DELETE FROM parallax_migration WHERE version >= 14;
            """

    /// Before 0013: an item kept only its text.
    public static let before0013 =
        before0014 + """
            DROP INDEX item_html; ALTER TABLE item DROP COLUMN html_id;
            DELETE FROM parallax_migration WHERE version >= 13;
            """

    /// Before 0012: full-text search wrote a segment whenever 1 MiB of terms were pending.
    public static let before0012 =
        before0013 + """
            DELETE FROM item_search_config WHERE k = 'hashsize';
            DELETE FROM parallax_migration WHERE version >= 12;
            """

    /// Before 0011: shared events were found by reading the outlets' articles.
    public static let before0011 =
        before0012 + """
            DROP INDEX grouping_article_source; DROP INDEX item_corrected_event;
            DELETE FROM parallax_migration WHERE version >= 11;
            """

    /// Before 0010: a body's word count was read past its text.
    public static let before0010 =
        before0011 + """
            DROP INDEX body_summary;
            DELETE FROM parallax_migration WHERE version >= 10;
            """

    /// Before 0009: the grouping kept only each article's event.
    public static let before0009 =
        before0010 + """
            DROP TABLE grouping_term; DROP TABLE grouping_article; DROP TABLE grouping_posting;
            DROP TABLE grouping_strong;
            CREATE TABLE event_grouping (item_id TEXT PRIMARY KEY NOT NULL, event_id TEXT NOT NULL) WITHOUT ROWID;
            ALTER TABLE event_grouping_state DROP COLUMN documents;
            ALTER TABLE event_grouping_state DROP COLUMN grouped_documents;
            DELETE FROM parallax_migration WHERE version >= 9;
            """

    /// Before 0008: no list indexes and no kept counts.
    public static let before0008 =
        before0009 + """
            DROP INDEX item_saved_order; DROP INDEX item_published_order; DROP INDEX item_source_order;
            DROP INDEX item_state_order; DROP INDEX item_favorite_order; DROP INDEX item_archived_order;
            DROP INDEX item_tag_lookup; DROP TABLE item_count;
            DROP TRIGGER item_count_added; DROP TRIGGER item_count_changed; DROP TRIGGER item_count_removed;
            DROP TRIGGER item_tag_count_added; DROP TRIGGER item_tag_count_changed;
            DROP TRIGGER highlight_count_added; DROP TRIGGER highlight_count_changed;
            DELETE FROM parallax_migration WHERE version >= 8;
            """

    /// Before 0007: a stored grouping was told current by a fingerprint of the articles.
    public static let before0007 =
        before0008 + """
            DROP TRIGGER item_grouping_added;
            DROP TRIGGER item_grouping_changed;
            DROP TABLE event_grouping_change;
            ALTER TABLE event_grouping_state RENAME COLUMN grouper TO fingerprint;
            DELETE FROM parallax_migration WHERE version >= 7;
            """
}
