import type { Db } from '../db/open-database';
import type { ArticleSummaryRow } from './articles';

export type SearchFilters = {
  /** A compiled, safe FTS5 expression (see compileSearchQuery); never raw reader input. */
  match: string;
  now: string;
  sectionIds: number[] | null;
  from: string | null;
  to: string | null;
};

export type SearchHitRow = ArticleSummaryRow & { snippet: string };

// Marks around matched words in snippets: private-use characters, split out and escaped by the
// page, so that only the marks become markup.
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';

// Column weights for bm25: headline above deck above topics above byline above body.
const BM25 = 'bm25(article_search, 10.0, 4.0, 1.0, 2.0, 3.0)';
// bm25 is negative (lower is better). Scaling it by up to 1.25 for fresh stories puts newer
// stories first among near-equals without letting a weak new match beat a strong old one.
const RELEVANCE = `${BM25} * (1.0 + 0.25 / (1.0 + (julianday(@now) - julianday(a.published_at)) / 365.0))`;
const FILTERS = `article_search MATCH @match
  AND a.status = 'published' AND a.published_at <= @now
  AND (@sectionIds IS NULL OR a.section_id IN (SELECT value FROM json_each(@sectionIds)))
  AND (@from IS NULL OR a.published_at >= @from)
  AND (@to IS NULL OR a.published_at < @to)`;
const COLUMNS = `a.id, a.section_id, s.path AS section_path, a.slug, a.headline, a.deck, a.byline, a.hero_photo_id,
  a.status, a.published_at, a.updated_at,
  snippet(article_search, -1, '${MARK_START}', '${MARK_END}', '…', 30) AS snippet`;

export function createSearchRepository(db: Db) {
  const search = (order: string) =>
    db.prepare<Record<string, unknown>, SearchHitRow>(
      `SELECT ${COLUMNS} FROM article_search JOIN articles a ON a.id = article_search.rowid
       JOIN sections s ON s.id = a.section_id
       WHERE ${FILTERS} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    );
  const byRelevance = search(`${RELEVANCE}, a.published_at DESC`);
  const byNewest = search('a.published_at DESC, a.id DESC');
  const count = db
    .prepare<Record<string, unknown>, number>(
      `SELECT count(*) FROM article_search JOIN articles a ON a.id = article_search.rowid WHERE ${FILTERS}`,
    )
    .pluck();
  const wordsNear = db
    .prepare<[string, string], { term: string; doc: number }>('SELECT term, doc FROM search_words_vocab WHERE term >= ? AND term < ?')
    .raw(false);
  const wordExists = db.prepare<[string], number>('SELECT doc FROM search_words_vocab WHERE term = ?').pluck();

  const params = (filters: SearchFilters) => ({
    match: filters.match,
    now: filters.now,
    sectionIds: filters.sectionIds ? JSON.stringify(filters.sectionIds) : null,
    from: filters.from,
    to: filters.to,
  });

  return {
    search(filters: SearchFilters, sort: 'relevance' | 'newest', limit: number, offset: number): SearchHitRow[] {
      return (sort === 'newest' ? byNewest : byRelevance).all({ ...params(filters), limit, offset });
    },
    count: (filters: SearchFilters): number => count.get(params(filters))!,
    /** Headline, deck and topic words starting with `prefix`, with how many stories use them. */
    wordsStartingWith(prefix: string): { term: string; doc: number }[] {
      return wordsNear.all(prefix, `${prefix}\uffff`);
    },
    isKnownWord: (word: string): boolean => (wordExists.get(word) ?? 0) > 0,
  };
}

export type SearchRepository = ReturnType<typeof createSearchRepository>;
