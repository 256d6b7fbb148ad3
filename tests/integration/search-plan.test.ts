import type { SearchFilters } from '../../src/search/search-repository';
import { createSearchRepository } from '../../src/search/search-repository';
import { runSearch, type SearchTuning } from '../../src/search/search-plan';
import { compileSearchQuery } from '../../src/search/search-query';
import { buildArticleRecord, importRecords } from '../helpers/article-factory';
import { createTestSite, TEST_NOW, type TestSite } from '../helpers/test-site';

// The ranking shortcuts that keep search fast on a large archive, exercised on a small one by
// lowering their thresholds.
let site: TestSite;
const filters: SearchFilters = { now: TEST_NOW.toISOString(), sectionIds: null, from: null, to: null };
/** An expression of single words, which the words-only index may answer. */
const words = (expression: string) => ({ expression, singleTokens: true });
const headlines = (outcome: ReturnType<typeof runSearch>) => outcome.hits.map((hit) => hit.headline);
const run = (q: string, tuning: Partial<SearchTuning> = {}, within: Partial<typeof filters> = {}) =>
  runSearch(createSearchRepository(site.db), compileSearchQuery(q).clauses, { ...filters, ...within }, 'relevance', 10, 0, {
    candidateLimit: 1000,
    scanLimit: 20_000,
    commonThreshold: () => 5000,
    ...tuning,
  });
const sectionOf = (slug: string): number[] => [
  site.db.prepare<[string], number>('SELECT section_id FROM articles WHERE slug = ?').pluck().get(slug)!,
];

beforeAll(async () => {
  site = await createTestSite();
  const report = await importRecords(site, [
    buildArticleRecord({
      slug: 'Old-headline',
      section: 'Environment',
      headline: 'Walrus colony counted',
      published_at: '2015-01-01T00:00:00Z',
      body: ['Scientists counted animals.'],
    }),
    buildArticleRecord({
      slug: 'New-body',
      headline: 'Arctic survey ends',
      published_at: '2019-01-01T00:00:00Z',
      body: ['The walrus was seen. A narwhal too.'],
    }),
    buildArticleRecord({
      slug: 'Newest-body',
      section: 'USA/Justice',
      headline: 'Ice report',
      published_at: '2020-01-01T00:00:00Z',
      body: ['A walrus and a narwhal and a narwhal.'],
    }),
  ]);
  expect(report.rejected).toEqual([]);
});
afterAll(() => site.close());

test('with exact scoring, a headline match comes first', () => {
  expect(headlines(run('walrus'))).toEqual(['Walrus colony counted', 'Ice report', 'Arctic survey ends']);
});

test('when every word is common, headline matches still come first, then the newest', () => {
  expect(headlines(run('walrus', { commonThreshold: () => 1 }))).toEqual(['Walrus colony counted', 'Ice report', 'Arctic survey ends']);
});

test('a common word filters but does not score; the selective word decides the order', () => {
  // "walrus" is in all three (common); "narwhal" is scored: the story with it twice ranks first.
  const outcome = run('walrus narwhal', { commonThreshold: () => 2 });
  expect(headlines(outcome)).toEqual(['Ice report', 'Arctic survey ends']);
  expect(outcome.hits[0]!.snippet).toContain('\uE000walrus\uE001');
});

test('past the candidate limit, the count is an estimate and the newest are ranked', () => {
  const outcome = run('walrus', { candidateLimit: 2 });
  expect(outcome).toMatchObject({ total: 2, more: true });
  // Three of the archive's newest stories all match: the estimate says most of it would.
  expect(outcome.estimate).toBeGreaterThan(3);
  expect(headlines(outcome)).toEqual(['Ice report', 'Arctic survey ends']);
  // Dates make the archive's density no guide: "more than", no estimate.
  expect(run('walrus', { candidateLimit: 2 }, { from: '2010-01-01T00:00:00.000Z' })).toMatchObject({ more: true, estimate: null });
});

