-- store 0010 (0013 of the single list kept until 0019): the article as it was published, beside its text.
--
-- An item may point at a second document: its body as sanitized HTML (headings, tables,
-- figures, links and images), from the same part of the page as the text. It is stored like
-- a body, content-addressed in the `body` table, so history and sync carry its hash, a bundle
-- carries the document once with the bodies, and one already present is never stored twice.
-- The text stays the article's primary body: search, framing, highlights and dedupe read it.
ALTER TABLE item ADD COLUMN html_id INTEGER REFERENCES body(id);
CREATE INDEX item_html ON item(html_id) WHERE html_id IS NOT NULL;
