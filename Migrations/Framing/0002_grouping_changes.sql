-- framing 0002 (0007 of the single list kept until 0019): which articles changed since the stored grouping was made, kept by the write path.
--
-- 0006 told a stored grouping from a stale one by fingerprinting every article, which meant
-- reading the whole library on every `events`, `report` and `compare`. Triggers now note each
-- article added, and each change of a field the grouping reads, whoever writes it (a command,
-- an import, a sync): the stored grouping is current while nothing is noted. Storing a new
-- grouping clears the notes up to the last one it saw, so a change made while it was being
-- made stays noted. AUTOINCREMENT keeps note numbers rising even after every note is cleared.
CREATE TABLE event_grouping_change (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    item INTEGER NOT NULL
);

CREATE TRIGGER item_grouping_added AFTER INSERT ON item
BEGIN
    INSERT INTO event_grouping_change (item) VALUES (new.seq);
END;

CREATE TRIGGER item_grouping_changed
AFTER UPDATE OF title, source, published, saved, body_id, deleted, event ON item
WHEN old.title IS NOT new.title OR old.source IS NOT new.source OR old.published IS NOT new.published
    OR old.saved IS NOT new.saved OR old.body_id IS NOT new.body_id OR old.deleted IS NOT new.deleted
    OR old.event IS NOT new.event
BEGIN
    INSERT INTO event_grouping_change (item) VALUES (new.seq);
END;

-- The grouper's settings replace the fingerprint; a grouping stored before this is made again.
DELETE FROM event_grouping_state;
ALTER TABLE event_grouping_state RENAME COLUMN fingerprint TO grouper;