test('every match is counted exactly while the candidates do not fill up', () => {
  expect(run('narwhal')).toMatchObject({ total: 2, more: false, estimate: null });
});

test('a filter that thins the newest matches out reads no further than the scan limit, and says so', () => {
  // The newest walrus story is read (scan limit 1); it is within the dates, so it is the result.
  // (A section no longer thins the matches out for single words: the words-only index reads only
  // the section's stories, below.)
  const since2019 = { from: '2019-06-01T00:00:00.000Z' };
  const outcome = run('walrus', { scanLimit: 1 }, since2019);
  expect(headlines(outcome)).toEqual(['Ice report']);
  expect(outcome).toMatchObject({ total: 1, more: true });
  // Read in full, the same search is exact.
  expect(run('walrus', {}, since2019)).toMatchObject({ total: 1, more: false, estimate: null });
  // A phrase within a section is read from the main index and filtered in memory, likewise.
  expect(run('"a narwhal"', { scanLimit: 1 }, { sectionIds: sectionOf('Newest-body') })).toMatchObject({ total: 1, more: true });
  expect(run('"a narwhal"', {}, { sectionIds: sectionOf('Newest-body') })).toMatchObject({ total: 1, more: false });
});

test('a filter that leaves none of the scanned matches reads on: "no results" is always true', () => {
  // Only the oldest walrus story is in this section, and it lies past the scan limit.
  const outcome = run('walrus', { scanLimit: 1 }, { sectionIds: sectionOf('Old-headline') });
  expect(headlines(outcome)).toEqual(['Walrus colony counted']);
  expect(outcome).toMatchObject({ total: 1, more: false });
});

test('the headline-only index follows headlines as they change', () => {
  const setHeadline = site.db.prepare<[string, string]>('UPDATE articles SET headline = ? WHERE slug = ?');
  setHeadline.run('Walrus survey ends', 'New-body');
  try {
    expect(headlines(run('walrus', { commonThreshold: () => 1 }))).toEqual(['Walrus survey ends', 'Walrus colony counted', 'Ice report']);
  } finally {
    setHeadline.run('Arctic survey ends', 'New-body');
  }
  expect(headlines(run('walrus', { commonThreshold: () => 1 }))).toEqual(['Walrus colony counted', 'Ice report', 'Arctic survey ends']);
});

test("a search's repository keeps each word's headlines until the content changes, and then reads them again", () => {
  // One repository for every search, as a search thread has.
  const search = createSearchRepository(site.db);
  const common = (q: string) =>
    headlines(
      runSearch(search, compileSearchQuery(q).clauses, filters, 'relevance', 10, 0, {
        candidateLimit: 1000,
        scanLimit: 20_000,
        commonThreshold: () => 1,
      }),
    );
  const setHeadline = site.db.prepare<[string, string]>('UPDATE articles SET headline = ? WHERE slug = ?');
  expect(common('walrus')).toEqual(['Walrus colony counted', 'Ice report', 'Arctic survey ends']);
  setHeadline.run('Walrus survey ends', 'New-body');
  try {
    // Only the two newer stories have both words: "walrus" is read from the older of them up, and
    // then further back for the next search, which reaches the oldest story too. Neither headline
    // has both words: newest first.
    expect(common('walrus narwhal')).toEqual(['Ice report', 'Walrus survey ends']);
    expect(common('walrus')).toEqual(['Walrus survey ends', 'Walrus colony counted', 'Ice report']);
    // Every positive word in the headline and no excluded one; either of two words.
    expect(common('walrus -colony')).toEqual(['Walrus survey ends', 'Ice report']);
    expect(common('narwhal OR colony walrus')).toEqual(['Walrus colony counted', 'Ice report', 'Walrus survey ends']);
  } finally {
    setHeadline.run('Arctic survey ends', 'New-body');
  }
  expect(common('walrus')).toEqual(['Walrus colony counted', 'Ice report', 'Arctic survey ends']);
  expect(common('walrus -colony')).toEqual(['Ice report', 'Arctic survey ends']);
});

