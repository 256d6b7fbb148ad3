-- Mail waits here until it is sent. A sign-up writes its mail in the same transaction as the
-- subscription, so nothing is lost if sending fails or the process dies: the sender retries
-- with backoff. Without SMTP_URL, mail is logged and kept here with status 'logged'.
CREATE TABLE mail_outbox (
  id              INTEGER PRIMARY KEY,
  subscription_id INTEGER REFERENCES subscriptions (id) ON DELETE CASCADE,
  kind            TEXT NOT NULL,
  to_address      TEXT NOT NULL,
  subject         TEXT NOT NULL,
  text_body       TEXT NOT NULL,
  html_body       TEXT NOT NULL,
  headers_json    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(headers_json)),
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'logged', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  claimed_until   TEXT,
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  sent_at         TEXT
) STRICT;

CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_to ON mail_outbox (to_address);
