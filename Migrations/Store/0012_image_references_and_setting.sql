-- store 0012 (0015 of the single list kept until 0019): an item names its images by hash whether this library holds them or not, and a device
-- may keep no images at all.
--
-- A device with images off (a small phone) applies the `images` field of the items it syncs
-- but stores none of their bytes, and a bundle it passes on cannot carry them. So an item may
-- name an image its library does not hold: `item_image` keeps its references by hash (0014's
-- `item_asset` needed the asset's row), an image that arrives later is found by its users, and
-- `fetch-images` fetches what is missing. The setting belongs to the device, not the library's
-- content: it is a column of `library`, not a field of the change log, and does not sync.
CREATE TABLE item_image (
    item INTEGER NOT NULL REFERENCES item(seq),
    hash TEXT NOT NULL,
    PRIMARY KEY (item, hash)
) WITHOUT ROWID;
CREATE INDEX item_image_by_hash ON item_image(hash);
INSERT INTO item_image (item, hash)
    SELECT item_asset.item, asset.hash FROM item_asset JOIN asset ON asset.id = item_asset.asset;
DROP TABLE item_asset;

ALTER TABLE library ADD COLUMN keeps_images INTEGER NOT NULL DEFAULT 1 CHECK (keeps_images IN (0, 1));
