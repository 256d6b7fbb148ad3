import type { Db } from '../db/open-database';

// The queue of purges (migration 0022), and what the purger needs to expand a story's arrival into
// the lists it joins. Rows are written by triggers, in the transaction of the change itself.

export type QueuedPurge = { id: number; key: string | null; arriving_article_id: number | null };

/** A story as the lists it joins see it: its section (with the section's parent) and its topics. */
export type ArrivingStory = { id: number; section_id: number; parent_section_id: number | null; published_at: string };

/** How many stories after a new one in its section list it among their related stories (migration 0015's window). */
const RELATED_WINDOW = 16;

export function createCachePurgesRepository(db: Db) {
  const oldest = db.prepare<[number], QueuedPurge>('SELECT id, key, arriving_article_id FROM cache_purges ORDER BY id LIMIT ?');
  const removeThrough = db.prepare<[number]>('DELETE FROM cache_purges WHERE id <= ?');
  const story = db.prepare<[number], ArrivingStory>(
    `SELECT a.id, a.section_id, s.parent_id AS parent_section_id, a.published_at
     FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = ? AND a.status = 'published'`,
  );
  const topics = db.prepare<[number], number>('SELECT topic_id FROM article_topics WHERE article_id = ?').pluck();
  // The stories whose related list a new story joins: those just after it in its section.
  const relatedWindow = db
    .prepare<{ sectionId: number; publishedAt: string; id: number }, number>(
      `SELECT id FROM articles WHERE section_id = @sectionId AND status = 'published' AND published_at >= @publishedAt AND id <> @id
       ORDER BY published_at LIMIT ${RELATED_WINDOW}`,
    )
    .pluck();
  const arrive = db.prepare<[number]>('INSERT INTO cache_purges (arriving_article_id) VALUES (?)');
  const dueBetween = db
    .prepare<{ after: string; until: string }, number>(
      `SELECT id FROM articles WHERE status = 'published' AND published_at > @after AND published_at <= @until`,
    )
    .pluck();
  // Promos that start or end in the interval: every page showing a promo changes at that moment.
  const promoBoundaries = db
    .prepare<{ after: string; until: string }, number>(
      `SELECT count(*) FROM promos WHERE (starts_at > @after AND starts_at <= @until) OR (ends_at > @after AND ends_at <= @until)`,
    )
    .pluck();
  const purgePromo = db.prepare("INSERT INTO cache_purges (key) VALUES ('promo')");
  const readAnnounced = db.prepare<[], string>("SELECT value FROM settings WHERE key = 'arrivals_announced_until'").pluck();
  const writeAnnounced = db.prepare<[string]>(
    "INSERT INTO settings (key, value) VALUES ('arrivals_announced_until', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  const bumpContentVersion = db.prepare<[string]>('UPDATE content_version SET version = version + 1, changed_at = ? WHERE id = 1');

  return {
    /** The oldest queued purges, at most `limit` of them. */
    oldest: (limit: number): QueuedPurge[] => oldest.all(limit),
    /** Forgets every queued purge up to and including `id` (they were sent, or given up on). */
    removeThrough: (id: number): void => void removeThrough.run(id),
    arrivingStory: (id: number): ArrivingStory | undefined => story.get(id),
    topicIds: (articleId: number): number[] => topics.all(articleId),
    relatedWindow: (story: ArrivingStory): number[] =>
      relatedWindow.all({ sectionId: story.section_id, publishedAt: story.published_at, id: story.id }),
    /** Up to when scheduled stories were last announced (kept, so that a restart misses none). */
    announcedUntil: (): string | undefined => readAnnounced.get(),
    /**
     * Stories scheduled for a time in (after, until]: their time has come. In one transaction,
     * each is queued as arriving and the content version moves, so that every worker's page
     * cache drops its pages at once instead of waiting for their lifetime to run out. A promo
     * starting or ending in the interval does the same for the pages that show promos.
     */
    announceArrivals: db.transaction((after: string, until: string): { stories: number[]; promos: number } => {
      const due = dueBetween.all({ after, until });
      const promos = promoBoundaries.get({ after, until })!;
      if (due.length === 0 && promos === 0) return { stories: due, promos };
      writeAnnounced.run(until);
      for (const id of due) arrive.run(id);
      if (promos > 0) purgePromo.run();
      bumpContentVersion.run(until);
      return { stories: due, promos };
    }),
  };
}

export type CachePurgesRepository = ReturnType<typeof createCachePurgesRepository>;
