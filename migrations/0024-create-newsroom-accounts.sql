-- The newsroom's people (src/newsroom/): accounts with a role, their sessions, the sign-in
-- failures that slow and lock guessing, and the audit log of every change they make.

-- An account. password_hash is scrypt (src/newsroom/passwords.ts); an account added from the
-- newsroom has none until its holder sets one through the single-use link (setup_token_hash).
CREATE TABLE newsroom_users (
  id               INTEGER PRIMARY KEY,
  email            TEXT NOT NULL UNIQUE COLLATE NOCASE,
  role             TEXT NOT NULL CHECK (role IN ('writer', 'editor', 'admin')),
  password_hash    TEXT,
  setup_token_hash TEXT UNIQUE,
  setup_expires_at TEXT,
  disabled_at      TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;

-- A signed-in browser. The cookie holds a random id; only its SHA-256 is kept, so a copy of the
-- database signs nobody in. csrf_secret binds each form to the session.
CREATE TABLE newsroom_sessions (
  id_hash      TEXT PRIMARY KEY CHECK (length(id_hash) = 64),
  user_id      INTEGER NOT NULL REFERENCES newsroom_users (id) ON DELETE CASCADE,
  csrf_secret  TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  last_seen_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX newsroom_sessions_user ON newsroom_sessions (user_id);

-- Failed sign-ins, per account (the address typed, known or not) and per client address:
-- each failure past a few adds a delay, and enough of them lock the subject for a while.
CREATE TABLE newsroom_signin_failures (
  subject       TEXT PRIMARY KEY,
  failures      INTEGER NOT NULL,
  first_at      TEXT NOT NULL,
  locked_until  TEXT
) STRICT, WITHOUT ROWID;

-- Who changed what, when. user_id is kept as a number (not a reference) so that the log
-- outlives an account; email is the address at the time.
CREATE TABLE newsroom_audit (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  user_id     INTEGER,
  email       TEXT NOT NULL,
  action      TEXT NOT NULL,
  subject     TEXT NOT NULL,
  detail      TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX newsroom_audit_at ON newsroom_audit (at DESC);
