-- One row that changes whenever anything a page shows changes: articles, photos, topics,
-- sections, promos, the offer. Pages use it for Last-Modified, and the page cache of every
-- process compares it to know when what it holds is stale.
CREATE TABLE content_version (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  version    INTEGER NOT NULL,
  changed_at TEXT NOT NULL
) STRICT;

INSERT INTO content_version (id, version, changed_at) VALUES (1, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

CREATE TRIGGER content_version_after_articles_insert AFTER INSERT ON articles BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_articles_update AFTER UPDATE ON articles BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_articles_delete AFTER DELETE ON articles BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_article_topics_insert AFTER INSERT ON article_topics BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_article_topics_update AFTER UPDATE ON article_topics BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_article_topics_delete AFTER DELETE ON article_topics BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_article_old_slugs_insert AFTER INSERT ON article_old_slugs BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_article_old_slugs_update AFTER UPDATE ON article_old_slugs BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_article_old_slugs_delete AFTER DELETE ON article_old_slugs BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_photos_insert AFTER INSERT ON photos BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_photos_update AFTER UPDATE ON photos BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_photos_delete AFTER DELETE ON photos BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_topics_insert AFTER INSERT ON topics BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_topics_update AFTER UPDATE ON topics BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_topics_delete AFTER DELETE ON topics BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_sections_insert AFTER INSERT ON sections BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_sections_update AFTER UPDATE ON sections BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_sections_delete AFTER DELETE ON sections BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_promos_insert AFTER INSERT ON promos BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_promos_update AFTER UPDATE ON promos BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_promos_delete AFTER DELETE ON promos BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_offers_insert AFTER INSERT ON offers BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_offers_update AFTER UPDATE ON offers BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_offers_delete AFTER DELETE ON offers BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_offer_plans_insert AFTER INSERT ON offer_plans BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_offer_plans_update AFTER UPDATE ON offer_plans BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_offer_plans_delete AFTER DELETE ON offer_plans BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;
