-- What a shared cache in front of the site (Varnish with xkey, a CDN with Surrogate-Key) must drop
-- after a change: rows of Surrogate-Key names, written by the same transaction as the change, so
-- that every writer (the site, `npm run import`, the newsroom, a script) is covered and nothing
-- is purged for a change that rolled back. The site's primary process drains the table and sends
-- soft purges to CACHE_PURGE_URLS (src/edge/), deleting what it has sent.
--
-- A page carries the key of every story it shows (`article-N`), so a story's edit, unpublishing
-- or deletion needs only its own key. A story that arrives somewhere (published, scheduled time
-- reached, moved to another section or date) is on no page yet: its row names the story instead
-- (`arriving_article_id`), and the purger expands it, with the database as it then is, into the
-- lists it joins (front, its section fronts, its topics, search, sitemaps, feeds, the related
-- stories around it and cached 404s of its address). Names are listed in src/edge/purge-keys.ts.
CREATE TABLE cache_purges (
  id                  INTEGER PRIMARY KEY,
  key                 TEXT,
  arriving_article_id INTEGER,
  CHECK ((key IS NULL) <> (arriving_article_id IS NULL))
) STRICT;

CREATE TRIGGER cache_purges_after_articles_insert AFTER INSERT ON articles WHEN NEW.status = 'published' BEGIN
  INSERT INTO cache_purges (arriving_article_id) VALUES (NEW.id);
END;

CREATE TRIGGER cache_purges_after_articles_update AFTER UPDATE ON articles
WHEN OLD.status = 'published' OR NEW.status = 'published' BEGIN
  INSERT INTO cache_purges (key) VALUES ('article-' || NEW.id);
  INSERT INTO cache_purges (arriving_article_id)
    SELECT NEW.id WHERE NEW.status = 'published'
      AND (OLD.status IS NOT NEW.status OR OLD.section_id IS NOT NEW.section_id OR OLD.published_at IS NOT NEW.published_at);
END;

CREATE TRIGGER cache_purges_after_articles_delete AFTER DELETE ON articles WHEN OLD.status = 'published' BEGIN
  INSERT INTO cache_purges (key) VALUES ('article-' || OLD.id);
END;

-- A topic given to a story adds the story to the topic's page and to the related stories of the
-- topic's other stories (their pages carry `topic-N`); a topic taken away, likewise.
CREATE TRIGGER cache_purges_after_article_topics_insert AFTER INSERT ON article_topics
WHEN (SELECT status FROM articles WHERE id = NEW.article_id) = 'published' BEGIN
  INSERT INTO cache_purges (key) VALUES ('article-' || NEW.article_id), ('topic-' || NEW.topic_id);
END;

CREATE TRIGGER cache_purges_after_article_topics_update AFTER UPDATE ON article_topics
WHEN (SELECT status FROM articles WHERE id = NEW.article_id) = 'published' BEGIN
  INSERT INTO cache_purges (key) VALUES ('article-' || NEW.article_id);
END;

CREATE TRIGGER cache_purges_after_article_topics_delete AFTER DELETE ON article_topics
WHEN (SELECT status FROM articles WHERE id = OLD.article_id) = 'published' BEGIN
  INSERT INTO cache_purges (key) VALUES ('article-' || OLD.article_id), ('topic-' || OLD.topic_id);
END;

CREATE TRIGGER cache_purges_after_topics_update AFTER UPDATE ON topics BEGIN
  INSERT INTO cache_purges (key) VALUES ('topic-' || NEW.id);
END;

CREATE TRIGGER cache_purges_after_topics_delete AFTER DELETE ON topics BEGIN
  INSERT INTO cache_purges (key) VALUES ('topic-' || OLD.id);
END;

CREATE TRIGGER cache_purges_after_article_old_slugs_insert AFTER INSERT ON article_old_slugs BEGIN
  INSERT INTO cache_purges (key) VALUES ('article-' || NEW.article_id);
END;

CREATE TRIGGER cache_purges_after_article_old_slugs_delete AFTER DELETE ON article_old_slugs BEGIN
  INSERT INTO cache_purges (key) VALUES ('article-' || OLD.article_id);
END;

