import type { SearchFilters, SearchHitRow, SearchRepository, WordsOfQuery } from './search-repository';
import { chooseSnippet, snippetOfFoundWords } from './search-snippet';
import { wordFinder } from './word-marks';
import { renderMatch, type SearchClause, type SearchTerm } from './search-query';
import { foldWord } from './search-suggestion';

// How a search runs, so that it stays fast on a large archive:
//
// 1. Candidates: the visible articles matching the whole query (with the filters), most recently
//    added first, at most candidateLimit (1,000) of them, found among at most scanLimit (20,000)
//    of the newest matches. The newest are found first because FTS5 reads posting lists backwards
//    and stops when it has enough: a common word costs what the page needs. When more match than
//    were read, the count is an estimate from how densely the read stretch of the archive matched
//    ("about 78,000 results"); the newest thousand are ranked. When one of the query's words is
//    selective (below), the query matches few stories, and they are read all at once, oldest first:
//    FTS5 reads an AND backwards slowly when another of its words is in most stories.
//    Matches are read from the words-only index (migration 0033: which stories have each word, no
//    positions), a tenth of the main index's size, unless the query has a phrase. A common word's
//    stories are kept per search thread as bits (word-sets-repository.ts): a query of plain words
//    with a common one tests its other words' matches against them instead of reading the common
//    word's long posting list again.
// 2. Ranking by relevance: bm25 over the query's selective words only. A word used by a large share
//    of the archive tells little about relevance (its inverse document frequency is near zero)
//    while scoring it means reading its whole posting list; it still filters, it just does not
//    score. Only the candidates are scored, not every story with the selective words. Scores are
//    scaled by freshness, so newer stories come first among near-equals. When
//    every word is common, stories with the words in their headline come first, newest first
//    (from the headline-only index; for single words, from each word's headline list, kept per
//    search thread until the content changes).
// 3. The page: ten rows with their snippets, highlighted with the whole query (search-snippet.ts;
//    for single words, marked in JavaScript as the index would mark them: word-marks.ts).

export type SearchTuning = {
  /** How many matching articles are ranked, newest added first. */
  candidateLimit: number;
  /** How many of the newest matches are read at most to find them (filters can make them sparse). */
  scanLimit: number;
  /** A word is "common" when more articles than this use it: scoring it costs more than it tells. */
  commonThreshold: (articles: number) => number;
};

export const DEFAULT_TUNING: SearchTuning = {
  candidateLimit: 1000,
  scanLimit: 20_000,
  commonThreshold: (articles) => Math.max(5000, Math.floor(articles * 0.05)),
};

/**
 * `total`: the candidates found (what the pages of results cover). `more`: more match than that.
 * `estimate`: about how many match in all, when more do and the archive allows a fair guess.
 */
export type SearchOutcome = { total: number; more: boolean; estimate: number | null; hits: SearchHit[] };
/** A result: its row and its snippet, the searched words marked (search-snippet.ts). */
export type SearchHit = SearchHitRow & { snippet: string };

/**
 * About how many stories match in all, from the `found` matches among the ids from `lowestRead` up
 * to the newest: stories are added at a fairly steady rate and words are used steadily, so the rest
 * of the archive matches about as densely. Dates break that (the read stretch may be all inside the
 * range and the rest all outside): with a date filter there is no estimate, only "more than".
 * Rounded to two significant figures, as an estimate should be.
 */
function estimateMatches(search: SearchRepository, found: number, lowestRead: number, filters: SearchFilters): number | null {
  if (filters.from || filters.to) return null;
  const newest = search.approximateArticleCount();
  const stretch = newest - lowestRead + 1;
  if (stretch <= 0 || newest <= 0) return null;
  const estimate = Math.max(found, (found * newest) / stretch);
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(estimate)) - 1);
  return Math.round(estimate / magnitude) * magnitude;
}

function freshness(publishedAt: string, nowMs: number): number {
  const ageDays = Math.max(0, (nowMs - Date.parse(publishedAt)) / 86_400_000);
  return 1 + 0.25 / (1 + ageDays / 365);
}

/**
 * Newer first, for sort(): publication times are all ISO 8601 in UTC of the same shape, so their
 * code units order them. (localeCompare orders them the same, through ICU collation: twice as slow
 * over a thousand candidates.)
 */
