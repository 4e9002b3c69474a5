-- sync 0004 (0017 of the single list kept until 0019): whether each bundle seen on a remote is encrypted.
--
-- A device without the remote's shared key must not push plaintext where the other devices
-- encrypt, and it must know so on every sync, not only when it first checks their bundles. The
-- recorded headers are a cache of what the remote holds, so they are dropped and the next sync
-- checks every file again, this time noting its encryption.
DELETE FROM sync_remote_file;
ALTER TABLE sync_remote_file ADD COLUMN encrypted INTEGER NOT NULL DEFAULT 0 CHECK (encrypted IN (0, 1));
