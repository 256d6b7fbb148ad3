-- A photo is a file (named by the sha256 of its bytes; the file and its resized variants live in
-- the photo folder under that hash) with the words that go with it. The same file used with other
-- words (another caption in another story) is another row, so editing one story's caption never
-- changes another's.
CREATE TABLE photos (
  id          INTEGER PRIMARY KEY,
  sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
  format      TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'webp')),
  width       INTEGER NOT NULL CHECK (width > 0),
  height      INTEGER NOT NULL CHECK (height > 0),
  bytes       INTEGER NOT NULL CHECK (bytes > 0),
  alt         TEXT NOT NULL,
  caption     TEXT NOT NULL DEFAULT '',
  credit      TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (sha256, alt, caption, credit)
) STRICT;
