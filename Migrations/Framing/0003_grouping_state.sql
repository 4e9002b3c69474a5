-- framing 0003 (0009 of the single list kept until 0019): the grouping's working state, kept in the library so that new articles update the
-- events they touch instead of the whole library being grouped again.
--
-- Like 0006's table it replaces, all of it is derived data: made from the items, written
-- outside the change log, never synced, and made again from scratch whenever the grouper's
-- settings change. Each grouped article keeps its kept term counts, the distinctive terms it
-- is found by, its closest match of another outlet and its event; terms keep how many
-- grouped articles use them.
DROP TABLE event_grouping;

CREATE TABLE grouping_term (
    id        INTEGER PRIMARY KEY,
    word      TEXT NOT NULL UNIQUE,
    documents INTEGER NOT NULL
);

-- terms: little-endian 32-bit words, term id << 8 | min(count, 255), ascending by term.
-- distinctive: little-endian 32-bit term ids, the ones posted in grouping_posting.
-- day: days since 1970-01-01 of the publication (or else saving) date, when known.
CREATE TABLE grouping_article (
    item            INTEGER PRIMARY KEY,
    source          TEXT NOT NULL,
    day             INTEGER,
    terms           BLOB NOT NULL,
    distinctive     BLOB NOT NULL,
    best            INTEGER,
    best_similarity REAL NOT NULL DEFAULT 0,
    event           INTEGER NOT NULL
);
CREATE INDEX grouping_article_best ON grouping_article (best);
CREATE INDEX grouping_article_event ON grouping_article (event);

-- The candidate index: which articles a distinctive term finds.
CREATE TABLE grouping_posting (
    term INTEGER NOT NULL,
    item INTEGER NOT NULL,
    PRIMARY KEY (term, item)
) WITHOUT ROWID;

-- Pairs similar enough to be one event whatever their closest matches are; first < second.
CREATE TABLE grouping_strong (
    first  INTEGER NOT NULL,
    second INTEGER NOT NULL,
    PRIMARY KEY (first, second)
) WITHOUT ROWID;
CREATE INDEX grouping_strong_second ON grouping_strong (second, first);

-- documents: how many articles the term counts cover; grouped_documents: how many they
-- covered when the library was last grouped from scratch. An upgraded library is grouped once.
ALTER TABLE event_grouping_state ADD COLUMN documents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event_grouping_state ADD COLUMN grouped_documents INTEGER NOT NULL DEFAULT 0;
DELETE FROM event_grouping_state;
