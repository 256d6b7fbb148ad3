import type { Db } from '../db/open-database';

export type TopicRow = { id: number; slug: string; name: string };

export function createTopicRepository(db: Db) {
  const bySlug = db.prepare<[string], TopicRow>('SELECT id, slug, name FROM topics WHERE slug = ?');
  const insert = db.prepare<[string, string]>('INSERT INTO topics (slug, name) VALUES (?, ?) ON CONFLICT (slug) DO NOTHING');
  const rename = db.prepare<{ name: string; id: number }>('UPDATE topics SET name = @name WHERE id = @id AND name IS NOT @name');
  const forArticle = db.prepare<[number], TopicRow>(
    `SELECT t.id, t.slug, t.name FROM article_topics at JOIN topics t ON t.id = at.topic_id
     WHERE at.article_id = ? ORDER BY at.position`,
  );

  return {
    /** Case-insensitive, like every URL part. */
    findBySlug: (slug: string): TopicRow | undefined => bySlug.get(slug),
    listForArticle: (articleId: number): TopicRow[] => forArticle.all(articleId),
    /**
     * Makes sure the topic exists. An explicit name (from the record's topic list) renames it;
     * a name taken from link text only names a topic that is new.
     */
    ensure(slug: string, name: string, explicitName: boolean): number {
      insert.run(slug, name);
      const topic = bySlug.get(slug)!;
      if (explicitName) rename.run({ name, id: topic.id });
      return topic.id;
    },
  };
}

export type TopicRepository = ReturnType<typeof createTopicRepository>;
