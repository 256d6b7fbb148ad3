import * as cheerio from 'cheerio';
import request from 'supertest';
import { startBuiltServerInTempDir, type ChildServer } from '../helpers/child-server';
import { createTestSite, type TestSite } from '../helpers/test-site';

// The built server runs searches on a search thread (SEARCH_THREADS): the same results as in the
// process, and past its capacity a search is refused at once with a 503, while pages never are.
let server: ChildServer;
let stop: () => Promise<void>;
let inline: TestSite;
beforeAll(async () => {
  ({ server, stop } = await startBuiltServerInTempDir({ SEARCH_THREADS: '1', SEARCH_QUEUE: '0', PAGE_CACHE_MB: '0' }));
  inline = await createTestSite();
}, 60_000);
afterAll(async () => {
  await stop?.();
  await inline?.close();
});

const resultLinks = (html: string) => {
  const $ = cheerio.load(html);
  return $('.search-result .story-card__headline a')
    .map((_, a) => $(a).attr('href'))
    .get();
};

test.each(['korea', 'six-party talks', 'ko*', 'talks -moscow', 'korae'])('"%s" finds the same stories on a search thread', async (q) => {
  const threaded = await fetch(`${server.url}/search?q=${encodeURIComponent(q)}`);
  expect(threaded.status).toBe(200);
  const html = await threaded.text();
  const own = await request(inline.app).get(`/search?q=${encodeURIComponent(q)}`);
  expect(new Set(resultLinks(html))).toEqual(new Set(resultLinks(own.text)));
  if (q === 'korae') expect(cheerio.load(html)('.search-page__suggestion').text()).toMatch(/korea/);
  else expect(resultLinks(html).length).toBeGreaterThan(0);
  expect(cheerio.load(html)('.search-page__suggestion').text()).toBe(cheerio.load(own.text)('.search-page__suggestion').text());
});

test('past capacity, searches get a 503 page at once with Retry-After, and pages are never refused', async () => {
  const searches = Array.from({ length: 100 }, (_, i) => fetch(`${server.url}/search?q=korea+talks+${i}`));
  const pages = Array.from({ length: 10 }, () => fetch(`${server.url}/World`));
  const answers = await Promise.all(searches);
  const statuses = answers.map((res) => res.status);
  expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
  const refused = answers.find((res) => res.status === 503);
  expect(refused).toBeDefined();
  expect(refused!.headers.get('retry-after')).toBe('5');
  const $ = cheerio.load(await refused!.text());
  expect($('h1').text()).toMatch(/unavailable/i);
  expect($('form[role="search"], input[type="search"]').length).toBeGreaterThan(0); // in the site's layout
  expect((await Promise.all(pages)).map((res) => res.status)).toEqual(Array(10).fill(200));
  // And once the burst is over, search answers again.
  expect((await fetch(`${server.url}/search?q=korea`)).status).toBe(200);
});

test('a search that would wait longer than SEARCH_MAX_WAIT_MS is refused, however much room the queue has', async () => {
  const waitless = await startBuiltServerInTempDir({
    SEARCH_THREADS: '1',
    SEARCH_QUEUE: '1000',
    SEARCH_MAX_WAIT_MS: '0',
    PAGE_CACHE_MB: '0',
  });
  try {
    const answers = await Promise.all(Array.from({ length: 150 }, (_, i) => fetch(`${waitless.server.url}/search?q=korea+${i}`)));
    const statuses = answers.map((res) => res.status);
    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
  } finally {
    await waitless.stop();
  }
}, 60_000);

test('while the main thread is busy (SEARCH_YIELD_AT), searches beyond one a thread are refused, however much room the queue has', async () => {
  // 0: any work at all on the main thread counts as busy.
  const yielding = await startBuiltServerInTempDir({
    SEARCH_THREADS: '1',
    SEARCH_QUEUE: '1000',
    SEARCH_MAX_WAIT_MS: '10000',
    SEARCH_YIELD_AT: '0',
    PAGE_CACHE_MB: '0',
  });
  try {
    // The first window of the main thread's load closes a quarter of a second after the start.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => fetch(`${yielding.server.url}/search?q=korea+${i}`)));
    const statuses = answers.map((res) => res.status);
    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    // Pages are never refused.
    expect((await fetch(`${yielding.server.url}/World`)).status).toBe(200);
  } finally {
    await yielding.stop();
  }
}, 60_000);
