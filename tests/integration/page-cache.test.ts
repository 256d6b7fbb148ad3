import request from 'supertest';
import { createApp } from '../../src/app';
import { openDatabase } from '../../src/db/open-database';
import { createLogger } from '../../src/logger';
import { buildArticleRecord, importRecords } from '../helpers/article-factory';
import { createTestSite, SEED_ARTICLE_PATH, TEST_NOW, type TestSite } from '../helpers/test-site';

// The page cache must never show a reader something stale after an edit, in any worker.
let site: TestSite;
beforeEach(async () => {
  site = await createTestSite();
});
afterEach(() => site.close());

test('a second request for a page gets the same bytes, and a conditional one a 304', async () => {
  const first = await request(site.app).get(SEED_ARTICLE_PATH);
  const second = await request(site.app).get(SEED_ARTICLE_PATH);
  expect(second.text).toBe(first.text);
  expect(second.headers.etag).toBe(first.headers.etag);
  expect(second.headers['content-security-policy']).toBe(first.headers['content-security-policy']);
  expect(second.headers['surrogate-key']).toBe(first.headers['surrogate-key']);
  expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
  expect((await request(site.app).get(SEED_ARTICLE_PATH).set('If-None-Match', first.headers.etag!)).status).toBe(304);
  const head = await request(site.app).head(SEED_ARTICLE_PATH);
  expect(head.status).toBe(200);
  expect(head.text).toBeUndefined();
});

test('an edit to an article, the promo or the offer shows at once', async () => {
  await request(site.app).get(SEED_ARTICLE_PATH);
  await request(site.app).get('/World/Asia-Pacific');
  await importRecords(site, [
    buildArticleRecord({
      section: 'World/Asia-Pacific',
      slug: 'Just-in',
      headline: 'A story that just came in',
      published_at: '2025-12-01T00:00:00Z',
    }),
  ]);
  expect((await request(site.app).get('/World/Asia-Pacific')).text).toContain('A story that just came in');
  site.db.prepare("UPDATE promos SET headline = 'A new promo headline'").run();
  expect((await request(site.app).get(SEED_ARTICLE_PATH)).text).toContain('A new promo headline');
  site.db.prepare("UPDATE offers SET special_offer_text = 'Half price this week'").run();
  expect((await request(site.app).get(SEED_ARTICLE_PATH)).text).toContain('Half price this week');
});

test('an edit made through another process invalidates this one’s cache too', async () => {
  // A second "worker": its own connection and app on the same file.
  const db = openDatabase(site.config.databasePath);
  const other = createApp({ db, config: site.config, logger: createLogger(site.config), now: () => TEST_NOW });
  try {
    expect((await request(other).get('/Science')).status).toBe(200);
    await importRecords(site, [
      buildArticleRecord({
        section: 'Science',
        slug: 'Elsewhere',
        headline: 'Written by the first worker',
        published_at: '2025-12-01T00:00:00Z',
      }),
    ]);
    expect((await request(other).get('/Science')).text).toContain('Written by the first worker');
  } finally {
    db.close();
  }
});

test('a story scheduled for later appears on the front within the cache lifetime', async () => {
  let clock = TEST_NOW.getTime();
  const own = await createTestSite({ now: () => new Date(clock), pageCacheTtlMs: 300 });
  try {
    await importRecords(own, [
      buildArticleRecord({
        slug: 'Scheduled',
        headline: 'Scheduled for ten seconds later',
        published_at: new Date(clock + 10_000).toISOString(),
      }),
    ]);
    expect((await request(own.app).get('/')).text).not.toContain('Scheduled for ten seconds later');
    clock += 20_000;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await request(own.app).get('/')).text).toContain('Scheduled for ten seconds later');
  } finally {
    await own.close();
  }
});

test('pages with per-reader state are never cached', async () => {
  const first = await request(site.app).get('/subscribe');
  const second = await request(site.app).get('/subscribe');
  expect(first.headers['set-cookie']).toBeDefined();
  expect(second.headers['set-cookie']![0]).not.toBe(first.headers['set-cookie']![0]);
});

test('a cached page is sent compressed to clients that accept it', async () => {
  await request(site.app).get(SEED_ARTICLE_PATH);
  const res = await request(site.app).get(SEED_ARTICLE_PATH).set('Accept-Encoding', 'br');
  expect(res.headers['content-encoding']).toBe('br');
  expect(res.text).toContain('Is North Korea ready to talk?');
});
