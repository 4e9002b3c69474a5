-- store 0006 (0008 of the single list kept until 0019): indexes that keep `list` (and the reading app's list) instant in a big library, and
-- counts that the write path keeps, so `stats` never scans.
--
-- A page of a list walks an index in its order and stops at the page's end, instead of
-- sorting every item. The commonest filters have their own indexes, so a rare one (the few
-- favorites among a million items) does not walk the whole order to fill its page.
-- Ties go by insertion order (`seq`, the rowid every index already ends with), so the
-- indexes hold no copy of the 26-character id: a quarter of what they added to an import.
CREATE INDEX item_saved_order ON item(saved);
CREATE INDEX item_published_order ON item(coalesce(published, saved));
CREATE INDEX item_source_order ON item(source COLLATE NOCASE, saved);
CREATE INDEX item_state_order ON item(reading_state, saved);
CREATE INDEX item_favorite_order ON item(saved) WHERE favorite = 1;
CREATE INDEX item_archived_order ON item(saved) WHERE archived = 1;
CREATE INDEX item_tag_lookup ON item_tag(tag, item) WHERE present = 1;

-- The counts `stats` shows, kept by triggers whoever writes (a command, an import, a sync),
-- as (kind, name, count): items, deleted, words, archived, favorite and highlights under an
-- empty name; `state`, `source` and `tag` per value. Only items not removed are counted, and
-- a tag or highlight only while its item is not. A count may reach 0 and stay as a row.
CREATE TABLE item_count (
    kind  TEXT NOT NULL,
    name  TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (kind, name)
) WITHOUT ROWID;

CREATE TRIGGER item_count_added AFTER INSERT ON item
BEGIN
    INSERT INTO item_count (kind, name, count) VALUES
        ('items', '', 1 - new.deleted),
        ('deleted', '', new.deleted),
        ('state', new.reading_state, 1 - new.deleted),
        ('archived', '', new.archived * (1 - new.deleted)),
        ('favorite', '', new.favorite * (1 - new.deleted)),
        ('words', '', (1 - new.deleted) * coalesce((SELECT word_count FROM body WHERE id = new.body_id), 0)),
        ('source', coalesce(new.source, ''), (1 - new.deleted) * (new.source IS NOT NULL))
    ON CONFLICT (kind, name) DO UPDATE SET count = count + excluded.count;
END;

CREATE TRIGGER item_count_changed
AFTER UPDATE OF reading_state, archived, favorite, deleted, source, body_id ON item
BEGIN
    INSERT INTO item_count (kind, name, count) VALUES
        ('items', '', old.deleted - new.deleted),
        ('deleted', '', new.deleted - old.deleted),
        ('state', old.reading_state, old.deleted - 1),
        ('archived', '', old.archived * (old.deleted - 1)),
        ('favorite', '', old.favorite * (old.deleted - 1)),
        ('words', '', (old.deleted - 1) * coalesce((SELECT word_count FROM body WHERE id = old.body_id), 0)),
        ('source', coalesce(old.source, ''), (old.deleted - 1) * (old.source IS NOT NULL))
    ON CONFLICT (kind, name) DO UPDATE SET count = count + excluded.count;
    INSERT INTO item_count (kind, name, count) VALUES
        ('state', new.reading_state, 1 - new.deleted),
        ('archived', '', new.archived * (1 - new.deleted)),
        ('favorite', '', new.favorite * (1 - new.deleted)),
        ('words', '', (1 - new.deleted) * coalesce((SELECT word_count FROM body WHERE id = new.body_id), 0)),
        ('source', coalesce(new.source, ''), (1 - new.deleted) * (new.source IS NOT NULL))
    ON CONFLICT (kind, name) DO UPDATE SET count = count + excluded.count;
END;

CREATE TRIGGER item_count_removed AFTER UPDATE OF deleted ON item WHEN old.deleted IS NOT new.deleted
BEGIN
    INSERT INTO item_count (kind, name, count)
        SELECT 'tag', tag, old.deleted - new.deleted FROM item_tag WHERE item = new.seq AND present = 1
    ON CONFLICT (kind, name) DO UPDATE SET count = count + excluded.count;
    INSERT INTO item_count (kind, name, count)
        SELECT 'highlights', '', (old.deleted - new.deleted) * count(*) FROM highlight
        WHERE item = new.seq AND deleted = 0
    ON CONFLICT (kind, name) DO UPDATE SET count = count + excluded.count;
END;

CREATE TRIGGER item_tag_count_added AFTER INSERT ON item_tag
BEGIN
    INSERT INTO item_count (kind, name, count)
        SELECT 'tag', new.tag, new.present * (1 - deleted) FROM item WHERE seq = new.item
    ON CONFLICT (kind, name) DO UPDATE SET count = count + excluded.count;
END;

CREATE TRIGGER item_tag_count_changed AFTER UPDATE OF item, tag, present ON item_tag
BEGIN
    INSERT INTO item_count (kind, name, count)
        SELECT 'tag', old.tag, -old.present * (1 - deleted) FROM item WHERE seq = old.item
    ON CONFLICT (kind, name) DO UPDATE SET count = count + excluded.count;
    INSERT INTO item_count (kind, name, count)
        SELECT 'tag', new.tag, new.present * (1 - deleted) FROM item WHERE seq = new.item
    ON CONFLICT (kind, name) DO UPDATE SET count = count + excluded.count;
END;

CREATE TRIGGER highlight_count_added AFTER INSERT ON highlight
BEGIN
    INSERT INTO item_count (kind, name, count)
        SELECT 'highlights', '', (1 - new.deleted) * (1 - deleted) FROM item WHERE seq = new.item
    ON CONFLICT (kind, name) DO UPDATE SET count = count + excluded.count;
END;

CREATE TRIGGER highlight_count_changed AFTER UPDATE OF item, deleted ON highlight
BEGIN
    INSERT INTO item_count (kind, name, count)
        SELECT 'highlights', '', -(1 - old.deleted) * (1 - deleted) FROM item WHERE seq = old.item
    ON CONFLICT (kind, name) DO UPDATE SET count = count + excluded.count;
    INSERT INTO item_count (kind, name, count)
        SELECT 'highlights', '', (1 - new.deleted) * (1 - deleted) FROM item WHERE seq = new.item
    ON CONFLICT (kind, name) DO UPDATE SET count = count + excluded.count;
END;

-- The counts of a library made before this migration, counted once.
INSERT INTO item_count (kind, name, count)
    SELECT 'items', '', count(*) FILTER (WHERE deleted = 0) FROM item
    UNION ALL SELECT 'deleted', '', count(*) FILTER (WHERE deleted = 1) FROM item
    UNION ALL SELECT 'archived', '', count(*) FILTER (WHERE deleted = 0 AND archived = 1) FROM item
    UNION ALL SELECT 'favorite', '', count(*) FILTER (WHERE deleted = 0 AND favorite = 1) FROM item
    UNION ALL SELECT 'words', '', coalesce(sum(body.word_count) FILTER (WHERE deleted = 0), 0)
        FROM item JOIN body ON body.id = item.body_id
    UNION ALL SELECT 'state', reading_state, count(*) FROM item WHERE deleted = 0 GROUP BY reading_state
    UNION ALL SELECT 'source', source, count(*) FROM item WHERE deleted = 0 AND source IS NOT NULL
        GROUP BY source
    UNION ALL SELECT 'tag', tag, count(*) FROM item_tag JOIN item ON item.seq = item_tag.item
        WHERE present = 1 AND item.deleted = 0 GROUP BY tag
    UNION ALL SELECT 'highlights', '', count(*) FROM highlight JOIN item ON item.seq = highlight.item
        WHERE highlight.deleted = 0 AND item.deleted = 0;
