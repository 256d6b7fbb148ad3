-- Stored renders of article pages: the parts of an article page that depend on the article (its
-- <head> and its <main>), rendered once and kept, so that a page is served by joining them with
-- the site's layout (navigation, promo, offer panel: kept in memory per content version).
--
-- A render is good while its render_key matches the running code, templates and configuration,
-- and until fresh_until (when a scheduled story would join its related stories). The triggers
-- below delete a render the moment anything it shows changes: the article, its topics, a story
-- it links to (article_render_links), a photo it shows (article_render_photos), a section name.
-- Nothing here changes what readers see, so these tables do not bump content_version. Each DELETE
-- names its rows by key (an OR of conditions could make SQLite scan the whole table).
CREATE TABLE article_renders (
  article_id     INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
  render_key     TEXT NOT NULL,
  fresh_until    TEXT,
  surrogate_keys TEXT NOT NULL,
  hash           TEXT NOT NULL,
  -- UTF-8 bytes, sent as they are: no decoding into strings on the way from disk to socket.
  head_html      BLOB NOT NULL,
  main_html      BLOB NOT NULL
) STRICT;

CREATE TABLE article_render_links (
  article_id INTEGER NOT NULL REFERENCES article_renders (article_id) ON DELETE CASCADE,
  linked_id  INTEGER NOT NULL,
  PRIMARY KEY (article_id, linked_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX article_render_links_linked ON article_render_links (linked_id);

CREATE TABLE article_render_photos (
  article_id INTEGER NOT NULL REFERENCES article_renders (article_id) ON DELETE CASCADE,
  photo_id   INTEGER NOT NULL,
  PRIMARY KEY (article_id, photo_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX article_render_photos_photo ON article_render_photos (photo_id);

-- A new story joins the related stories of the stories published just after it in its section
-- (they list "the same section, just before": at most 8 candidates, so 16 is a safe window).
CREATE TRIGGER article_renders_after_articles_insert AFTER INSERT ON articles BEGIN
  DELETE FROM article_renders WHERE article_id IN (
    SELECT id FROM articles WHERE section_id = NEW.section_id AND status = 'published' AND published_at >= NEW.published_at
    ORDER BY published_at LIMIT 16);
END;

-- An edit: the story's own render, every render that links to it, and those it may now join.
CREATE TRIGGER article_renders_after_articles_update AFTER UPDATE ON articles BEGIN
  DELETE FROM article_renders WHERE article_id = NEW.id;
  DELETE FROM article_renders WHERE article_id IN (SELECT article_id FROM article_render_links WHERE linked_id = NEW.id);
  DELETE FROM article_renders WHERE article_id IN (
    SELECT id FROM articles WHERE section_id = NEW.section_id AND status = 'published' AND published_at >= NEW.published_at
    ORDER BY published_at LIMIT 16);
END;

-- A deleted story's own render goes by ON DELETE CASCADE; those linking to it go here.
CREATE TRIGGER article_renders_after_articles_delete AFTER DELETE ON articles BEGIN
  DELETE FROM article_renders WHERE article_id IN (SELECT article_id FROM article_render_links WHERE linked_id = OLD.id);
END;

-- A story given a topic may join the related stories of every story with that topic.
CREATE TRIGGER article_renders_after_article_topics_insert AFTER INSERT ON article_topics BEGIN
  DELETE FROM article_renders WHERE article_id = NEW.article_id;
  DELETE FROM article_renders WHERE article_id IN (SELECT article_id FROM article_topics WHERE topic_id = NEW.topic_id);
END;

CREATE TRIGGER article_renders_after_article_topics_delete AFTER DELETE ON article_topics BEGIN
  DELETE FROM article_renders WHERE article_id = OLD.article_id;
  DELETE FROM article_renders WHERE article_id IN (SELECT article_id FROM article_render_links WHERE linked_id = OLD.article_id);
END;

CREATE TRIGGER article_renders_after_topics_update AFTER UPDATE ON topics BEGIN
  DELETE FROM article_renders WHERE article_id IN (SELECT article_id FROM article_topics WHERE topic_id = NEW.id);
END;

CREATE TRIGGER article_renders_after_photos_update AFTER UPDATE ON photos BEGIN
  DELETE FROM article_renders WHERE article_id IN (SELECT article_id FROM article_render_photos WHERE photo_id = NEW.id);
END;

CREATE TRIGGER article_renders_after_photos_delete AFTER DELETE ON photos BEGIN
  DELETE FROM article_renders WHERE article_id IN (SELECT article_id FROM article_render_photos WHERE photo_id = OLD.id);
END;

-- Section names and paths appear in breadcrumbs, story cards and URLs: any change drops them all.
CREATE TRIGGER article_renders_after_sections_insert AFTER INSERT ON sections BEGIN
  DELETE FROM article_renders;
END;

CREATE TRIGGER article_renders_after_sections_update AFTER UPDATE ON sections BEGIN
  DELETE FROM article_renders;
END;

CREATE TRIGGER article_renders_after_sections_delete AFTER DELETE ON sections BEGIN
  DELETE FROM article_renders;
END;
