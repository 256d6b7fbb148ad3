import { createSearchRepository } from '../../src/search/search-repository';
import { runSearch, type SearchTuning } from '../../src/search/search-plan';
import { compileSearchQuery } from '../../src/search/search-query';
import { buildArticleRecord, importRecords } from '../helpers/article-factory';
import { createTestSite, TEST_NOW, type TestSite } from '../helpers/test-site';

// The ranking shortcuts that keep search fast on a large archive, exercised on a small one by
// lowering their thresholds.
let site: TestSite;
const filters = { now: TEST_NOW.toISOString(), sectionIds: null, from: null, to: null };
const headlines = (outcome: ReturnType<typeof runSearch>) => outcome.hits.map((hit) => hit.headline);
const run = (q: string, tuning: Partial<SearchTuning> = {}) =>
  runSearch(createSearchRepository(site.db), compileSearchQuery(q).clauses, filters, 'relevance', 10, 0, {
    candidateLimit: 1000,
    commonThreshold: () => 5000,
    ...tuning,
  });

beforeAll(async () => {
  site = await createTestSite();
  const report = await importRecords(site, [
    buildArticleRecord({
      slug: 'Old-headline',
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

test('past the candidate limit, the count says "more" and the newest are ranked', () => {
  const outcome = run('walrus', { candidateLimit: 2 });
  expect(outcome).toMatchObject({ total: 2, more: true });
  expect(headlines(outcome)).toEqual(['Ice report', 'Arctic survey ends']);
});
