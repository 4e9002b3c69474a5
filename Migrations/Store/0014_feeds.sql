-- store 0014: the feeds a reader follows, and the articles those feeds brought in.
--
-- A subscription is library data: it syncs through the change log like a tag (entity
-- `feed`, its row in `feed`), so every device follows the same outlets. What a device
-- learned while fetching a feed (validators, next fetch, errors) is the device's own and
-- lives in ParallaxFeeds' tables.
--
-- An article a feed brought in is an item like any other, so events and reports see it, but
-- it is not on the reader's list until they save it: `listed` is 0 for it and 1 for every
-- article saved by hand (all earlier items). `feed` names the feed whose entry created it and
-- `entry` that entry's key, so an entry is saved once by its id as well as by its address.
ALTER TABLE item ADD COLUMN listed INTEGER NOT NULL DEFAULT 1 CHECK (listed IN (0, 1));
ALTER TABLE item ADD COLUMN feed TEXT;
ALTER TABLE item ADD COLUMN entry TEXT;
CREATE INDEX item_entry ON item(entry) WHERE entry IS NOT NULL;
-- `list` shows the reader's list and `list --feeds` the rest, newest first, without walking
-- the other kind: a library that follows fifty outlets holds far more of the second.
CREATE INDEX item_listed_order ON item(saved) WHERE listed = 1;
CREATE INDEX item_unlisted_order ON item(saved) WHERE listed = 0;

CREATE TABLE feed (
    seq     INTEGER PRIMARY KEY,
    id      TEXT NOT NULL UNIQUE,
    url     TEXT NOT NULL,
    title   TEXT,
    source  TEXT,
    tags    TEXT,
    added   TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
