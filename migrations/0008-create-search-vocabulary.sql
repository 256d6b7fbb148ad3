-- The words of headlines, decks and topic names, unstemmed, for "Did you mean …?" suggestions.
-- Contentless (only the index is stored) and small; fts5vocab lists its terms with their counts.
CREATE VIRTUAL TABLE search_words USING fts5(
  words, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO search_words (rowid, words) SELECT id, headline || ' ' || deck || ' ' || topics_text FROM articles;

CREATE VIRTUAL TABLE search_words_vocab USING fts5vocab(search_words, 'row');

CREATE TRIGGER search_words_after_insert AFTER INSERT ON articles BEGIN
  INSERT INTO search_words (rowid, words) VALUES (NEW.id, NEW.headline || ' ' || NEW.deck || ' ' || NEW.topics_text);
END;

CREATE TRIGGER search_words_after_delete AFTER DELETE ON articles BEGIN
  DELETE FROM search_words WHERE rowid = OLD.id;
END;

CREATE TRIGGER search_words_after_update AFTER UPDATE OF headline, deck, topics_text ON articles BEGIN
  DELETE FROM search_words WHERE rowid = OLD.id;
  INSERT INTO search_words (rowid, words) VALUES (NEW.id, NEW.headline || ' ' || NEW.deck || ' ' || NEW.topics_text);
END;
