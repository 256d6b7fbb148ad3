-- Promos run by the newsroom: the sections a promo targets (none: everywhere; a section includes
-- its subsections), and who last changed it and when. Retiring a promo ends it: its end time is
-- set to the moment it was retired, so it is gone from every page at that instant.
ALTER TABLE promos ADD COLUMN updated_at TEXT;

CREATE TABLE promo_sections (
  promo_id   INTEGER NOT NULL REFERENCES promos (id) ON DELETE CASCADE,
  section_id INTEGER NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
  PRIMARY KEY (promo_id, section_id)
) STRICT;

CREATE INDEX promo_sections_section ON promo_sections (section_id);

-- Which promo a page shows depends on its targets as on the promo itself: a change moves the
-- content version (every worker's page cache) and queues the promo purge (the cache nodes).
CREATE TRIGGER content_version_after_promo_sections_insert AFTER INSERT ON promo_sections BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
  INSERT INTO cache_purges (key) VALUES ('promo');
END;

CREATE TRIGGER content_version_after_promo_sections_update AFTER UPDATE ON promo_sections BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
  INSERT INTO cache_purges (key) VALUES ('promo');
END;

CREATE TRIGGER content_version_after_promo_sections_delete AFTER DELETE ON promo_sections BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
  INSERT INTO cache_purges (key) VALUES ('promo');
END;
