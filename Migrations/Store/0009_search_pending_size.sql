-- store 0009 (0012 of the single list kept until 0019): let full-text search hold a whole import batch in memory before it writes a segment.
--
-- FTS5 keeps the terms of new rows in memory and writes them out as a new segment when they
-- pass `hashsize` (1 MiB by default) or the transaction commits. One import batch of articles
-- holds several MiB of text, so the default wrote several small segments per batch, and merging
-- them again took a third of an import. At 32 MiB a batch becomes one segment; the memory is
-- only ever used by a transaction that indexes that much text.
INSERT INTO item_search (item_search, rank) VALUES ('hashsize', 33554432);
