-- When every word of a search is common (used by thousands of stories), results are ordered by
-- whether the headline has the words, then newest first (search-plan.ts). Asking the main index
-- for headline matches (a column filter) reads the words' whole position lists, some 5 ms per
-- search on 100,000 stories; this index holds headlines alone, so the same question reads lists a
-- sixtieth as long. Same tokenizer and prefix indexes as article_search, so the same MATCH
-- expressions work on both; kept by triggers on articles like the main index (0007).
CREATE VIRTUAL TABLE article_search_headlines USING fts5(
  headline,
  content = 'articles', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2',
  prefix = '2 3'
);
INSERT INTO article_search_headlines (article_search_headlines) VALUES ('rebuild');

CREATE TRIGGER article_search_headlines_after_insert AFTER INSERT ON articles BEGIN
  INSERT INTO article_search_headlines (rowid, headline) VALUES (NEW.id, NEW.headline);
END;

CREATE TRIGGER article_search_headlines_after_delete AFTER DELETE ON articles BEGIN
  INSERT INTO article_search_headlines (article_search_headlines, rowid, headline) VALUES ('delete', OLD.id, OLD.headline);
END;

CREATE TRIGGER article_search_headlines_after_update AFTER UPDATE OF headline ON articles BEGIN
  INSERT INTO article_search_headlines (article_search_headlines, rowid, headline) VALUES ('delete', OLD.id, OLD.headline);
  INSERT INTO article_search_headlines (rowid, headline) VALUES (NEW.id, NEW.headline);
END;
