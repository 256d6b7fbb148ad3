-- Corrections: a dated note on a published story ("Correction, July 2, 2013: ..."), shown at the
-- end of the article and listed at /corrections, newest first. Adding one also dates the story
-- (updated_at, so dateModified). Whoever changes a correction (the editor, a script), the
-- triggers below drop the story's stored render (the note is in it), move the content version,
-- and queue purges of the story's pages and of /corrections, in the same transaction.
CREATE TABLE article_corrections (
  id         INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  text       TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  noted_at   TEXT NOT NULL,
  user_id    INTEGER,
  email      TEXT NOT NULL
) STRICT;

CREATE INDEX article_corrections_article ON article_corrections (article_id, noted_at);
CREATE INDEX article_corrections_newest ON article_corrections (noted_at DESC);

CREATE TRIGGER article_corrections_after_insert AFTER INSERT ON article_corrections BEGIN
  DELETE FROM article_renders WHERE article_id = NEW.article_id;
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
  INSERT INTO cache_purges (key) VALUES ('corrections');
  INSERT INTO cache_purges (key) VALUES ('article-' || NEW.article_id);
END;

CREATE TRIGGER article_corrections_after_update AFTER UPDATE ON article_corrections BEGIN
  DELETE FROM article_renders WHERE article_id = NEW.article_id;
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
  INSERT INTO cache_purges (key) VALUES ('corrections');
  INSERT INTO cache_purges (key) VALUES ('article-' || NEW.article_id);
END;

CREATE TRIGGER article_corrections_after_delete AFTER DELETE ON article_corrections BEGIN
  DELETE FROM article_renders WHERE article_id = OLD.article_id;
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
  INSERT INTO cache_purges (key) VALUES ('corrections');
  INSERT INTO cache_purges (key) VALUES ('article-' || OLD.article_id);
END;
