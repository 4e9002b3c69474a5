-- store 0005 (part of 0005 of the single list kept until 0019): what keeps a copied or
-- restored library from reusing its device's counters.
--
-- A library records the file path and the machine it lives on. Opened elsewhere, it is a copy
-- and moves to a new device id before it writes anything (docs/architecture.md, "Device ids").
ALTER TABLE library ADD COLUMN home_path TEXT;
ALTER TABLE library ADD COLUMN home_machine TEXT;
