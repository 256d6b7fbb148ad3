-- Finding which stories match a search reads posting lists, newest first, thousands of ids at a
-- time; the main index (article_search) stores every word's positions with each id, and reading
-- past them is most of the cost: on 100,000 stories, the ids of three words, two of them in nearly
-- every story, took 2.1 ms to read there and 0.7 ms here, and 20,000 ids of a word in a section's
-- search 4.2 ms there and 2.6 ms here. This index holds which stories have each word and nothing
-- else (detail = none: a tenth of the size), so it answers every search made of single words
-- (search-plan.ts); phrases need positions and still read the main index, as do ranking and
-- snippets. The same columns (and one more, below), tokenizer and prefix indexes as
-- article_search, so the same MATCH expressions work on both; kept by triggers on articles like the main index (0007).
--
-- It also holds each story's section, as one more word: a private-use character and the
-- section's id, which unicode61 reads as a word and no query can contain (the query compiler
-- keeps letters, marks and digits only). A search within a section asks for it with the searched
-- words, and the index reads only that section's matches: on 100,000 stories, a common word's
-- 20,000 newest matches had to be read before to find a thousand in one section.
ALTER TABLE articles ADD COLUMN search_section TEXT GENERATED ALWAYS AS (char(58860) || section_id) VIRTUAL;

CREATE VIRTUAL TABLE article_search_words USING fts5(
  headline, deck, body_text, byline, topics_text, search_section,
  content = 'articles', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2',
  prefix = '2 3',
  detail = none
);
INSERT INTO article_search_words (article_search_words) VALUES ('rebuild');
-- A rebuild leaves a dozen segments on 100,000 stories, each read by every search: merged now.
INSERT INTO article_search_words (article_search_words) VALUES ('optimize');

CREATE TRIGGER article_search_words_after_insert AFTER INSERT ON articles BEGIN
  INSERT INTO article_search_words (rowid, headline, deck, body_text, byline, topics_text, search_section)
  VALUES (NEW.id, NEW.headline, NEW.deck, NEW.body_text, NEW.byline, NEW.topics_text, NEW.search_section);
END;

CREATE TRIGGER article_search_words_after_delete AFTER DELETE ON articles BEGIN
  INSERT INTO article_search_words (article_search_words, rowid, headline, deck, body_text, byline, topics_text, search_section)
  VALUES ('delete', OLD.id, OLD.headline, OLD.deck, OLD.body_text, OLD.byline, OLD.topics_text, OLD.search_section);
END;

CREATE TRIGGER article_search_words_after_update
AFTER UPDATE OF headline, deck, body_text, byline, topics_text, section_id ON articles BEGIN
  INSERT INTO article_search_words (article_search_words, rowid, headline, deck, body_text, byline, topics_text, search_section)
  VALUES ('delete', OLD.id, OLD.headline, OLD.deck, OLD.body_text, OLD.byline, OLD.topics_text, OLD.search_section);
  INSERT INTO article_search_words (rowid, headline, deck, body_text, byline, topics_text, search_section)
  VALUES (NEW.id, NEW.headline, NEW.deck, NEW.body_text, NEW.byline, NEW.topics_text, NEW.search_section);
END;
