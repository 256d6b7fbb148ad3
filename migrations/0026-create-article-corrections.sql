-- Corrections: a dated note on a published story ("Correction, July 2, 2013: ..."), shown at the
-- end of the article and listed at /corrections, newest first. Adding one also dates the story
-- (updated_at, so dateModified), which invalidates its stored render and purges its pages; the
-- /corrections page has its own Surrogate-Key, purged here in the same transaction.
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

CREATE TRIGGER cache_purges_after_corrections_insert AFTER INSERT ON article_corrections BEGIN
  INSERT INTO cache_purges (key) VALUES ('corrections');
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER cache_purges_after_corrections_delete AFTER DELETE ON article_corrections BEGIN
  INSERT INTO cache_purges (key) VALUES ('corrections');
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;
