import type { Statement } from 'better-sqlite3';
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

// Each state as conditions SQLite can answer from an index (status, published_at): a scheduled
// story is a published one whose time is still to come.
const STATE_CONDITIONS: Record<StoryState, string> = {
  draft: "a.status = 'draft' AND a.newsroom_state IS NULL",
  review: "a.status = 'draft' AND a.newsroom_state = 'review'",
  unpublished: "a.status = 'draft' AND a.newsroom_state = 'unpublished'",
  scheduled: "a.status = 'published' AND a.published_at > @now",
  published: "a.status = 'published' AND a.published_at <= @now",
};

/** An FTS5 query for headlines holding every word typed (or a word starting with it), or null when none was. */
function headlineMatch(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}]+/gu)?.slice(0, 10) ?? [];
  return words.length === 0 ? null : `headline : (${words.map((word) => `"${word}"*`).join(' ')})`;
}

export function createNewsroomStoriesRepository(db: Db) {
  // One statement for each combination of filters, with only the conditions it needs, so that
  // SQLite can walk articles_newest_change (migration 0027) or a section's index and stop at a
  // page, rather than test "@x IS NULL OR ..." against every story.
  const statements = new Map<
    string,
    { list: Statement<Record<string, unknown>, StoryListRow>; count: Statement<Record<string, unknown>, number> }
  >();
  function statementsFor(filter: StoryListFilter) {
    const key = `${filter.state ?? 'any'}:${filter.sectionId ? 1 : 0}${filter.headline ? 1 : 0}`;
    let found = statements.get(key);
    if (!found) {
      const conditions = [
        ...(filter.state ? [STATE_CONDITIONS[filter.state]] : []),
        ...(filter.sectionId ? ['a.section_id = @sectionId'] : []),
        // Headline words through the search index (each word, or the start of one), not LIKE
        // '%...%', which read every headline: 300 ms at 100,000 stories.
        ...(filter.headline ? ['a.id IN (SELECT rowid FROM article_search WHERE article_search MATCH @headline)'] : []),
      ];
      const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
      found = {
        list: db.prepare<Record<string, unknown>, StoryListRow>(
          `SELECT a.id, a.headline, a.slug, s.name AS sectionName, s.path AS sectionPath, ${STATE_SQL} AS state,
                  a.published_at AS publishedAt, coalesce(a.updated_at, a.created_at) AS changedAt
           FROM articles a JOIN sections s ON s.id = a.section_id
           ${where}
           ORDER BY coalesce(a.updated_at, a.created_at) DESC, a.id DESC LIMIT @limit OFFSET @offset`,
        ),
        count: db.prepare<Record<string, unknown>, number>(`SELECT count(*) FROM articles a ${where}`).pluck(),
      };
      statements.set(key, found);
    }
    return found;
  }
  const params = (filter: StoryListFilter) => ({
    now: filter.now,
    ...(filter.sectionId ? { sectionId: filter.sectionId } : {}),
    ...(filter.headline ? { headline: headlineMatch(filter.headline) } : {}),
  });
  // A headline search with no word in it (only punctuation) finds nothing.
  const findsNothing = (filter: StoryListFilter) => filter.headline !== undefined && headlineMatch(filter.headline) === null;
  return {
    list: (filter: StoryListFilter, limit: number, offset: number): StoryListRow[] =>
      findsNothing(filter) ? [] : statementsFor(filter).list.all({ ...params(filter), limit, offset }),
    count: (filter: StoryListFilter): number => (findsNothing(filter) ? 0 : statementsFor(filter).count.get(params(filter))!),
  };
}

export type NewsroomStoriesRepository = ReturnType<typeof createNewsroomStoriesRepository>;
