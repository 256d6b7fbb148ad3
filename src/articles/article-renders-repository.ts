import { BUSY_TIMEOUT_MS, type Db } from '../db/open-database';

// Stored renders of article pages (migration 0015): what they hold, and the triggers that drop
// them when anything they show changes.

export type ArticleRender = {
  surrogate_keys: string;
  hash: string;
  /** UTF-8 HTML. */
  head_html: Buffer;
  main_html: Buffer;
};

/** The same two parts as DEFLATE pieces (gzip-pieces.ts), read only for readers who accept gzip. */
export type CompressedRenderParts = { head_deflate: Buffer; main_deflate: Buffer };

export type ArticleRenderWrite = ArticleRender &
  CompressedRenderParts & {
    article_id: number;
    render_key: string;
    fresh_until: string | null;
    linkedIds: number[];
    photoIds: number[];
  };

/** How long storing a render may wait for another writer (an import): a page never waits longer. */
const STORE_BUSY_TIMEOUT_MS = 25;

export function createArticleRenderRepository(db: Db) {
  const CURRENT = 'WHERE article_id = @id AND render_key = @key AND (fresh_until IS NULL OR fresh_until > @now)';
  const current = db.prepare<{ id: number; key: string; now: string }, ArticleRender>(
    `SELECT surrogate_keys, hash, head_html, main_html FROM article_renders ${CURRENT}`,
  );
  const currentWithCompressed = db.prepare<{ id: number; key: string; now: string }, ArticleRender & CompressedRenderParts>(
    `SELECT surrogate_keys, hash, head_html, main_html, head_deflate, main_deflate FROM article_renders ${CURRENT}`,
  );
  const contentVersion = db.prepare<[], number>('SELECT version FROM content_version WHERE id = 1').pluck();
  const remove = db.prepare<[number]>('DELETE FROM article_renders WHERE article_id = ?');
  const insert = db.prepare<Omit<ArticleRenderWrite, 'linkedIds' | 'photoIds'>>(
    `INSERT INTO article_renders (article_id, render_key, fresh_until, surrogate_keys, hash, head_html, main_html, head_deflate, main_deflate)
     VALUES (@article_id, @render_key, @fresh_until, @surrogate_keys, @hash, @head_html, @main_html, @head_deflate, @main_deflate)`,
  );
  const addLink = db.prepare<[number, number]>('INSERT OR IGNORE INTO article_render_links (article_id, linked_id) VALUES (?, ?)');
  const addPhoto = db.prepare<[number, number]>('INSERT OR IGNORE INTO article_render_photos (article_id, photo_id) VALUES (?, ?)');
  const missing = db
    .prepare<{ key: string; now: string; after: number; limit: number }, number>(
      `SELECT a.id FROM articles a LEFT JOIN article_renders r ON r.article_id = a.id
     WHERE a.id > @after AND a.status = 'published' AND a.published_at <= @now
       AND (r.article_id IS NULL OR r.render_key != @key OR (r.fresh_until IS NOT NULL AND r.fresh_until <= @now))
     ORDER BY a.id LIMIT @limit`,
    )
    .pluck();

  const write = db.transaction((row: ArticleRenderWrite, renderedAtVersion: number): boolean => {
    // Rendered from what was read at that version: if anything changed since, the render may
    // already be out of date (and its triggers have fired), so it is not kept.
    if (contentVersion.get() !== renderedAtVersion) return false;
    remove.run(row.article_id);
    const { linkedIds, photoIds, ...render } = row;
    insert.run(render);
    for (const id of linkedIds) addLink.run(row.article_id, id);
    for (const id of photoIds) addPhoto.run(row.article_id, id);
    return true;
  });

  return {
    /** The stored render of an article, if one made by this code and configuration is still good. */
    findCurrent: (articleId: number, renderKey: string, now: string): ArticleRender | undefined =>
      current.get({ id: articleId, key: renderKey, now }),

    /** The same, with its compressed parts too. */
    findCurrentWithCompressed: (articleId: number, renderKey: string, now: string): (ArticleRender & CompressedRenderParts) | undefined =>
      currentWithCompressed.get({ id: articleId, key: renderKey, now }),

    /**
     * Keeps a render, unless the content changed after it was read, or another process is writing
     * (the page was served anyway; a later visit stores it). Returns whether it was kept.
     */
    store(row: ArticleRenderWrite, renderedAtVersion: number): boolean {
      db.pragma(`busy_timeout = ${STORE_BUSY_TIMEOUT_MS}`);
      try {
        return write.immediate(row, renderedAtVersion);
      } catch (error) {
        if (isBusyOrFull(error)) return false;
        throw error;
      } finally {
        db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
    },

    /** Visible articles without a good render, in id order from `after`: what a pre-render run does next. */
    listMissing: (renderKey: string, now: string, after: number, limit: number): number[] =>
      missing.all({ key: renderKey, now, after, limit }),
  };
}

/** Errors that mean "not now" rather than a fault: another writer holds the lock, or the disk is full or read-only. */
function isBusyOrFull(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|FULL|READONLY|IOERR)/.test(code);
}

export type ArticleRenderRepository = ReturnType<typeof createArticleRenderRepository>;