test('a query known to match few stories is read oldest first, with the same results as newest first', () => {
  const search = createSearchRepository(site.db);
  const ids = (read: ReturnType<typeof search.newestMatches>) => read.candidates.map((c) => c.id);
  const newestFirst = search.newestMatches(words('"walrus"'), filters, 10, -1);
  expect(newestFirst).toMatchObject({ read: 3, exhausted: true });
  // Read at once, oldest first (at most 5 match): the same candidates, newest first, all read.
  expect(search.newestMatches(words('"walrus"'), filters, 10, -1, 5)).toEqual(newestFirst);
  // The candidates fill up after two: the third is never looked at, as when read newest first.
  expect(search.newestMatches(words('"walrus"'), filters, 2, -1, 5)).toEqual(search.newestMatches(words('"walrus"'), filters, 2, -1));
  expect(search.newestMatches(words('"walrus"'), filters, 2, -1, 5)).toMatchObject({ read: 2, exhausted: false });
  // A bound that was wrong (three match, not at most one) is noticed: read newest first after all.
  expect(search.newestMatches(words('"walrus"'), filters, 10, -1, 1)).toEqual(newestFirst);
  expect(ids(search.newestMatches(words('"walrus" "narwhal"'), filters, 10, -1, 5))).toEqual(ids(newestFirst).slice(0, 2));
});

test('a common word and a selective one: the same stories and count whether or not the selective word bounds the read', () => {
  // "narwhal" (two stories) is selective below a threshold of 2 and bounds the read; below 1 nothing is.
  const bounded = run('walrus narwhal', { commonThreshold: () => 2 });
  const unbounded = run('walrus narwhal', { commonThreshold: () => 1 });
  expect(bounded).toMatchObject({ total: 2, more: false, estimate: null });
  expect(unbounded).toMatchObject({ total: 2, more: false, estimate: null });
  expect(headlines(bounded).sort()).toEqual(headlines(unbounded).sort());
  // Scored by the selective word: the story with "narwhal" twice first.
  expect(headlines(bounded)).toEqual(['Ice report', 'Arctic survey ends']);
  expect(run('walrus narwhal', { commonThreshold: () => 2 }, { sectionIds: sectionOf('Newest-body') })).toMatchObject({
    total: 1,
    hits: [{ headline: 'Ice report' }],
  });
});

test('the words-only index finds what the main index finds, and follows stories as they change', () => {
  const search = createSearchRepository(site.db);
  const ids = (expression: string, singleTokens: boolean) =>
    search.newestMatches({ expression, singleTokens }, filters, 10, -1).candidates.map((c) => c.id);
  const both = (expression: string) => {
    const fromWords = ids(expression, true);
    expect(fromWords).toEqual(ids(expression, false));
    return fromWords.length;
  };
  expect(both('"walrus"')).toBe(3);
  expect(both('"walrus" AND "narwhal"')).toBe(2);
  expect(both('"walrus" NOT "narwhal"')).toBe(1);
  expect(both('"narwh"*')).toBe(2);
  // By stem ("counted"), and in a body.
  expect(both('"count"')).toBeGreaterThan(0);
  const scientists = both('"scientists"');
  expect(scientists).toBeGreaterThan(0);

  const setBody = site.db.prepare<[string, string]>('UPDATE articles SET body_text = ? WHERE slug = ?');
  const body = site.db.prepare<[string], string>('SELECT body_text FROM articles WHERE slug = ?').pluck().get('Old-headline')!;
  setBody.run('Scientists counted a beluga.', 'Old-headline');
  try {
    expect(both('"beluga"')).toBe(1);
    expect(both('"scientists" AND "counted" AND "animals"')).toBe(0);
  } finally {
    setBody.run(body, 'Old-headline');
  }
  expect(both('"beluga"')).toBe(0);
  expect(both('"scientists" AND "counted" AND "animals"')).toBe(1);
});

