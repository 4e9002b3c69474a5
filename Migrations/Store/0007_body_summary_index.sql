-- store 0007 (0010 of the single list kept until 0019): a body's hash and word count without its text.
--
-- `body.word_count` comes after `text`, and SQLite reaches a column past a long value by
-- walking the value's overflow pages: every list, events window and grouping read two or
-- three pages of text per item only to learn its word count. This covering index answers
-- the join `item JOIN body` with the hash and the count alone.
CREATE INDEX body_summary ON body (id, hash, word_count);
