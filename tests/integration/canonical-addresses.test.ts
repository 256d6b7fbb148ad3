import * as cheerio from 'cheerio';
import request from 'supertest';
import { createTestSite, SEED_ARTICLE_PATH, type TestSite } from '../helpers/test-site';

// One address per page: parameters a page does not read are redirected away before any cache is
// consulted, so that distinct junk values make neither cache entries nor cache misses.
let site: TestSite;
beforeAll(async () => {
  site = await createTestSite();
});
afterAll(() => site?.close());

test.each([
  [`${SEED_ARTICLE_PATH}?x=1`, SEED_ARTICLE_PATH],
  [`${SEED_ARTICLE_PATH}?utm_source=feed&utm_medium=rss`, SEED_ARTICLE_PATH],
  ['/World?page=2&x=1', '/World?page=2'],
  ['/?fbclid=abc', '/'],
  ['/search?q=korea&x=1&sort=newest', '/search?q=korea&sort=newest'],
  ['/feeds/all.rss?x=1', '/feeds/all.rss'],
  ['/sitemaps/articles-1.xml?x=1', '/sitemaps/articles-1.xml'],
  ['/SUBSCRIBE', '/subscribe'],
  ['/Subscribe/', '/subscribe'],
  ['/subscribe//thanks', '/subscribe/thanks'],
  ['/SEARCH?q=korea', '/search?q=korea'],
])('%s answers 301 to %s', async (from, to) => {
  const res = await request(site.app).get(from);
  expect(res.status).toBe(301);
  expect(res.headers.location).toBe(to);
  expect(res.headers['cache-control']).toMatch(/^public/);
});

test.each(['//evil.example?x=1', '///evil.example/?x=1', '/\\evil.example?x=1', '//evil.example'])(
  '%s never redirects to another host',
  async (target) => {
    const res = await request(site.app).get(target);
    expect(res.status).not.toBe(500);
    // A path of this site: one "/" and then not another "/" or "\" (which browsers read as "//").
    if (res.status === 301) expect(res.headers.location).toMatch(/^\/(?![/\\])/);
  },
);

test('per-reader pages keep their query as sent (their links carry tokens)', async () => {
  expect((await request(site.app).get('/subscribe?plan=print')).status).toBe(200);
  expect((await request(site.app).get('/subscribe/confirm?token=nope')).status).toBe(400);
});

test('distinct unknown parameters create no cache entries and cause no renders', async () => {
  await request(site.app).get(SEED_ARTICLE_PATH).expect(200);
  await request(site.app).get(SEED_ARTICLE_PATH).expect(200);
  const before = site.pageCache.size;
  for (let i = 0; i < 500; i += 1) {
    expect((await request(site.app).get(`${SEED_ARTICLE_PATH}?x=${i}`)).status).toBe(301);
    expect((await request(site.app).get(`/World?page=1&ref=${i}`)).status).toBe(301);
  }
  expect(site.pageCache.size).toEqual(before);
});

test('a prefix of one letter, or past the third, is left out and the page says why', async () => {
  for (const q of ['s*', 'korea s* p*', 'ko* no* ta* mo*']) {
    const res = await request(site.app)
      .get(`/search?q=${encodeURIComponent(q)}`)
      .expect(200);
    expect(cheerio.load(res.text)('main').text()).toMatch(/would match too much, so we left (it|them) out/);
  }
  const fine = await request(site.app).get('/search?q=ko*').expect(200);
  expect(cheerio.load(fine.text)('main').text()).not.toMatch(/would match too much/);
  expect(cheerio.load(fine.text)('.search-result').length).toBeGreaterThan(0);
});

test('listings page back 100 pages; deeper is a 400 that says where older stories are', async () => {
  const res = await request(site.app).get('/?page=101');
  expect(res.status).toBe(400);
  expect(res.text).toMatch(/search the archive for older stories/);
  expect((await request(site.app).get('/World?page=100')).status).not.toBe(500);
});