test('a phrase is found through the main index: the words-only index has no positions', () => {
  // "walrus was" is a phrase in one story; both words are in it, and "a walrus" in another.
  expect(run('"walrus was"')).toMatchObject({ total: 1, hits: [{ headline: 'Arctic survey ends' }] });
  expect(run('"a narwhal" walrus')).toMatchObject({ total: 2 });
  expect(run('"narwhal and a narwhal"')).toMatchObject({ total: 1, hits: [{ headline: 'Ice report' }] });
  // One word to the reader, several tokens to the index (spacing vowel signs split it): a phrase
  // too, which the words-only index would refuse with an error.
  expect(run('हिन्दी walrus')).toMatchObject({ total: 0 });
  expect(run('हिन्दी*')).toMatchObject({ total: 0 });
});

test('within a section, the words-only index reads only that section, and follows a story that moves', () => {
  const search = createSearchRepository(site.db);
  const ids = (expression: string, singleTokens: boolean, sectionIds: number[]) =>
    search.newestMatches({ expression, singleTokens }, { ...filters, sectionIds }, 10, -1).candidates.map((c) => c.id);
  const environment = sectionOf('Old-headline');
  const justice = sectionOf('Newest-body');
  // Through the index (single words) and through the main index with the filter in memory (a phrase
  // would go there): the same stories. Only the section's own matches are read.
  expect(ids('"walrus"', true, environment)).toEqual(ids('"walrus"', false, environment));
  expect(ids('"walrus"', true, environment)).toHaveLength(1);
  expect(search.newestMatches(words('"walrus"'), { ...filters, sectionIds: environment }, 10, -1).read).toBe(1);
  expect(ids('"walrus"', true, [...environment, ...justice])).toHaveLength(2);
  expect(ids('"walrus"', true, [])).toEqual([]);

  const moveTo = site.db.prepare<[number, string]>('UPDATE articles SET section_id = ? WHERE slug = ?');
  moveTo.run(justice[0]!, 'Old-headline');
  try {
    expect(ids('"walrus"', true, environment)).toEqual([]);
    expect(ids('"walrus"', true, justice)).toHaveLength(2);
  } finally {
    moveTo.run(environment[0]!, 'Old-headline');
  }
  expect(ids('"walrus"', true, environment)).toHaveLength(1);
});

test("a reader's query cannot reach the words that stand for sections", () => {
  const sectionWord = `\uE5EC${sectionOf('Old-headline')[0]}`;
  expect(compileSearchQuery(sectionWord).match).not.toContain('\uE5EC');
  expect(run(sectionWord).total).toBe(0);
});

