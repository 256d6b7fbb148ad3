-- Search threads keep, for each common word, which stories have it (search/word-sets-repository.ts),
-- and follow the stories that change through the log of migration 0032, as they do for visibility.
-- That log had every insert, delete and change of status, publication time or section (a section is
-- one more word in the words-only index), but not changes to the words themselves: this adds them,
-- in the same transaction as the change. The visibility copy reads the story again for these too,
-- which costs a row and changes nothing.
CREATE TRIGGER article_words_logged_on_update AFTER UPDATE OF headline, deck, body_text, byline, topics_text ON articles
BEGIN
  INSERT INTO article_visibility_changes (article_id) VALUES (new.id);
  DELETE FROM article_visibility_changes WHERE seq <= (SELECT max(seq) FROM article_visibility_changes) - 100000;
END;
