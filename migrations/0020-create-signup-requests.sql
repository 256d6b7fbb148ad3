-- A sign-up posted for an address we already know changes nothing by itself: the new details,
-- with the consent they would record, wait here under a single-use token (stored as its hash)
-- that only the mail to that address carries. Confirming applies them; until then the
-- subscription's state, name, plan, consent history and earlier confirmation link stay as they were.
CREATE TABLE signup_requests (
  id              INTEGER PRIMARY KEY,
  subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  name            TEXT NOT NULL,
  plan_code       TEXT NOT NULL,
  token_hash      TEXT NOT NULL UNIQUE,
  expires_at      TEXT NOT NULL,
  consent_text_version TEXT NOT NULL,
  consent_text    TEXT NOT NULL,
  consent_source_page  TEXT NOT NULL,
  consent_ip_hash TEXT NOT NULL CHECK (length(consent_ip_hash) = 64),
  created_at      TEXT NOT NULL
) STRICT;

CREATE INDEX signup_requests_subscription ON signup_requests (subscription_id);
