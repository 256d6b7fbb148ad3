-- Full-text search over articles. The FTS5 index reads its text from the articles table (external
-- content, so the text is stored once) and is kept in step by the triggers below on every insert,
-- update and delete. Stemming (porter) and accent folding: "negotiators" finds "negotiator",
-- "resume" finds "résumé".
ALTER TABLE articles ADD COLUMN topics_text TEXT NOT NULL DEFAULT '';

UPDATE articles SET topics_text = coalesce((
  SELECT group_concat(t.name, ' ') FROM article_topics at JOIN topics t ON t.id = at.topic_id WHERE at.article_id = articles.id
), '');

CREATE VIRTUAL TABLE article_search USING fts5(
  headline, deck, body_text, byline, topics_text,
  content = 'articles', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO article_search (article_search) VALUES ('rebuild');

CREATE TRIGGER article_search_after_insert AFTER INSERT ON articles BEGIN
  INSERT INTO article_search (rowid, headline, deck, body_text, byline, topics_text)
  VALUES (NEW.id, NEW.headline, NEW.deck, NEW.body_text, NEW.byline, NEW.topics_text);
END;

CREATE TRIGGER article_search_after_delete AFTER DELETE ON articles BEGIN
  INSERT INTO article_search (article_search, rowid, headline, deck, body_text, byline, topics_text)
  VALUES ('delete', OLD.id, OLD.headline, OLD.deck, OLD.body_text, OLD.byline, OLD.topics_text);
END;

CREATE TRIGGER article_search_after_update AFTER UPDATE OF headline, deck, body_text, byline, topics_text ON articles BEGIN
  INSERT INTO article_search (article_search, rowid, headline, deck, body_text, byline, topics_text)
  VALUES ('delete', OLD.id, OLD.headline, OLD.deck, OLD.body_text, OLD.byline, OLD.topics_text);
  INSERT INTO article_search (rowid, headline, deck, body_text, byline, topics_text)
  VALUES (NEW.id, NEW.headline, NEW.deck, NEW.body_text, NEW.byline, NEW.topics_text);
END;

-- An article's topic names are searchable too: they follow its topic links and topic renames.
CREATE TRIGGER article_topics_text_after_insert AFTER INSERT ON article_topics BEGIN
  UPDATE articles SET topics_text = coalesce((
    SELECT group_concat(t.name, ' ') FROM article_topics at JOIN topics t ON t.id = at.topic_id WHERE at.article_id = NEW.article_id
  ), '') WHERE id = NEW.article_id;
END;

CREATE TRIGGER article_topics_text_after_delete AFTER DELETE ON article_topics BEGIN
  UPDATE articles SET topics_text = coalesce((
    SELECT group_concat(t.name, ' ') FROM article_topics at JOIN topics t ON t.id = at.topic_id WHERE at.article_id = OLD.article_id
  ), '') WHERE id = OLD.article_id;
END;

CREATE TRIGGER topics_text_after_rename AFTER UPDATE OF name ON topics BEGIN
  UPDATE articles SET topics_text = coalesce((
    SELECT group_concat(t.name, ' ') FROM article_topics at JOIN topics t ON t.id = at.topic_id WHERE at.article_id = articles.id
  ), '') WHERE id IN (SELECT article_id FROM article_topics WHERE topic_id = NEW.id);
END;
