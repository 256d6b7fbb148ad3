import type { Db } from '../db/open-database';

// What the story editor reads and writes beyond the story itself (articles/article-writer.ts):
// who wrote it, where it is in the newsroom's work, its revision number, and its revisions.

export type NewsroomState = 'review' | 'unpublished' | null;
export type EditableStoryRow = {
  id: number;
  sectionId: number;
  sectionPath: string;
  slug: string;
  headline: string;
  deck: string;
  byline: string;
  source: string;
  creditLine: string;
  bodyJson: string;
  heroPhotoId: number | null;
  status: 'draft' | 'published';
  publishedAt: string;
  updatedAt: string | null;
  authorId: number | null;
  newsroomState: NewsroomState;
  revision: number;
};
/** A saved revision: the editor's fields as JSON, who saved them, when, and with which action. */
export type NewRevision = {
  articleId: number;
  revision: number;
  userId: number;
  email: string;
  savedAt: string;
  action: string;
  snapshot: string;
};
export type RevisionRow = { id: number; revision: number; email: string; savedAt: string; action: string; snapshot: string };

export function createStoryEditingRepository(db: Db) {
  const story = db.prepare<[number], EditableStoryRow>(
    `SELECT a.id, a.section_id AS sectionId, s.path AS sectionPath, a.slug, a.headline, a.deck, a.byline, a.source,
            a.credit_line AS creditLine, a.body_json AS bodyJson, a.hero_photo_id AS heroPhotoId, a.status,
            a.published_at AS publishedAt, a.updated_at AS updatedAt, a.author_id AS authorId,
            a.newsroom_state AS newsroomState, a.revision
     FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = ?`,
  );
  const topicNames = db
    .prepare<[number], string>(
      'SELECT t.name FROM article_topics at JOIN topics t ON t.id = at.topic_id WHERE at.article_id = ? ORDER BY at.position',
    )
    .pluck();
  const oldSlugs = db.prepare<[number], string>('SELECT slug FROM article_old_slugs WHERE article_id = ? ORDER BY rowid').pluck();
  const setNewsroom = db.prepare<{ id: number; state: NewsroomState; revision: number; authorId: number | null }>(
    'UPDATE articles SET newsroom_state = @state, revision = @revision, author_id = coalesce(author_id, @authorId) WHERE id = @id',
  );
  const addRevision = db.prepare<NewRevision>(
    `INSERT INTO article_revisions (article_id, revision, user_id, email, saved_at, action, snapshot)
     VALUES (@articleId, @revision, @userId, @email, @savedAt, @action, @snapshot)`,
  );
  const revisions = db.prepare<[number], RevisionRow>(
    'SELECT id, revision, email, saved_at AS savedAt, action, snapshot FROM article_revisions WHERE article_id = ? ORDER BY revision DESC',
  );
  const photoExists = db.prepare<[number], number>('SELECT 1 FROM photos WHERE id = ?').pluck();
  const photoHasWords = db
    .prepare<[number], number>("SELECT 1 FROM photos WHERE id = ? AND alt <> '' AND caption <> '' AND credit <> ''")
    .pluck();
  const slugTaken = db
    .prepare<[number, string, number], number>('SELECT 1 FROM articles WHERE section_id = ? AND slug = ? AND id <> ?')
    .pluck();
  return {
    find: (id: number): EditableStoryRow | undefined => story.get(id),
    topicNames: (id: number): string[] => topicNames.all(id),
    oldSlugs: (id: number): string[] => oldSlugs.all(id),
    setNewsroom: (id: number, state: NewsroomState, revision: number, authorId: number | null): void =>
      void setNewsroom.run({ id, state, revision, authorId }),
    addRevision: (entry: NewRevision): void => void addRevision.run(entry),
    revisions: (id: number): RevisionRow[] => revisions.all(id),
    photoExists: (id: number): boolean => photoExists.get(id) === 1,
    /** Whether the photo has alt text, a caption and a credit, as every photo placed from the newsroom must. */
    photoHasWords: (id: number): boolean => photoHasWords.get(id) === 1,
    slugTaken: (sectionId: number, slug: string, exceptId: number): boolean => slugTaken.get(sectionId, slug, exceptId) === 1,
  };
}

export type StoryEditingRepository = ReturnType<typeof createStoryEditingRepository>;
