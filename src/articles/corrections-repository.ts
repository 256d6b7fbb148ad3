import type { Db } from '../db/open-database';

export type CorrectionRow = { id: number; articleId: number; text: string; notedAt: string };
export type ListedCorrectionRow = CorrectionRow & { headline: string; sectionPath: string; slug: string; publishedAt: string };

// Corrections of published stories (migration 0026): on the article, and the /corrections list.
// Only those of stories readers can see are listed.
export function createCorrectionsRepository(db: Db) {
  const forArticle = db.prepare<[number], CorrectionRow>(
    'SELECT id, article_id AS articleId, text, noted_at AS notedAt FROM article_corrections WHERE article_id = ? ORDER BY noted_at, id',
  );
  const visible = `a.status = 'published' AND a.published_at <= @now`;
  const list = db.prepare<{ now: string; limit: number; offset: number }, ListedCorrectionRow>(
    `SELECT c.id, c.article_id AS articleId, c.text, c.noted_at AS notedAt, a.headline, s.path AS sectionPath, a.slug,
            a.published_at AS publishedAt
     FROM article_corrections c JOIN articles a ON a.id = c.article_id JOIN sections s ON s.id = a.section_id
     WHERE ${visible} ORDER BY c.noted_at DESC, c.id DESC LIMIT @limit OFFSET @offset`,
  );
  const count = db
    .prepare<{ now: string }, number>(`SELECT count(*) FROM article_corrections c JOIN articles a ON a.id = c.article_id WHERE ${visible}`)
    .pluck();
  const insert = db.prepare<{ articleId: number; text: string; notedAt: string; userId: number; email: string }>(
    'INSERT INTO article_corrections (article_id, text, noted_at, user_id, email) VALUES (@articleId, @text, @notedAt, @userId, @email)',
  );
  return {
    forArticle: (articleId: number): CorrectionRow[] => forArticle.all(articleId),
    list: (now: string, limit: number, offset: number): ListedCorrectionRow[] => list.all({ now, limit, offset }),
    count: (now: string): number => count.get({ now })!,
    add: (entry: { articleId: number; text: string; notedAt: string; userId: number; email: string }): void => void insert.run(entry),
  };
}

export type CorrectionsRepository = ReturnType<typeof createCorrectionsRepository>;
