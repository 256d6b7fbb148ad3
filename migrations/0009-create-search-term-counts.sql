-- How many articles use each indexed (stemmed) term. Search uses it to see which words of a query
-- are so common that scoring them would cost more than it tells (see services/search-plan.ts).
CREATE VIRTUAL TABLE article_search_terms USING fts5vocab(article_search, 'row');
