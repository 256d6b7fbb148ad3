-- Subscribers to the offer, with double opt-in. Tokens are stored only as SHA-256 hashes.
CREATE TABLE subscriptions (
  id                  INTEGER PRIMARY KEY,
  email               TEXT NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
  name                TEXT NOT NULL DEFAULT '',
  plan_code           TEXT NOT NULL,
  status              TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
  confirm_token_hash  TEXT UNIQUE,
  confirm_expires_at  TEXT,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  confirmed_at        TEXT,
  unsubscribed_at     TEXT
) STRICT;

CREATE INDEX subscriptions_status ON subscriptions (status, created_at);

-- What each subscriber agreed to, when and where. The IP address is kept only as a keyed hash.
CREATE TABLE consents (
  id              INTEGER PRIMARY KEY,
  subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  text_version    TEXT NOT NULL,
  text            TEXT NOT NULL,
  given_at        TEXT NOT NULL,
  source_page     TEXT NOT NULL,
  ip_hash         TEXT NOT NULL CHECK (length(ip_hash) = 64)
) STRICT;

CREATE INDEX consents_subscription ON consents (subscription_id);
