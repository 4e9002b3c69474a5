-- feeds 0001: what this device learned fetching each followed feed, and the entries whose
-- page it could not fetch yet.
--
-- None of it syncs. Each device fetches on its own schedule, a validator (ETag,
-- Last-Modified) is only good for the copy it came with, and an error on one network says
-- nothing about another. The subscriptions themselves are library data (store 0014).
CREATE TABLE feed_fetch (
    feed          TEXT PRIMARY KEY,                   -- the subscription's id
    etag          TEXT,
    last_modified TEXT,
    last_fetch    TEXT,                               -- ISO 8601, UTC: the last attempt
    last_success  TEXT,
    next_fetch    TEXT,                               -- not before this
    failures      INTEGER NOT NULL DEFAULT 0,         -- in a row, for the backoff
    last_error    TEXT,
    gone          INTEGER NOT NULL DEFAULT 0 CHECK (gone IN (0, 1)),  -- answered 410
    articles      INTEGER NOT NULL DEFAULT 0,         -- articles it brought in on this device
    requests      INTEGER NOT NULL DEFAULT 0,
    not_modified  INTEGER NOT NULL DEFAULT 0          -- answers 304: bodies not sent again
) WITHOUT ROWID;

-- An entry kept with its summary because its page could not be fetched: tried again on
-- later refreshes, a few times, then left as it is.
CREATE TABLE feed_page_retry (
    item     TEXT PRIMARY KEY,                        -- the article's id
    feed     TEXT NOT NULL,
    url      TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    error    TEXT NOT NULL
) WITHOUT ROWID;
