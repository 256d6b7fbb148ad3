-- Related stories read, for each of a story's topics, only its newest stories
-- (RELATED_CANDIDATES_PER_TOPIC in src/articles/articles-repository.ts): a broad topic can be on
-- tens of thousands of stories, and the lookup must not grow with the archive. This index answers
-- "the newest stories of topic T" by reading just those entries; it replaces the index on
-- topic_id alone, which every query by topic can use through it.
CREATE INDEX article_topics_topic_article ON article_topics (topic_id, article_id);
DROP INDEX article_topics_topic;
