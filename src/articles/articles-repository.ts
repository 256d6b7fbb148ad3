import type { Db } from '../db/open-database';

/** How many related stories an article page shows. */
export const RELATED_STORY_COUNT = 4;
/**
 * How many of the section's stories just before it are read to fill them. A new or moved story
 * can so join the related stories of this many stories after it in its section: migration
 * 0015's triggers drop that window of stored renders (their LIMIT, checked against this by
 * tests/integration/content-invalidation.test.ts).
 */
export const RELATED_SAME_SECTION_CANDIDATES = RELATED_STORY_COUNT * 2;
/**
 * How many of each topic's newest stories are candidates for a story's related list. A broad
 * topic ("Politics") can be on tens of thousands of stories; reading them all made the lookup
 * grow with the archive (issue 19). Among the newest of each topic, those sharing the most topics win.
 */
export const RELATED_CANDIDATES_PER_TOPIC = 200;

export type ArticleStatus = 'draft' | 'published';

export type ArticleRow = {
  id: number;
  section_id: number;
  section_path: string;
  slug: string;
  headline: string;
  deck: string;
  byline: string;
  source: string;
  credit_line: string;
  body_json: string;
  hero_photo_id: number | null;
  status: ArticleStatus;
  published_at: string;
  updated_at: string | null;
};

/** The columns a list of stories (fronts, related, topic pages) or a URL lookup needs: no body. */
export type ArticleSummaryRow = Omit<ArticleRow, 'body_json' | 'source' | 'credit_line'>;

/** What finding the story a URL names needs: no more than the index articles_slug_lookup holds. */
export type ArticleLocatorRow = Pick<ArticleRow, 'id' | 'section_id' | 'slug' | 'status' | 'published_at' | 'updated_at'>;

export type ArticleWrite = {
  section_id: number;
  slug: string;
  headline: string;
  deck: string;
  byline: string;
  source: string;
  credit_line: string;
  body_json: string;
  body_text: string;
  hero_photo_id: number | null;
  status: ArticleStatus;
  published_at: string;
  updated_at: string | null;
  content_hash: string;
};

const SUMMARY_COLUMNS = `a.id, a.section_id, s.path AS section_path, a.slug, a.headline, a.deck, a.byline,
  a.hero_photo_id, a.status, a.published_at, a.updated_at`;
const FULL_COLUMNS = `${SUMMARY_COLUMNS}, a.body_json, a.source, a.credit_line`;
// What readers may see: published, and not scheduled for later. `now` is an ISO string; all
// stored times are ISO strings in UTC, so text comparison orders them correctly.
const VISIBLE = `a.status = 'published' AND a.published_at <= @now`;

