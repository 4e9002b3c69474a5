-- store 0004 (0004 of the single list kept until 0019): the vocabulary of the search index (term, documents, occurrences), which gives a
-- framing report the whole library's word counts for its prior without reading every article.
CREATE VIRTUAL TABLE item_search_vocabulary USING fts5vocab(item_search, 'row');
