-- Sections nest one level or more: World > Asia-Pacific. `path` is the canonical URL spelling
-- ("World/Asia-Pacific"); lookups ignore case and redirect to it.
CREATE TABLE sections (
  id          INTEGER PRIMARY KEY,
  parent_id   INTEGER REFERENCES sections (id) ON DELETE RESTRICT,
  slug        TEXT NOT NULL CHECK (slug GLOB '[A-Za-z0-9]*' AND slug NOT GLOB '*[^A-Za-z0-9-]*'),
  name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  path        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  position    INTEGER NOT NULL DEFAULT 0,
  description TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX sections_parent ON sections (parent_id, position);
