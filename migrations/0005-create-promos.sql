-- Sidebar promos ("Doing Good"): the one shown is the heaviest active one for its placement.
CREATE TABLE promos (
  id             INTEGER PRIMARY KEY,
  code           TEXT NOT NULL UNIQUE,
  series_name    TEXT NOT NULL,
  series_tagline TEXT NOT NULL DEFAULT '',
  photo_id       INTEGER REFERENCES photos (id) ON DELETE SET NULL,
  headline       TEXT NOT NULL,
  summary        TEXT NOT NULL DEFAULT '',
  link_url       TEXT NOT NULL CHECK (link_url GLOB '/*' AND link_url NOT GLOB '//*'),
  placement      TEXT NOT NULL DEFAULT 'sidebar',
  starts_at      TEXT NOT NULL,
  ends_at        TEXT,
  weight         INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX promos_placement ON promos (placement, weight DESC);
