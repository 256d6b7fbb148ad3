-- People, places and organisations linked from article bodies; each has a page at /topics/{slug}.
CREATE TABLE topics (
  id    INTEGER PRIMARY KEY,
  slug  TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (slug NOT GLOB '*[^a-z0-9-]*' AND length(slug) BETWEEN 1 AND 80),
  name  TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120)
) STRICT;
