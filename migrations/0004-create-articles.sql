-- Articles. The body is stored as structured blocks (JSON: paragraphs of text and topic links,
-- inline photos, related links) and rendered through escaping templates, so nothing stored is
-- ever output as raw HTML. `content_hash` lets an import skip records that did not change.
-- The large body columns come last: SQLite reads a row's columns in order, so lists and
-- visibility checks that stop before them never touch the body's overflow pages.
CREATE TABLE articles (
  id            INTEGER PRIMARY KEY,
  section_id    INTEGER NOT NULL REFERENCES sections (id) ON DELETE RESTRICT,
  slug          TEXT NOT NULL COLLATE NOCASE CHECK (length(slug) BETWEEN 1 AND 200),
  headline      TEXT NOT NULL CHECK (length(headline) BETWEEN 1 AND 300),
  deck          TEXT NOT NULL DEFAULT '',
  byline        TEXT NOT NULL DEFAULT '',
  source        TEXT NOT NULL DEFAULT '',
  credit_line   TEXT NOT NULL DEFAULT '',
  hero_photo_id INTEGER REFERENCES photos (id) ON DELETE SET NULL,
  status        TEXT NOT NULL CHECK (status IN ('draft', 'published')),
  published_at  TEXT NOT NULL,
  updated_at    TEXT,
  content_hash  TEXT NOT NULL,
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  body_json     TEXT NOT NULL CHECK (json_valid(body_json)),
  body_text     TEXT NOT NULL DEFAULT '',
  UNIQUE (section_id, slug)
) STRICT;

CREATE INDEX articles_published ON articles (status, published_at DESC);
CREATE INDEX articles_section_published ON articles (section_id, status, published_at DESC);
CREATE INDEX articles_slug ON articles (slug);

-- Earlier slugs of an article keep answering with a 301 to the current URL.
CREATE TABLE article_old_slugs (
  slug       TEXT NOT NULL COLLATE NOCASE,
  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  PRIMARY KEY (slug, article_id)
) STRICT;

CREATE TABLE article_topics (
  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  topic_id   INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  PRIMARY KEY (article_id, topic_id)
) STRICT;

CREATE INDEX article_topics_topic ON article_topics (topic_id);

-- Photos an article shows inside its body, so that a photo in use cannot vanish under it.
CREATE TABLE article_inline_photos (
  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  photo_id   INTEGER NOT NULL REFERENCES photos (id) ON DELETE RESTRICT,
  PRIMARY KEY (article_id, photo_id)
) STRICT;
