-- Stored renders also keep their two parts compressed (raw DEFLATE pieces, ended with a sync
-- flush: src/services/gzip-pieces.ts), so that a reader whose browser accepts gzip gets the page
-- joined from compressed pieces, with nothing compressed per request.
--
-- Rows stored before this migration were made by older code: their render_key no longer matches,
-- so they are never served and are replaced on their story's next visit or by `npm run prerender`.
-- The empty defaults exist only because SQLite needs one to add a NOT NULL column.
ALTER TABLE article_renders ADD COLUMN head_deflate BLOB NOT NULL DEFAULT x'';
ALTER TABLE article_renders ADD COLUMN main_deflate BLOB NOT NULL DEFAULT x'';
