-- Search checks each matching story's visibility (status, publication time) and section before it
-- ranks them: up to thousands of look-ups per search. From the table each one reads a row that
-- fills most of a page; this index holds just those columns, keyed by id, so that the look-ups
-- read a few small pages instead (search-repository.ts).
CREATE INDEX articles_search_visibility ON articles (id, status, published_at, section_id);
