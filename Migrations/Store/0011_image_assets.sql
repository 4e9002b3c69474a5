-- store 0011 (0014 of the single list kept until 0019): the images an article shows, kept offline.
--
-- An image is an asset: its bytes and their format (checked against the bytes), stored once
-- by SHA-256 however many items show it. An item's `images` field maps each image address of
-- its HTML to the asset fetched from it (canonical JSON); an image that could not be fetched
-- is not in the map, and its HTML keeps the address. `item_asset` is that field's references
-- as rows, kept by the write path, so that an asset's users are found without parsing JSON.
CREATE TABLE asset (
    id   INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL CHECK (type IN ('image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif')),
    data BLOB NOT NULL
);

ALTER TABLE item ADD COLUMN images TEXT;

CREATE TABLE item_asset (
    item  INTEGER NOT NULL REFERENCES item(seq),
    asset INTEGER NOT NULL REFERENCES asset(id),
    PRIMARY KEY (item, asset)
) WITHOUT ROWID;
CREATE INDEX item_asset_by_asset ON item_asset(asset);

-- `stats` shows the images and their bytes from the kept counts (0008), as it does items.
CREATE TRIGGER asset_count_added AFTER INSERT ON asset
BEGIN
    INSERT INTO item_count (kind, name, count) VALUES ('images', '', 1), ('image_bytes', '', length(new.data))
    ON CONFLICT (kind, name) DO UPDATE SET count = count + excluded.count;
END;

CREATE TRIGGER asset_count_removed AFTER DELETE ON asset
BEGIN
    INSERT INTO item_count (kind, name, count) VALUES ('images', '', -1), ('image_bytes', '', -length(old.data))
    ON CONFLICT (kind, name) DO UPDATE SET count = count + excluded.count;
END;
