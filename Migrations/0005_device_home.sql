-- 0005: what keeps a copied or restored library from reusing its device's counters, and what
-- `sync undo` needs to refuse an undo it cannot do whole.
--
-- A library records the file path and the machine it lives on. Opened elsewhere, it is a copy
-- and moves to a new device id before it writes anything (docs/architecture.md, "Device ids").
ALTER TABLE library ADD COLUMN home_path TEXT;
ALTER TABLE library ADD COLUMN home_machine TEXT;

-- How many history rows an import wrote: fewer left means some were pruned since.
ALTER TABLE sync_receipt ADD COLUMN history_rows INTEGER;