CREATE TRIGGER cache_purges_after_article_inline_photos_insert AFTER INSERT ON article_inline_photos BEGIN
  INSERT INTO cache_purges (key) VALUES ('article-' || NEW.article_id);
END;

CREATE TRIGGER cache_purges_after_article_inline_photos_delete AFTER DELETE ON article_inline_photos BEGIN
  INSERT INTO cache_purges (key) VALUES ('article-' || OLD.article_id);
END;

-- A photo's alt text, caption or credit shows wherever a story or promo shows it.
CREATE TRIGGER cache_purges_after_photos_update AFTER UPDATE ON photos BEGIN
  INSERT INTO cache_purges (key)
    SELECT 'article-' || id FROM articles WHERE hero_photo_id = NEW.id
    UNION SELECT 'article-' || article_id FROM article_inline_photos WHERE photo_id = NEW.id
    UNION SELECT 'promo' FROM promos WHERE photo_id = NEW.id;
END;

CREATE TRIGGER cache_purges_after_photos_delete AFTER DELETE ON photos BEGIN
  INSERT INTO cache_purges (key)
    SELECT 'article-' || id FROM articles WHERE hero_photo_id = OLD.id
    UNION SELECT 'promo' FROM promos WHERE photo_id = OLD.id;
END;

-- Section names and paths are in every page's navigation, and in feeds' and sitemaps' titles.
CREATE TRIGGER cache_purges_after_sections_insert AFTER INSERT ON sections BEGIN
  INSERT INTO cache_purges (key) VALUES ('sections'), ('feeds'), ('sitemaps');
END;

CREATE TRIGGER cache_purges_after_sections_update AFTER UPDATE ON sections BEGIN
  INSERT INTO cache_purges (key) VALUES ('sections'), ('feeds'), ('sitemaps');
END;

CREATE TRIGGER cache_purges_after_sections_delete AFTER DELETE ON sections BEGIN
  INSERT INTO cache_purges (key) VALUES ('sections'), ('feeds'), ('sitemaps');
END;

CREATE TRIGGER cache_purges_after_promos_insert AFTER INSERT ON promos BEGIN
  INSERT INTO cache_purges (key) VALUES ('promo');
END;

CREATE TRIGGER cache_purges_after_promos_update AFTER UPDATE ON promos BEGIN
  INSERT INTO cache_purges (key) VALUES ('promo');
END;

CREATE TRIGGER cache_purges_after_promos_delete AFTER DELETE ON promos BEGIN
  INSERT INTO cache_purges (key) VALUES ('promo');
END;

CREATE TRIGGER cache_purges_after_offers_insert AFTER INSERT ON offers BEGIN
  INSERT INTO cache_purges (key) VALUES ('offer');
END;

CREATE TRIGGER cache_purges_after_offers_update AFTER UPDATE ON offers BEGIN
  INSERT INTO cache_purges (key) VALUES ('offer');
END;

CREATE TRIGGER cache_purges_after_offers_delete AFTER DELETE ON offers BEGIN
  INSERT INTO cache_purges (key) VALUES ('offer');
END;

CREATE TRIGGER cache_purges_after_offer_plans_insert AFTER INSERT ON offer_plans BEGIN
  INSERT INTO cache_purges (key) VALUES ('offer');
END;

CREATE TRIGGER cache_purges_after_offer_plans_update AFTER UPDATE ON offer_plans BEGIN
  INSERT INTO cache_purges (key) VALUES ('offer');
END;

CREATE TRIGGER cache_purges_after_offer_plans_delete AFTER DELETE ON offer_plans BEGIN
  INSERT INTO cache_purges (key) VALUES ('offer');
END;

-- Rows moved from one story to another (rare, by hand): both stories' pages change.
CREATE TRIGGER cache_purges_after_article_old_slugs_update AFTER UPDATE ON article_old_slugs BEGIN
  INSERT INTO cache_purges (key) VALUES ('article-' || OLD.article_id), ('article-' || NEW.article_id);
END;

CREATE TRIGGER cache_purges_after_article_inline_photos_update AFTER UPDATE ON article_inline_photos BEGIN
  INSERT INTO cache_purges (key) VALUES ('article-' || OLD.article_id), ('article-' || NEW.article_id);
END;