test("common words' kept sets find what the index finds, stop where it stops, and follow stories as they change", async () => {
  // One repository for every search, as a search thread has.
  const search = createSearchRepository(site.db);
  type Read = ReturnType<typeof search.newestMatches>;
  /** Read through the index, and through the sets with `common` as the common words: the same. */
  const both = (
    expression: string,
    common: string[],
    rare: string | null,
    limit = 10,
    scan = -1,
    within: Partial<SearchFilters> = {},
  ): Read => {
    const fromIndex = search.newestMatches(words(expression), { ...filters, ...within }, limit, scan);
    const fromSets = search.newestMatches(words(expression), { ...filters, ...within }, limit, scan, 0, { common, rare });
    expect(fromSets).toEqual(fromIndex);
    return fromSets;
  };
  expect(both('"walrus"', ['walrus'], null)).toMatchObject({ read: 3, exhausted: true });
  expect(both('"walrus" AND "narwhal"', ['walrus', 'narwhal'], null).candidates).toHaveLength(2);
  expect(both('"walrus" AND "narwhal"', ['walrus'], '"narwhal"').candidates).toHaveLength(2);
  expect(both('"walrus" AND "scientists"', ['walrus'], '"scientists"').candidates).toHaveLength(1);
  expect(both('"walrus" AND "beluga"', ['walrus'], '"beluga"')).toMatchObject({ read: 0, exhausted: true });
  // A story must have every common word: the one with "scientists" has "walrus" but no "narwhal".
  expect(both('"walrus" AND "narwhal" AND "scientists"', ['walrus', 'narwhal'], '"scientists"')).toMatchObject({ read: 0 });
  // The candidates fill up; the scan limit stops the read ("more than"); dates thin the matches.
  expect(both('"walrus"', ['walrus'], null, 2)).toMatchObject({ read: 2, exhausted: false });
  expect(both('"walrus" AND "narwhal"', ['walrus'], '"narwhal"', 1)).toMatchObject({ read: 1, exhausted: false });
  expect(both('"walrus"', ['walrus'], null, 10, 1)).toMatchObject({ read: 1, exhausted: false });
  expect(both('"walrus"', ['walrus'], null, 10, 3)).toMatchObject({ read: 3, exhausted: false });
  expect(both('"walrus"', ['walrus'], null, 10, -1, { from: '2019-06-01T00:00:00.000Z' }).candidates).toHaveLength(1);

  // A story gains a word (past the end of that word's set, which was empty) and loses another:
  // the kept sets follow it (migration 0034's log), and follow it back.
  expect(both('"walrus" AND "beluga"', ['walrus', 'beluga'], null).candidates).toHaveLength(0);
  const setBody = site.db.prepare<[string, string]>('UPDATE articles SET body_text = ? WHERE slug = ?');
  const body = site.db.prepare<[string], string>('SELECT body_text FROM articles WHERE slug = ?').pluck().get('Newest-body')!;
  setBody.run('A walrus and a beluga.', 'Newest-body');
  try {
    expect(both('"walrus" AND "beluga"', ['walrus', 'beluga'], null).candidates).toHaveLength(1);
    expect(both('"walrus" AND "narwhal"', ['walrus', 'narwhal'], null).candidates).toHaveLength(1);
  } finally {
    setBody.run(body, 'Newest-body');
  }
  expect(both('"walrus" AND "beluga"', ['walrus', 'beluga'], null).candidates).toHaveLength(0);
  expect(both('"walrus" AND "narwhal"', ['walrus', 'narwhal'], null).candidates).toHaveLength(2);

  // A new story, and then gone again.
  const report = await importRecords(site, [
    buildArticleRecord({
      slug: 'Later-story',
      headline: 'Walrus meets narwhal',
      published_at: '2021-01-01T00:00:00Z',
      body: ['Nothing more.'],
    }),
  ]);
  expect(report.rejected).toEqual([]);
  expect(both('"walrus" AND "narwhal"', ['walrus', 'narwhal'], null).candidates).toHaveLength(3);
  site.db.prepare<[string]>('DELETE FROM articles WHERE slug = ?').run('Later-story');
  expect(both('"walrus" AND "narwhal"', ['walrus', 'narwhal'], null).candidates).toHaveLength(2);

  // More changes than are worth following one by one: every set is read again, with the same results.
  const setDeck = site.db.prepare<[string, string]>('UPDATE articles SET deck = ? WHERE slug = ?');
  const deck = site.db.prepare<[string], string>('SELECT deck FROM articles WHERE slug = ?').pluck().get('Old-headline')!;
  for (let i = 0; i < 150; i += 1) setDeck.run(i % 2 === 0 ? 'A narwhal deck.' : deck, 'Old-headline');
  expect(both('"walrus" AND "narwhal"', ['walrus', 'narwhal'], null).candidates).toHaveLength(2);
  setDeck.run('A narwhal deck.', 'Old-headline');
  try {
    expect(both('"walrus" AND "narwhal"', ['walrus', 'narwhal'], null).candidates).toHaveLength(3);
  } finally {
    setDeck.run(deck, 'Old-headline');
  }
  expect(both('"walrus" AND "narwhal"', ['walrus', 'narwhal'], null).candidates).toHaveLength(2);

  // Through the plan: the same results whichever words count as common.
  const plan = (threshold: number) => run('walrus narwhal', { commonThreshold: () => threshold });
  expect(plan(0)).toMatchObject({ total: 2, more: false });
  expect(headlines(plan(0)).sort()).toEqual(headlines(plan(2)).sort());
});
