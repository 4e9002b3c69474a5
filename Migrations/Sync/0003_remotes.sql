-- sync 0003 (0016 of the single list kept until 0019): the remotes a library syncs through, and what it has learnt about their files.
--
-- These rows belong to ParallaxSync and describe this device's relations to other places, not
-- articles: they are not in the change log and do not sync. A password is never stored here.

-- A remote by the name the user gave it: a folder path or a WebDAV collection's address.
CREATE TABLE sync_remote (
    name     TEXT PRIMARY KEY,
    location TEXT NOT NULL UNIQUE,
    user     TEXT,
    insecure INTEGER NOT NULL DEFAULT 0 CHECK (insecure IN (0, 1)),
    key_file TEXT,
    added    TEXT NOT NULL
);

-- The verified header of each file seen on a remote, by the remote's location and the file's
-- name. Files on a remote are immutable and named by their content's id, so a sync downloads
-- only the names it has not seen, and decides what to prune without downloading anything.
-- `kind` is `bundle` (a snapshot is a bundle whose `since` is empty) or `applied` (a device's
-- published vector).
CREATE TABLE sync_remote_file (
    location TEXT NOT NULL,
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('bundle', 'applied')),
    device   TEXT NOT NULL,
    bundle   TEXT,
    since    TEXT NOT NULL,
    vector   TEXT NOT NULL,
    bytes    INTEGER NOT NULL,
    PRIMARY KEY (location, name)
) WITHOUT ROWID;

-- Devices this library no longer waits for before pruning a remote (`sync forget`): a lost
-- phone, or the old id of a library copied to a new machine.
CREATE TABLE sync_forgotten (
    device    TEXT PRIMARY KEY,
    forgotten TEXT NOT NULL
);
