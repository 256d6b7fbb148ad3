import type { Db } from '../db/open-database';

// The newsroom's view of stories: every state, newest change first. A story's state: draft, in
// review or unpublished (not public; newsroom_state says which); scheduled (published with a
// time still to come); published.

export const STORY_STATES = ['draft', 'review', 'scheduled', 'published', 'unpublished'] as const;
export type StoryState = (typeof STORY_STATES)[number];

export type StoryListFilter = { state?: StoryState; sectionId?: number; headline?: string; now: string };
export type StoryListRow = {
  id: number;
  headline: string;
  slug: string;
  sectionName: string;
  sectionPath: string;
  state: StoryState;
  publishedAt: string;
  changedAt: string;
};

const STATE_SQL = `CASE WHEN a.status = 'draft' THEN coalesce(a.newsroom_state, 'draft') WHEN a.published_at > @now THEN 'scheduled' ELSE 'published' END`;

export function createNewsroomStoriesRepository(db: Db) {
  const where = `WHERE (@state IS NULL OR ${STATE_SQL} = @state)
      AND (@sectionId IS NULL OR a.section_id = @sectionId)
      AND (@headline IS NULL OR a.headline LIKE '%' || @headline || '%' ESCAPE '\\')`;
  const list = db.prepare<Record<string, unknown>, StoryListRow>(
    `SELECT a.id, a.headline, a.slug, s.name AS sectionName, s.path AS sectionPath, ${STATE_SQL} AS state, a.published_at AS publishedAt,
            coalesce(a.updated_at, a.created_at) AS changedAt
     FROM articles a JOIN sections s ON s.id = a.section_id
     ${where}
     ORDER BY changedAt DESC, a.id DESC LIMIT @limit OFFSET @offset`,
  );
  const count = db.prepare<Record<string, unknown>, number>(`SELECT count(*) FROM articles a ${where}`).pluck();
  const params = (filter: StoryListFilter) => ({
    state: filter.state ?? null,
    sectionId: filter.sectionId ?? null,
    headline: filter.headline ? filter.headline.replace(/[\\%_]/g, (c) => `\\${c}`) : null,
    now: filter.now,
  });
  return {
    list: (filter: StoryListFilter, limit: number, offset: number): StoryListRow[] => list.all({ ...params(filter), limit, offset }),
    count: (filter: StoryListFilter): number => count.get(params(filter))!,
  };
}

export type NewsroomStoriesRepository = ReturnType<typeof createNewsroomStoriesRepository>;
