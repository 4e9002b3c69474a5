-- framing 0001 (0006 of the single list kept until 0019): the automatic grouping of articles into events, kept so that `events`, `report` and
-- `compare` read it instead of regrouping the whole library on every call.
--
-- It is derived data, like the search index: made from the items, never edited by a reader,
-- not recorded in the change log and not synced. Each replica groups its own articles. The
-- fingerprint names the articles (and their grouped fields) a stored grouping was made from;
-- when they differ, the grouping is made again and replaces this one. Readers' corrections
-- stay in `item.event`, a change-log field, and win over it.
CREATE TABLE event_grouping (
    item_id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE event_grouping_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL,
    grouped_at TEXT NOT NULL
);
