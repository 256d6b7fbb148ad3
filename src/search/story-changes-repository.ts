import type { Db } from '../db/open-database';

// The log of changed stories (migrations 0032 and 0034): every insert, delete, and change of a
// story's status, publication time, section or words appends its id, in the same transaction as
// the change. Search threads follow it to keep their copies in memory exact: which stories may be
// shown (visible-stories-repository.ts) and which have each common word (word-sets-repository.ts).
// The log keeps its newest 100,000 entries.

/** A log entry: its number and the story's id. */
export type StoryChange = [seq: number, articleId: number];

export function createStoryChangeLog(db: Db) {
  const lastLogged = db.prepare<[], number>('SELECT coalesce(max(seq), 0) FROM article_visibility_changes').pluck();
  const firstLogged = db.prepare<[], number | null>('SELECT min(seq) FROM article_visibility_changes').pluck();
  const loggedSince = db
    .prepare<[number, number], StoryChange>('SELECT seq, article_id FROM article_visibility_changes WHERE seq > ? ORDER BY seq LIMIT ?')
    .raw();
  return {
    /** The newest entry's number (0: the log is empty). */
    last: (): number => lastLogged.get()!,
    /** The entries after `seen`, oldest first, at most `limit` of them. */
    since: (seen: number, limit: number): StoryChange[] => loggedSince.all(seen, limit),
    /** Whether entries after `seen` were dropped before they were read. */
    droppedAfter: (seen: number): boolean => (firstLogged.get() ?? Infinity) > seen + 1,
  };
}
