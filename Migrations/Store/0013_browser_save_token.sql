-- store 0013 (0018 of the single list kept until 0019): the token a bookmarklet sends with a page to `parallax serve`.
--
-- A bookmarklet runs on another site's page, so its request is cross-site and carries no
-- session cookie; this token is what tells the server the request is the reader's. It
-- belongs to the device (a bookmarklet is made for one machine's server), so it is a column
-- of `library` and never syncs. NULL until the server first needs one.
ALTER TABLE library ADD COLUMN save_token TEXT;
