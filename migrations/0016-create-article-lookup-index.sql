-- Finding the story a URL names, from the index alone: the slug, whether it is visible, and what
-- its canonical URL and cache lifetime need. Without it each lookup reads the article's row,
-- which fills most of a page of its own (a page read from disk per request on a large archive).
CREATE INDEX articles_slug_lookup ON articles (slug, status, published_at, section_id, updated_at);
DROP INDEX articles_slug;
