-- sync 0001 (0002 of the single list kept until 0019): what a library needs to sync with other machines. These rows describe this
-- library's relations to its peers, not articles, so they are not in the change log.

-- This device's Ed25519 signing key, made on first use.
CREATE TABLE device_key (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    private_key BLOB NOT NULL
);

-- Devices whose bundles this library accepts, with the key they must be signed with.
CREATE TABLE trusted_device (
    id         TEXT PRIMARY KEY,
    public_key BLOB NOT NULL,
    trusted    TEXT NOT NULL,
    revoked    TEXT
);

-- What each peer had seen when it last sent a bundle, so `sync export --for` sends only the rest.
CREATE TABLE sync_peer (
    device TEXT PRIMARY KEY,
    vector TEXT NOT NULL,
    seen   TEXT NOT NULL
);

-- One row per imported bundle: importing the same bundle again is recognised, and `sync undo`
-- knows which version to revert.
CREATE TABLE sync_receipt (
    bundle     TEXT PRIMARY KEY,
    device     TEXT NOT NULL,
    imported   TEXT NOT NULL,
    records    INTEGER NOT NULL,
    applied    INTEGER NOT NULL,
    superseded INTEGER NOT NULL,
    version    INTEGER,
    undone     INTEGER NOT NULL DEFAULT 0
);