export function createArticleRepository(db: Db) {
  // Finding the story a URL names reads only the index articles_slug_lookup (migration 0016), and
  // visibility is checked here rather than in SQL (a range condition costs SQLite more than the
  // whole lookup): most requests are then served from the story's stored render without reading
  // its row. The section's path comes from the section tree in memory.
  const LOCATOR_COLUMNS = 'a.id, a.section_id, a.slug, a.status, a.published_at, a.updated_at';
  const bySlug = db.prepare<[string], ArticleLocatorRow>(`SELECT ${LOCATOR_COLUMNS} FROM articles a WHERE a.slug = ?`);
  const byOldSlug = db.prepare<{ slug: string; now: string }, ArticleLocatorRow>(
    `SELECT ${LOCATOR_COLUMNS} FROM article_old_slugs o JOIN articles a ON a.id = o.article_id
     WHERE o.slug = @slug AND ${VISIBLE} ORDER BY a.published_at DESC LIMIT 1`,
  );
  // Pages of a listing pick their ids from the index alone (the subquery is covered by it), and
  // read rows only for those: an OFFSET over whole rows read every row it skipped, 0.3 s for the
  // front page's page 4,998 on 100,000 stories.
  const latest = db.prepare<{ now: string; limit: number; offset: number }, ArticleSummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id
     WHERE a.id IN (SELECT a.id FROM articles a WHERE ${VISIBLE} ORDER BY a.published_at DESC, a.id DESC LIMIT @limit OFFSET @offset)
     ORDER BY a.published_at DESC, a.id DESC`,
  );
  const countVisible = db.prepare<{ now: string }, number>(`SELECT count(*) FROM articles a WHERE ${VISIBLE}`).pluck();
  // A section front shows its own stories and those of its subsections.
  const inSectionTree = `a.section_id IN (SELECT value FROM json_each(@sectionIds))`;
  const latestInSections = db.prepare<{ now: string; sectionIds: string; limit: number; offset: number }, ArticleSummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id
     WHERE a.id IN (SELECT a.id FROM articles a WHERE ${inSectionTree} AND ${VISIBLE}
       ORDER BY a.published_at DESC, a.id DESC LIMIT @limit OFFSET @offset)
     ORDER BY a.published_at DESC, a.id DESC`,
  );
  const countInSections = db
    .prepare<{ now: string; sectionIds: string }, number>(`SELECT count(*) FROM articles a WHERE ${inSectionTree} AND ${VISIBLE}`)
    .pluck();
  const forTopic = db.prepare<{ now: string; topicId: number; limit: number; offset: number }, ArticleSummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id
     WHERE a.id IN (SELECT a.id FROM article_topics t JOIN articles a ON a.id = t.article_id
       WHERE t.topic_id = @topicId AND ${VISIBLE} ORDER BY a.published_at DESC, a.id DESC LIMIT @limit OFFSET @offset)
     ORDER BY a.published_at DESC, a.id DESC`,
  );
  const countForTopic = db
    .prepare<{ now: string; topicId: number }, number>(
      `SELECT count(*) FROM article_topics t JOIN articles a ON a.id = t.article_id WHERE t.topic_id = @topicId AND ${VISIBLE}`,
    )
    .pluck();
  // Related stories, in cheap indexed steps: the newest stories of each of its topics, ranked by
  // how many topics they share with it; then stories of the same section from just before this
  // one (the archive around it, not today's news).
  const topicsOf = db.prepare<[number], number>('SELECT topic_id FROM article_topics WHERE article_id = ?').pluck();
  const newestInTopic = db
    .prepare<{ topicId: number; id: number; limit: number }, number>(
      'SELECT article_id FROM article_topics WHERE topic_id = @topicId AND article_id != @id ORDER BY article_id DESC LIMIT @limit',
    )
    .pluck();
  // How many of the given topics each candidate has: a story found through one topic's newest
  // stories may share others with this one, where it is not among the newest.
  const sharedCounts = db.prepare<{ ids: string; topics: string }, { id: number; shared: number }>(
    `SELECT article_id AS id, count(*) AS shared FROM article_topics
     WHERE article_id IN (SELECT value FROM json_each(@ids)) AND topic_id IN (SELECT value FROM json_each(@topics))
     GROUP BY article_id`,
  );
  const visibleSummaries = db.prepare<{ now: string; ids: string }, ArticleSummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id
     WHERE a.id IN (SELECT value FROM json_each(@ids)) AND ${VISIBLE}`,
  );
  const sameSectionBefore = db.prepare<{ now: string; id: number; sectionId: number; before: string; limit: number }, ArticleSummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id
     WHERE a.section_id = @sectionId AND a.status = 'published' AND a.published_at <= @before AND a.published_at <= @now AND a.id != @id
     ORDER BY a.published_at DESC LIMIT @limit`,
  );
  const visibleById = db.prepare<{ id: number; now: string }, ArticleLocatorRow>(
    `SELECT ${LOCATOR_COLUMNS} FROM articles a WHERE a.id = @id AND ${VISIBLE}`,
  );
  const byId = db.prepare<[number], ArticleRow>(
    `SELECT ${FULL_COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = ?`,
  );
  // When a story sharing a topic with this one is scheduled to appear (and so to join its related stories).
  const nextScheduledSharingTopics = db
    .prepare<{ now: string; id: number }, string | null>(
      `SELECT min(a.published_at) FROM article_topics mine
       JOIN article_topics other ON other.topic_id = mine.topic_id AND other.article_id != mine.article_id
       JOIN articles a ON a.id = other.article_id
       WHERE mine.article_id = @id AND a.status = 'published' AND a.published_at > @now`,
    )
    .pluck();
  const identityById = db.prepare<[number], { id: number; content_hash: string }>('SELECT id, content_hash FROM articles WHERE id = ?');
  const idBySectionAndSlug = db.prepare<[number, string], { id: number; content_hash: string }>(
    'SELECT id, content_hash FROM articles WHERE section_id = ? AND slug = ?',
  );
  const insert = db.prepare<ArticleWrite>(
    `INSERT INTO articles (section_id, slug, headline, deck, byline, source, credit_line, body_json, body_text,
       hero_photo_id, status, published_at, updated_at, content_hash)
     VALUES (@section_id, @slug, @headline, @deck, @byline, @source, @credit_line, @body_json, @body_text,
       @hero_photo_id, @status, @published_at, @updated_at, @content_hash)`,
  );
  const update = db.prepare<ArticleWrite & { id: number }>(
    `UPDATE articles SET slug = @slug, headline = @headline, deck = @deck, byline = @byline, source = @source,
       credit_line = @credit_line, body_json = @body_json, body_text = @body_text, hero_photo_id = @hero_photo_id,
       status = @status, published_at = @published_at, updated_at = @updated_at, content_hash = @content_hash
     WHERE id = @id`,
  );
  const clearTopics = db.prepare<[number]>('DELETE FROM article_topics WHERE article_id = ?');
  const addTopic = db.prepare<[number, number, number]>('INSERT INTO article_topics (article_id, topic_id, position) VALUES (?, ?, ?)');
  const clearInlinePhotos = db.prepare<[number]>('DELETE FROM article_inline_photos WHERE article_id = ?');
  const addInlinePhoto = db.prepare<[number, number]>(
    'INSERT INTO article_inline_photos (article_id, photo_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  const addOldSlug = db.prepare<[string, number]>('INSERT INTO article_old_slugs (slug, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const dropOldSlug = db.prepare<[string, number]>('DELETE FROM article_old_slugs WHERE slug = ? AND article_id = ?');
  const remove = db.prepare<[number]>('DELETE FROM articles WHERE id = ?');

  return {
    /** Visible articles with this slug (any case), newest first; the caller picks by section. */
    findVisibleBySlug: (slug: string, now: string): ArticleLocatorRow[] =>
      bySlug
        .all(slug)
        // The same test as VISIBLE: ISO strings in UTC order as text, in JavaScript as in SQLite.
        .filter((row) => row.status === 'published' && row.published_at <= now)
        .sort((a, b) => (a.published_at < b.published_at ? 1 : a.published_at > b.published_at ? -1 : 0)),
    findVisibleByOldSlug: (slug: string, now: string): ArticleLocatorRow | undefined => byOldSlug.get({ slug, now }),
    findVisibleById: (id: number, now: string): ArticleLocatorRow | undefined => visibleById.get({ id, now }),
    /** The whole article, body included, whatever its status: for rendering one already found visible. */
    findById: (id: number): ArticleRow | undefined => byId.get(id),
    nextScheduledSharingTopics: (id: number, now: string): string | null => nextScheduledSharingTopics.get({ id, now }) ?? null,
    listLatest: (now: string, limit: number, offset = 0) => latest.all({ now, limit, offset }),
    countVisible: (now: string): number => countVisible.get({ now })!,
    listLatestInSections: (sectionIds: number[], now: string, limit: number, offset = 0) =>
      latestInSections.all({ now, sectionIds: JSON.stringify(sectionIds), limit, offset }),
    countInSections: (sectionIds: number[], now: string): number => countInSections.get({ now, sectionIds: JSON.stringify(sectionIds) })!,
    listForTopic: (topicId: number, now: string, limit: number, offset = 0) => forTopic.all({ now, topicId, limit, offset }),
    countForTopic: (topicId: number, now: string): number => countForTopic.get({ now, topicId })!,
    /** The related stories of an article page: those sharing its topics, then its section's just before it. */
    listRelated(article: { id: number; section_id: number; published_at: string }, now: string): ArticleSummaryRow[] {
      const limit = RELATED_STORY_COUNT;
      const topicIds = topicsOf.all(article.id);
      const found = new Set<number>();
      for (const topicId of topicIds) {
        for (const other of newestInTopic.all({ topicId, id: article.id, limit: RELATED_CANDIDATES_PER_TOPIC })) found.add(other);
      }
      const shared = new Map<number, number>();
      if (found.size > 0) {
        for (const row of sharedCounts.all({ ids: JSON.stringify([...found]), topics: JSON.stringify(topicIds) }))
          shared.set(row.id, row.shared);
      }
      const candidates = [...shared]
        .sort(([idA, a], [idB, b]) => b - a || idB - idA)
        .slice(0, RELATED_CANDIDATES_PER_TOPIC)
        .map(([id]) => id);
      const byTopic =
        candidates.length === 0
          ? []
          : visibleSummaries
              .all({ now, ids: JSON.stringify(candidates) })
              .sort(
                (a, b) =>
                  shared.get(b.id)! - shared.get(a.id)! || (a.published_at < b.published_at ? 1 : a.published_at > b.published_at ? -1 : 0),
              )
              .slice(0, limit);
      if (byTopic.length >= limit) return byTopic;
      const seen = new Set(byTopic.map((row) => row.id));
      const nearby = sameSectionBefore.all({
        now,
        id: article.id,
        sectionId: article.section_id,
        before: article.published_at,
        limit: RELATED_SAME_SECTION_CANDIDATES,
      });
      return [...byTopic, ...nearby.filter((row) => !seen.has(row.id))].slice(0, limit);
    },

    findIdentity: (sectionId: number, slug: string) => idBySectionAndSlug.get(sectionId, slug),
    findIdentityById: (id: number) => identityById.get(id),
    insert: (row: ArticleWrite): number => Number(insert.run(row).lastInsertRowid),
    update: (id: number, row: ArticleWrite): void => void update.run({ ...row, id }),
    replaceTopics(articleId: number, topicIds: number[]): void {
      clearTopics.run(articleId);
      topicIds.forEach((topicId, position) => addTopic.run(articleId, topicId, position));
    },
    replaceInlinePhotos(articleId: number, photoIds: number[]): void {
      clearInlinePhotos.run(articleId);
      for (const photoId of photoIds) addInlinePhoto.run(articleId, photoId);
    },
    /** Records earlier slugs; the current slug is never an old one of the same article. */
    setOldSlugs(articleId: number, currentSlug: string, oldSlugs: string[]): void {
      for (const slug of oldSlugs) addOldSlug.run(slug, articleId);
      dropOldSlug.run(currentSlug, articleId);
    },
    remove: (id: number): void => void remove.run(id),
  };
}

export type ArticleRepository = ReturnType<typeof createArticleRepository>;

/** Lists for feeds and sitemaps: whole articles, or just what a sitemap entry needs. */
export function createSyndicationRepository(db: Db) {
  const latestFull = db.prepare<{ now: string; sectionIds: string | null; limit: number }, ArticleRow>(
    `SELECT ${FULL_COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id
     WHERE ${VISIBLE} AND (@sectionIds IS NULL OR a.section_id IN (SELECT value FROM json_each(@sectionIds)))
     ORDER BY a.published_at DESC, a.id DESC LIMIT @limit`,
  );
  // Article sitemaps cover ranges of ids, so that a file is read by the primary key (an OFFSET
  // deep into the archive would scan every row before it), and a file's URLs stay put as stories
  // are added.
  const sitemapRange = db.prepare<{ now: string; fromId: number; toId: number }, SitemapRow>(
    `SELECT a.id, s.path AS section_path, a.slug, a.headline, a.published_at, a.updated_at, a.hero_photo_id
     FROM articles a JOIN sections s ON s.id = a.section_id
     WHERE a.id BETWEEN @fromId AND @toId AND ${VISIBLE} ORDER BY a.id`,
  );
  const highestId = db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM articles').pluck();
  const publishedSince = db.prepare<{ now: string; since: string }, SitemapRow>(
    `SELECT a.id, s.path AS section_path, a.slug, a.headline, a.published_at, a.updated_at, a.hero_photo_id
     FROM articles a JOIN sections s ON s.id = a.section_id
     WHERE ${VISIBLE} AND a.published_at >= @since ORDER BY a.published_at DESC LIMIT 1000`,
  );
  const inlinePhotoIds = db.prepare<[number], number>('SELECT photo_id FROM article_inline_photos WHERE article_id = ?').pluck();
  return {
    latestFull: (sectionIds: number[] | null, now: string, limit: number): ArticleRow[] =>
      latestFull.all({ now, sectionIds: sectionIds ? JSON.stringify(sectionIds) : null, limit }),
    /** The visible stories of article sitemap `file`, which holds ids ((file - 1) * perFile, file * perFile]. */
    sitemapFile: (now: string, file: number, perFile: number): SitemapRow[] =>
      sitemapRange.all({ now, fromId: (file - 1) * perFile + 1, toId: file * perFile }),
    /** How many article sitemap files there are: ranges of ids up to the highest (one read of the primary key). */
    sitemapFileCount: (perFile: number): number => Math.max(1, Math.ceil(highestId.get()! / perFile)),
    publishedSince: (since: string, now: string): SitemapRow[] => publishedSince.all({ now, since }),
    inlinePhotoIds: (articleId: number): number[] => inlinePhotoIds.all(articleId),
  };
}

export type SitemapRow = Pick<ArticleRow, 'id' | 'section_path' | 'slug' | 'headline' | 'published_at' | 'updated_at' | 'hero_photo_id'>;
