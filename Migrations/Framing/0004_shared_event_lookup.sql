-- framing 0004 (0011 of the single list kept until 0019): the events several outlets share, found without reading those outlets' articles.
--
-- `compare` needs only the events every compared outlet covered; reading each outlet's
-- articles to find them cost seconds at a million articles. The grouping state by outlet,
-- and the few articles a reader put in an event by hand, answer it from two small indexes.
CREATE INDEX grouping_article_source ON grouping_article (source, event);
