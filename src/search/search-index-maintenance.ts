import type { Db } from '../db/open-database';

// The search indexes grow a segment at a time as stories are written, and FTS5 merges segments
// only now and then: after a large import, or months of writing, a word's posting list lies in a
// dozen segments, and every search reads each one (on 100,000 stories: 13 segments; a search's
// ten snippets took 1.7 ms instead of 0.5 ms merged). Merging them all into one is FTS5's
// "optimize", which `news search:optimize` runs.

export const SEARCH_INDEXES = ['article_search', 'article_search_words', 'article_search_headlines', 'search_words'] as const;

/** How many segments each search index has now. */
export function searchIndexSegments(db: Db): Record<string, number> {
  return Object.fromEntries(
    SEARCH_INDEXES.map((table) => [table, db.prepare<[], number>(`SELECT count(DISTINCT segid) FROM ${table}_idx`).pluck().get()!]),
  );
}

/**
 * Merges each search index into one segment. Each is one write transaction (8 s for the main index
 * on 100,000 stories): readers carry on meanwhile (WAL), writers wait for it.
 */
export function optimizeSearchIndexes(db: Db, onIndex?: (table: string, seconds: number) => void): void {
  for (const table of SEARCH_INDEXES) {
    const started = performance.now();
    db.prepare(`INSERT INTO ${table} (${table}) VALUES ('optimize')`).run();
    onIndex?.(table, (performance.now() - started) / 1000);
  }
}
