-- The article sitemap lists each story's inline photos (article_inline_photos), but 0014 gave
-- that table no triggers: a change to it alone would leave cached sitemaps current. The newsroom
-- will change it on its own, so it bumps the version like every other table a page reads
-- (tests/integration/content-invalidation.test.ts keeps that list).
CREATE TRIGGER content_version_after_article_inline_photos_insert AFTER INSERT ON article_inline_photos BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_article_inline_photos_update AFTER UPDATE ON article_inline_photos BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;

CREATE TRIGGER content_version_after_article_inline_photos_delete AFTER DELETE ON article_inline_photos BEGIN
  UPDATE content_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;
END;
