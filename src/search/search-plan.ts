import type { SearchFilters, SearchHitRow, SearchRepository } from './search-repository';
import { renderMatch, type SearchClause, type SearchTerm } from './search-query';
import { foldWord } from './search-suggestion';

// How a search runs, so that it stays fast on a large archive:
//
// 1. Candidates: the visible articles matching the whole query (with the filters), most recently
//    added first, at most candidateLimit (1,000) of them. Results and their count come from these; when
//    more match, the page says "more than 1,000" and ranks the newest thousand.
// 2. Ranking by relevance: bm25 over the query's selective words only. A word used by a large share
//    of the archive tells little about relevance (its inverse document frequency is near zero)
//    while scoring it means reading its whole posting list; it still filters, it just does not
//    score. Scores are scaled by freshness, so newer stories come first among near-equals. When
//    every word is common, stories with the words in their headline come first, newest first.
// 3. The page: ten rows with their snippets, highlighted with the whole query.

export type SearchTuning = {
  /** How many matching articles are ranked, newest added first. */
  candidateLimit: number;
  /** A word is "common" when more articles than this use it: scoring it costs more than it tells. */
  commonThreshold: (articles: number) => number;
};

export const DEFAULT_TUNING: SearchTuning = {
  candidateLimit: 1000,
  commonThreshold: (articles) => Math.max(5000, Math.floor(articles * 0.05)),
};

export type SearchOutcome = { total: number; more: boolean; hits: SearchHitRow[] };

function freshness(publishedAt: string, now: string): number {
  const ageDays = Math.max(0, (Date.parse(now) - Date.parse(publishedAt)) / 86_400_000);
  return 1 + 0.25 / (1 + ageDays / 365);
}

/** True when every word of the term is used by no more than `threshold` articles. */
function isSelective(search: SearchRepository, term: SearchTerm, threshold: number): boolean {
  if (term.prefix) {
    const last = foldWord(term.tokens[term.tokens.length - 1]!);
    if (search.documentFrequency(last, true) > threshold) return false;
  }
  const words = term.prefix ? term.tokens.slice(0, -1) : term.tokens;
  return search.stems(words).every((stem) => stem === '' || search.documentFrequency(stem, false) <= threshold);
}

export function runSearch(
  search: SearchRepository,
  clauses: SearchClause[],
  filters: SearchFilters,
  sort: 'relevance' | 'newest',
  limit: number,
  offset: number,
  tuning: SearchTuning = DEFAULT_TUNING,
): SearchOutcome {
  const match = renderMatch(clauses);
  if (!match) return { total: 0, more: false, hits: [] };
  const found = search.candidates(match, filters, tuning.candidateLimit + 1);
  const more = found.length > tuning.candidateLimit;
  const candidates = found.slice(0, tuning.candidateLimit);
  if (candidates.length === 0 || offset >= candidates.length) return { total: candidates.length, more, hits: [] };

  let ordered: number[];
  if (sort === 'newest') {
    ordered = [...candidates].sort((a, b) => b.published_at.localeCompare(a.published_at) || b.id - a.id).map((c) => c.id);
  } else {
    const minId = Math.min(...candidates.map((c) => c.id));
    const threshold = tuning.commonThreshold(search.approximateArticleCount());
    const selective = clauses.filter((c) => !c.negated && c.alternatives.every((term) => isSelective(search, term, threshold)));
    // Any row here matched the whole query, so it matches the OR of its selective terms too.
    const rankMatch = renderMatch([{ negated: false, alternatives: selective.flatMap((c) => c.alternatives) }]);
    if (selective.length > 0 && rankMatch) {
      const scores = search.scores(rankMatch, minId);
      const scored = candidates.map((c) => ({ ...c, score: (scores.get(c.id) ?? 0) * freshness(c.published_at, filters.now) }));
      scored.sort((a, b) => a.score - b.score || b.published_at.localeCompare(a.published_at));
      ordered = scored.map((c) => c.id);
    } else {
      const inHeadline = search.matchingIds(renderMatch(clauses, 'headline')!, minId);
      ordered = [...candidates]
        .sort((a, b) => Number(inHeadline.has(b.id)) - Number(inHeadline.has(a.id)) || b.published_at.localeCompare(a.published_at))
        .map((c) => c.id);
    }
  }
  return { total: candidates.length, more, hits: search.hits(match, ordered.slice(offset, offset + limit)) };
}
