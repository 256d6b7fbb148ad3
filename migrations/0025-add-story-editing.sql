-- The newsroom's story editor: who wrote a story, where it is in the newsroom's work (its public
-- status stays 'draft' or 'published'), a revision number that every save must name (two people
-- saving the same story: the second is shown a conflict instead of overwriting), and every saved
-- revision, so that two can be compared and one restored.
ALTER TABLE articles ADD COLUMN author_id INTEGER;
ALTER TABLE articles ADD COLUMN newsroom_state TEXT CHECK (newsroom_state IN ('review', 'unpublished'));
ALTER TABLE articles ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TABLE article_revisions (
  id          INTEGER PRIMARY KEY,
  article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  revision    INTEGER NOT NULL,
  user_id     INTEGER,
  email       TEXT NOT NULL,
  saved_at    TEXT NOT NULL,
  action      TEXT NOT NULL,
  -- The editor's fields as saved (JSON): what comparing and restoring read.
  snapshot    TEXT NOT NULL CHECK (json_valid(snapshot)),
  UNIQUE (article_id, revision)
) STRICT;
