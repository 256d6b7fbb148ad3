-- Finding which stories match a search reads posting lists, newest first, thousands of ids at a
-- time; the main index (article_search) stores every word's positions with each id, and reading
-- past them is most of the cost: on 100,000 stories, the ids of three words, two of them in nearly
-- every story, took 2.1 ms to read there and 0.7 ms here, and 20,000 ids of a word in a section's
-- search 4.2 ms there and 2.6 ms here. This index holds which stories have each word and nothing
-- else (detail = none: a tenth of the size), so it answers every search made of single words
-- (search-plan.ts); phrases need positions and still read the main index, as do ranking and
-- snippets. Same columns, tokenizer and prefix indexes as article_search, so the same MATCH
-- expressions work on both; kept by triggers on articles like the main index (0007).
CREATE VIRTUAL TABLE article_search_words USING fts5(
  headline, deck, body_text, byline, topics_text,
  content = 'articles', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2',
  prefix = '2 3',
  detail = none
);
INSERT INTO article_search_words (article_search_words) VALUES ('rebuild');
-- A rebuild leaves a dozen segments on 100,000 stories, each read by every search: merged now.
INSERT INTO article_search_words (article_search_words) VALUES ('optimize');

CREATE TRIGGER article_search_words_after_insert AFTER INSERT ON articles BEGIN
  INSERT INTO article_search_words (rowid, headline, deck, body_text, byline, topics_text)
  VALUES (NEW.id, NEW.headline, NEW.deck, NEW.body_text, NEW.byline, NEW.topics_text);
END;

CREATE TRIGGER article_search_words_after_delete AFTER DELETE ON articles BEGIN
  INSERT INTO article_search_words (article_search_words, rowid, headline, deck, body_text, byline, topics_text)
  VALUES ('delete', OLD.id, OLD.headline, OLD.deck, OLD.body_text, OLD.byline, OLD.topics_text);
END;

CREATE TRIGGER article_search_words_after_update AFTER UPDATE OF headline, deck, body_text, byline, topics_text ON articles BEGIN
  INSERT INTO article_search_words (article_search_words, rowid, headline, deck, body_text, byline, topics_text)
  VALUES ('delete', OLD.id, OLD.headline, OLD.deck, OLD.body_text, OLD.byline, OLD.topics_text);
  INSERT INTO article_search_words (rowid, headline, deck, body_text, byline, topics_text)
  VALUES (NEW.id, NEW.headline, NEW.deck, NEW.body_text, NEW.byline, NEW.topics_text);
END;
