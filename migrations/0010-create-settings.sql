-- Site-wide values made once and shared by every process: the secret that signs form tokens and
-- unsubscribe links is generated here on first start unless SECRET_KEY is set.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
