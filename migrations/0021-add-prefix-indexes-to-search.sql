-- Prefix searches ("san*") read every indexed word with that beginning, and its whole posting
-- list; on 100,000 stories "p*" held a worker for 6 s. FTS5 keeps separate indexes of 2- and
-- 3-letter prefixes when asked (prefix='2 3'), which serve those queries directly; the query
-- compiler refuses 1-letter prefixes (search-query.ts). The table is rebuilt with the option; its
-- triggers on articles (0007) name it and keep working.
DROP TABLE article_search;

CREATE VIRTUAL TABLE article_search USING fts5(
  headline, deck, body_text, byline, topics_text,
  content = 'articles', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2',
  prefix = '2 3'
);
INSERT INTO article_search (article_search) VALUES ('rebuild');
