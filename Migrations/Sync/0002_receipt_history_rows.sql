-- sync 0002 (part of 0005 of the single list kept until 0019): what `sync undo` needs to
-- refuse an undo it cannot do whole.
--
-- How many history rows an import wrote: fewer left means some were pruned since.
ALTER TABLE sync_receipt ADD COLUMN history_rows INTEGER;