const newerFirst = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);

/** True when every word of the term is used by no more than `threshold` articles. */
function isSelective(search: SearchRepository, term: SearchTerm, threshold: number): boolean {
  if (term.prefix) {
    const last = foldWord(term.tokens[term.tokens.length - 1]!);
    if (search.prefixFrequency(last) > threshold) return false;
  }
  const words = term.prefix ? term.tokens.slice(0, -1) : term.tokens;
  const stems = search.stems(words);
  return words.every((word, i) => {
    const stem = stems[i]!;
    // No stem: nothing to count. Several (a word the tokenizer splits): no single term of the
    // index, counted as selective, as it always was.
    if (stem === '' || stem.includes(' ')) return true;
    // The word alone, as the index reads it (the same stem): the stories that contain it.
    return !search.matchesMoreThan(renderMatch([{ negated: false, alternatives: [{ tokens: [word], prefix: false }] }])!, threshold);
  });
}

/** Whether the ascending ids include `id` (a binary search). */
function includes(ids: Int32Array, id: number): boolean {
  let low = 0;
  let high = ids.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = ids[middle]!;
    if (at === id) return true;
    if (at < id) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/**
 * Whether a story's headline matches the query, as the headline-only index would say. A query of
 * single words (no phrase, no prefix) is answered from each word's list of headlines from minId up,
 * kept between searches (storiesWithWordInHeadline): every positive clause has one of its words in
 * the headline, and no negated clause does. Any other query asks the index, for the stories from
 * minId up. Only stories from minId up are asked about.
 */
function headlineMatcher(
  search: SearchRepository,
  clauses: SearchClause[],
  singleTokens: boolean,
  match: string,
  minId: number,
): (id: number) => boolean {
  if (!singleTokens || clauses.some((c) => c.alternatives.some((term) => term.prefix))) {
    const matching = search.headlineMatches(match, minId);
    return (id) => matching.has(id);
  }
  const lists = clauses.map((c) => ({
    negated: c.negated,
    alternatives: c.alternatives.map((term) => search.storiesWithWordInHeadline(term.tokens[0]!, minId)),
  }));
  // Loops, not every()/some(): this runs for each of up to a thousand candidates, and the
  // callbacks' closures were most of what a search allocated here.
  return (id) => {
    for (let c = 0; c < lists.length; c += 1) {
      const { negated, alternatives } = lists[c]!;
      let inHeadline = false;
      for (let a = 0; a < alternatives.length && !inHeadline; a += 1) inHeadline = includes(alternatives[a]!, id);
      if (inHeadline === negated) return false;
    }
    return true;
  };
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
  if (!match) return { total: 0, more: false, estimate: null, hits: [] };
  // A term of several tokens (a phrase, or a word the tokenizer splits) needs the main index's
  // positions to find its matches; single words are found in the words-only index.
  const singleTokens = clauses.every((c) =>
    c.alternatives.every((term) => term.tokens.length === 1 && !search.stems(term.tokens)[0]!.includes(' ')),
  );
  const matching = { expression: match, singleTokens };
  const limitPlusOne = tuning.candidateLimit + 1;
  // The clauses no more than `threshold` stories match: they rank (below), and any one of them
  // bounds how many stories the whole query can match, so that every match can be read at once,
  // oldest first (newestMatches). A single word alone, with no filter, gains nothing from that: its
  // newest matches are the first entries read.
  const threshold = tuning.commonThreshold(search.approximateArticleCount());
  const selective = clauses.filter((c) => !c.negated && c.alternatives.every((term) => isSelective(search, term, threshold)));
  const filtered = filters.sectionIds !== null || filters.from !== null || filters.to !== null;
  const singleWord = clauses.length === 1 && clauses[0]!.alternatives.length === 1 && clauses[0]!.alternatives[0]!.tokens.length === 1;
  const few = selective.length > 0 && (filtered || !singleWord) ? threshold : 0;
  // A query of single words, all required, with a common one: its matches come from the common
  // words' kept sets (word-sets-repository.ts).
  const simpleWords = singleTokens && clauses.every((c) => !c.negated && c.alternatives.length === 1 && !c.alternatives[0]!.prefix);
  const words: WordsOfQuery | undefined = simpleWords
    ? { common: clauses.filter((c) => !selective.includes(c)).map((c) => c.alternatives[0]!.tokens[0]!), rare: renderMatch(selective) }
    : undefined;
  let read = search.newestMatches(matching, filters, limitPlusOne, tuning.scanLimit, few, words);
  // None of the newest matches passed the filters: the rest are read too, since "no results" must
  // be true. When some passed, they are enough for a page and an estimate.
  if (read.candidates.length === 0 && !read.exhausted) read = search.newestMatches(matching, filters, limitPlusOne, -1, 0, words);
  const found = read.candidates;
  // Where the reading stopped when more match than were taken: just below the candidates when
  // they filled up, or at the end of the stretch read (null: every match was read).
  const lowestRead =
    found.length === limitPlusOne ? found[tuning.candidateLimit]!.id : !read.exhausted && found.length > 0 ? read.lowestRead : null;
  const candidates = found.slice(0, tuning.candidateLimit);
  const more = lowestRead !== null;
  const estimate = lowestRead !== null ? estimateMatches(search, found.length, lowestRead, filters) : null;
  if (candidates.length === 0 || offset >= candidates.length) return { total: candidates.length, more, estimate, hits: [] };

  let ordered: number[];
  if (sort === 'newest') {
    ordered = [...candidates].sort((a, b) => newerFirst(a.published_at, b.published_at) || b.id - a.id).map((c) => c.id);
  } else {
    // Any row here matched the whole query, so it matches every selective clause too. Their AND
    // scores a candidate as their OR would (bm25 sums over the same phrases), and reads only the
    // stories that have them all: the OR read every story with any of them, to throw most away.
    const rankMatch = renderMatch(selective);
    if (selective.length > 0 && rankMatch) {
      const scores = search.scores(
        rankMatch,
        candidates.map((c) => c.id),
      );
      const nowMs = Date.parse(filters.now);
      const scored = candidates.map(({ id, published_at }) => ({
        id,
        published_at,
        score: (scores.get(id) ?? 0) * freshness(published_at, nowMs),
      }));
      scored.sort((a, b) => a.score - b.score || newerFirst(a.published_at, b.published_at));
      ordered = scored.map((c) => c.id);
    } else {
      const minId = Math.min(...candidates.map((c) => c.id));
      const inHeadline = headlineMatcher(search, clauses, singleTokens, match, minId);
      const first = new Set(candidates.filter((c) => inHeadline(c.id)).map((c) => c.id));
      ordered = [...candidates]
        .sort((a, b) => Number(first.has(b.id)) - Number(first.has(a.id)) || newerFirst(a.published_at, b.published_at))
        .map((c) => c.id);
    }
  }
  const shown = ordered.slice(offset, offset + limit);
  let hits: SearchHit[];
  if (singleTokens && clauses.every((c) => c.alternatives.every((term) => !term.prefix))) {
    // Single words, none with a prefix: highlight() would mark every word with the stem of one
    // the query looks for (not of one it excludes), which JavaScript does more quickly with the
    // story's text as it is (word-marks.ts).
    const stems = search.stems(clauses.filter((c) => !c.negated).flatMap((c) => c.alternatives.map((term) => term.tokens[0]!)));
    const find = wordFinder(search.textWords, stems);
    hits = search.plainHits(shown).flatMap(({ row, deck, body }) => {
      const inBody = find(body);
      const inDeck = inBody === null ? null : find(deck);
      if (inBody !== null && inDeck !== null) return [{ ...row, snippet: snippetOfFoundWords(body, inBody, deck, inDeck) }];
      // Too many words of other scripts to stem one by one: the index marks this one.
      return search.hits(match, [row.id]).map((hit) => ({ ...hit.row, snippet: chooseSnippet(hit.markedBody, hit.markedDeck) }));
    });
  } else {
    hits = search.hits(match, shown).map(({ row, markedDeck, markedBody }) => ({ ...row, snippet: chooseSnippet(markedBody, markedDeck) }));
  }
  return { total: candidates.length, more, estimate, hits };
}
