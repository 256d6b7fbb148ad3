-- Search threads keep each story's visibility (status, publication time, section) in memory, so
-- that checking the thousands of matches a search reads costs an array look-up each instead of a
-- b-tree descent (search/visible-stories-repository.ts). To keep that copy exact they need to know which
-- stories changed: every insert, delete or change of those columns appends the story's id here,
-- in the same transaction as the change (a rollback logs nothing). Before each search a thread
-- reads what was appended since its last look, usually nothing, and re-reads just those stories.
--
-- The log keeps its newest 100,000 entries: each append drops the one 100,000 behind it. A thread
-- that fell further behind than that (its first unread entry is gone) reads every story afresh.
CREATE TABLE article_visibility_changes (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  article_id INTEGER NOT NULL
) STRICT;

CREATE TRIGGER article_visibility_logged_on_insert AFTER INSERT ON articles
BEGIN
  INSERT INTO article_visibility_changes (article_id) VALUES (new.id);
  DELETE FROM article_visibility_changes WHERE seq <= (SELECT max(seq) FROM article_visibility_changes) - 100000;
END;

CREATE TRIGGER article_visibility_logged_on_update AFTER UPDATE OF id, status, published_at, section_id ON articles
BEGIN
  INSERT INTO article_visibility_changes (article_id) VALUES (old.id);
  INSERT INTO article_visibility_changes (article_id) SELECT new.id WHERE new.id <> old.id;
  DELETE FROM article_visibility_changes WHERE seq <= (SELECT max(seq) FROM article_visibility_changes) - 100000;
END;

CREATE TRIGGER article_visibility_logged_on_delete AFTER DELETE ON articles
BEGIN
  INSERT INTO article_visibility_changes (article_id) VALUES (old.id);
  DELETE FROM article_visibility_changes WHERE seq <= (SELECT max(seq) FROM article_visibility_changes) - 100000;
END;
