-- The weekly review: its issues (composed in the newsroom, then scheduled or sent), the stories
-- each holds in order, and the per-recipient send ledger. The ledger is written in one
-- transaction when a send starts (every eligible subscriber, as then); each row then moves
-- pending → sending → sent, or failed, or skipped (unsubscribed or bounced meanwhile). A process
-- killed mid-send resumes from it: rows sent are never sent again, and none is left behind.
CREATE TABLE newsletter_issues (
  id            INTEGER PRIMARY KEY,
  issue_date    TEXT NOT NULL UNIQUE CHECK (issue_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  subject       TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  introduction  TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'sending', 'sent')),
  send_at       TEXT,
  started_at    TEXT,
  finished_at   TEXT,
  recipients    INTEGER,
  -- Rendered once when the send starts, so that every recipient (and the web version) gets the
  -- same review, whatever is edited afterwards, and a resumed send sends what was started.
  mail_html     TEXT,
  mail_text     TEXT,
  web_html      TEXT,
  created_by    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;

CREATE INDEX newsletter_issues_due ON newsletter_issues (status, send_at);

CREATE TABLE newsletter_stories (
  issue_id   INTEGER NOT NULL REFERENCES newsletter_issues (id) ON DELETE CASCADE,
  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  left_out   INTEGER NOT NULL DEFAULT 0 CHECK (left_out IN (0, 1)),
  PRIMARY KEY (issue_id, article_id)
) STRICT;

-- Erasing a subscriber erases their rows here too (ON DELETE CASCADE).
CREATE TABLE newsletter_sends (
  issue_id        INTEGER NOT NULL REFERENCES newsletter_issues (id) ON DELETE CASCADE,
  subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL DEFAULT '',
  sent_at         TEXT,
  last_error      TEXT,
  PRIMARY KEY (issue_id, subscription_id)
) STRICT;

CREATE INDEX newsletter_sends_due ON newsletter_sends (issue_id, status, next_attempt_at);
CREATE INDEX newsletter_sends_subscription ON newsletter_sends (subscription_id);

-- A permanent refusal (an SMTP 5xx) marks the address bounced: no review is sent to it again
-- until its owner confirms a sign-up anew.
ALTER TABLE subscriptions ADD COLUMN bounced_at TEXT;
