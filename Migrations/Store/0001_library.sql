-- store 0001 (0001 of the single list kept until 0019): the first schema of a Parallax library.
--
-- Current values live in the rows. The change log is two tables: field_clock keeps
-- the clock of the newest write to each (entity, row, field), which is all sync needs
-- to tell what a peer lacks, and change keeps a bounded history of old and new values
-- for `parallax history`, `log` and `restore`. Neither copies article bodies.

CREATE TABLE device (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    max_counter INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE library (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    format    TEXT NOT NULL CHECK (format = 'parallax-library'),
    device    INTEGER NOT NULL REFERENCES device(seq),
    created   TEXT NOT NULL,
    version   INTEGER NOT NULL DEFAULT 0,
    hlc       INTEGER NOT NULL DEFAULT 0
);

-- Article bodies are content-addressed: an item points at its body, so history and
-- sync carry a hash, and a body already present is never stored twice.
CREATE TABLE body (
    id         INTEGER PRIMARY KEY,
    hash       TEXT NOT NULL UNIQUE,
    text       TEXT NOT NULL,
    word_count INTEGER NOT NULL
);

CREATE TABLE item (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    url           TEXT,
    canonical_url TEXT,
    title         TEXT NOT NULL,
    byline        TEXT,
    source        TEXT,
    published     TEXT,
    saved         TEXT NOT NULL,
    language      TEXT,
    body_id       INTEGER NOT NULL REFERENCES body(id),
    reading_state TEXT NOT NULL DEFAULT 'unread'
                  CHECK (reading_state IN ('unread', 'reading', 'read')),
    progress      REAL NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
    archived      INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    favorite      INTEGER NOT NULL DEFAULT 0 CHECK (favorite IN (0, 1)),
    note          TEXT,
    deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX item_canonical_url ON item(canonical_url) WHERE canonical_url IS NOT NULL;
CREATE INDEX item_body ON item(body_id);

-- A tag is a row per (item, tag) whose presence is a field, so removing a tag is a
-- change with a clock like any other and a concurrent add can be told from it.
CREATE TABLE item_tag (
    seq     INTEGER PRIMARY KEY,
    item    INTEGER NOT NULL REFERENCES item(seq),
    tag     TEXT NOT NULL,
    present INTEGER NOT NULL CHECK (present IN (0, 1)),
    UNIQUE (item, tag)
);

CREATE TABLE highlight (
    seq     INTEGER PRIMARY KEY,
    id      TEXT NOT NULL UNIQUE,
    item    INTEGER NOT NULL REFERENCES item(seq),
    quote   TEXT NOT NULL,
    note    TEXT,
    created TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX highlight_item ON highlight(item);

-- field '*' is the row's creation: it stands for every field that has no row of its own.
CREATE TABLE field_clock (
    entity  TEXT NOT NULL,
    row     INTEGER NOT NULL,
    field   TEXT NOT NULL,
    hlc     INTEGER NOT NULL,
    device  INTEGER NOT NULL REFERENCES device(seq),
    counter INTEGER NOT NULL,
    PRIMARY KEY (entity, row, field)
) WITHOUT ROWID;
CREATE INDEX field_clock_device ON field_clock(device, counter);

CREATE TABLE change (
    seq       INTEGER PRIMARY KEY,
    version   INTEGER NOT NULL,
    item      INTEGER NOT NULL REFERENCES item(seq),
    entity    TEXT NOT NULL,
    row       INTEGER NOT NULL,
    field     TEXT NOT NULL,
    old_value,
    new_value,
    hlc       INTEGER NOT NULL,
    device    INTEGER NOT NULL REFERENCES device(seq)
);
CREATE INDEX change_item ON change(item, version);

-- Full-text search reads its text from the rows (external content), so bodies are not
-- stored twice; tombstoned items leave the index. New items are indexed by the library's
-- writer, which has the text at hand (a trigger reading it back from `body` halves the
-- ingest rate); changes to indexed columns go through the trigger below.
CREATE VIEW item_search_content AS
    SELECT item.seq AS seq, item.title AS title, item.byline AS byline,
           item.source AS source, body.text AS body
    FROM item JOIN body ON body.id = item.body_id
    WHERE item.deleted = 0;

CREATE VIRTUAL TABLE item_search USING fts5(
    title, byline, source, body,
    content = 'item_search_content', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO item_search(item_search, rank) VALUES ('rank', 'bm25(8.0, 2.0, 2.0, 1.0)');

CREATE TRIGGER item_search_update AFTER UPDATE OF title, byline, source, body_id, deleted ON item BEGIN
    INSERT INTO item_search(item_search, rowid, title, byline, source, body)
        SELECT 'delete', old.seq, old.title, old.byline, old.source, text
        FROM body WHERE id = old.body_id AND old.deleted = 0;
    INSERT INTO item_search(rowid, title, byline, source, body)
        SELECT new.seq, new.title, new.byline, new.source, text
        FROM body WHERE id = new.body_id AND new.deleted = 0;
END;
