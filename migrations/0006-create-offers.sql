-- The subscription offer shown in the panel and on /subscribe, with its plans.
CREATE TABLE offers (
  id                  INTEGER PRIMARY KEY,
  code                TEXT NOT NULL UNIQUE,
  name                TEXT NOT NULL,
  benefits_json       TEXT NOT NULL CHECK (json_valid(benefits_json)),
  pitch               TEXT NOT NULL DEFAULT '',
  special_offer_label TEXT NOT NULL DEFAULT 'Special Offer',
  special_offer_text  TEXT NOT NULL DEFAULT '',
  active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

CREATE TABLE offer_plans (
  id          INTEGER PRIMARY KEY,
  offer_id    INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
  code        TEXT NOT NULL CHECK (code NOT GLOB '*[^a-z0-9-]*'),
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  currency    TEXT NOT NULL DEFAULT 'USD',
  period      TEXT NOT NULL DEFAULT 'year',
  position    INTEGER NOT NULL DEFAULT 0,
  UNIQUE (offer_id, code)
) STRICT;
