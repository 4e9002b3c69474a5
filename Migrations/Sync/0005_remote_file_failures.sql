-- sync 0005 (0019 of the single list kept until 0019): the files of a remote that did not check, and when each is tried again.
--
-- A remote's listing names whatever its server, or anyone who can write to its folder, put
-- there. A file that does not check (damaged, forged, from a device this library does not
-- trust, or one the server stalled on) was downloaded again on every sync; now it waits before
-- its next try, longer after each failure (15 minutes, doubling, at most a day). A file whose
-- listed size changes, or whose signing key has been trusted since, is tried again at once. Like
-- `sync_remote_file`, these rows describe this device's view of a place, and do not sync.
CREATE TABLE sync_remote_failure (
    location TEXT NOT NULL,
    name     TEXT NOT NULL,
    -- The size the listing gave when it failed, if it gave one.
    bytes    INTEGER,
    -- Failures in a row.
    failures INTEGER NOT NULL CHECK (failures > 0),
    -- When it may be tried again (ISO 8601, UTC).
    next_try TEXT NOT NULL,
    -- The fingerprint of the key that signed it, when that key was not trusted.
    signer   TEXT,
    -- The line the failure was reported with.
    reason   TEXT NOT NULL,
    PRIMARY KEY (location, name)
) WITHOUT ROWID;
