import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import request from 'supertest';
import { buildArticleRecord, importRecords } from '../helpers/article-factory';
import { createTestSite, SEED_ARTICLE_PATH, TEST_NOW, type TestSite } from '../helpers/test-site';

let site: TestSite;
const articleId = (slug: string) => site.db.prepare('SELECT id FROM articles WHERE slug = ?').pluck().get(slug) as number;

beforeAll(async () => {
  site = await createTestSite();
  await importRecords(site, [
    buildArticleRecord({ section: 'Science', slug: 'Fresh-story', published_at: new Date(TEST_NOW.getTime() - 3600_000).toISOString() }),
  ]);
});
afterAll(() => site.close());

describe('conditional requests', () => {
  test.each([
    SEED_ARTICLE_PATH,
    '/',
    '/World',
    '/topics/north-korea',
    '/feeds/all.rss',
    '/feeds/all.json',
    '/sitemap.xml',
    '/search?q=korea',
  ])('%s has an ETag and Last-Modified, and answers 304 to either', async (path) => {
    const first = await request(site.app).get(path);
    expect(first.status).toBe(200);
    const etag = first.headers.etag!;
    const modified = first.headers['last-modified']!;
    expect(etag).toMatch(/^W\/"/);
    expect(Date.parse(modified)).not.toBeNaN();
    expect((await request(site.app).get(path).set('If-None-Match', etag)).status).toBe(304);
    expect((await request(site.app).get(path).set('If-Modified-Since', modified)).status).toBe(304);
    const stale = new Date(Date.parse(modified) - 1000).toUTCString();
    expect((await request(site.app).get(path).set('If-Modified-Since', stale)).status).toBe(200);
  });

  test('an edit changes the ETag and moves Last-Modified on', async () => {
    const before = await request(site.app).get('/Science');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await importRecords(site, [
      buildArticleRecord({
        section: 'Science',
        slug: 'Fresh-story',
        headline: 'An edited headline',
        published_at: new Date(TEST_NOW.getTime() - 3600_000).toISOString(),
      }),
    ]);
    const after = await request(site.app).get('/Science').set('If-None-Match', before.headers.etag!);
    expect(after.status).toBe(200);
    expect(after.text).toContain('An edited headline');
    expect(Date.parse(after.headers['last-modified']!)).toBeGreaterThan(Date.parse(before.headers['last-modified']!));
  });
});

describe('Cache-Control suits each kind of page', () => {
  test.each([
    ['/', /^public, max-age=60, stale-while-revalidate=\d+, stale-if-error=\d+$/],
    ['/World/Asia-Pacific', /^public, max-age=60,/],
    [SEED_ARTICLE_PATH, /^public, max-age=3600, stale-while-revalidate=86400, stale-if-error=\d+$/],
    ['/Science/2026/0115/Fresh-story', /^public, max-age=300, stale-while-revalidate=3600,/],
    ['/feeds/World.atom', /^public, max-age=300,/],
    ['/news-sitemap.xml', /^public, max-age=3600,/],
    ['/subscribe', /^private, no-store$/],
    ['/no-such-page', /^public, max-age=60$/],
  ])('%s', async (path, expected) => {
    const res = await request(site.app).get(path);
    expect(res.headers['cache-control']).toMatch(expected);
  });

  test('shared pages set no cookie; the sign-up page does', async () => {
    for (const path of ['/', SEED_ARTICLE_PATH, '/World', '/feeds/all.rss', '/search?q=korea']) {
      expect((await request(site.app).get(path)).headers['set-cookie']).toBeUndefined();
    }
    expect((await request(site.app).get('/subscribe')).headers['set-cookie']).toBeDefined();
  });
});

describe('Surrogate-Key names what a CDN must purge', () => {
  test('an article names itself, its sections, its related stories and the layout parts', async () => {
    const keys = (await request(site.app).get(SEED_ARTICLE_PATH)).headers['surrogate-key']!.split(' ');
    expect(keys).toEqual(
      expect.arrayContaining([`article-${articleId('Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step')}`, 'promo', 'offer']),
    );
    expect(keys.filter((key) => key.startsWith('section-'))).toHaveLength(2);
    expect(keys).toContain(`article-${articleId('China-presses-North-Korea-to-return-to-six-party-talks')}`);
  });

  test('a front names every story it lists', async () => {
    const keys = (await request(site.app).get('/World/Asia-Pacific')).headers['surrogate-key']!.split(' ');
    expect(keys).toContain(`article-${articleId('Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step')}`);
    expect(keys).toContain('promo');
  });
});

describe('compression', () => {
  /** The raw bytes on the wire (supertest would decompress them for us). */
  async function rawGet(path: string, acceptEncoding: string): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
    const server = http.createServer(site.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      return await new Promise((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path, headers: { 'accept-encoding': acceptEncoding } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
          })
          .on('error', reject);
      });
    } finally {
      server.close();
    }
  }

  test.each([
    ['gzip', (body: Buffer) => zlib.gunzipSync(body)],
    ['br', (body: Buffer) => zlib.brotliDecompressSync(body)],
  ])('pages are sent with %s when the client accepts it', async (encoding, decode) => {
    const res = await rawGet(SEED_ARTICLE_PATH, encoding);
    expect(res.headers['content-encoding']).toBe(encoding);
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(decode(res.body).toString()).toContain('Is North Korea ready to talk?');
  });
});

describe('photos in pages', () => {
  test('the hero is eager with high priority; photos further down load lazily; all have sizes', async () => {
    const res = await request(site.app).get(SEED_ARTICLE_PATH);
    const imgs = [...res.text.matchAll(/<img [^>]+>/g)].map((m) => m[0]);
    expect(imgs[0]).toMatch(/loading="eager"/);
    expect(imgs[0]).toMatch(/fetchpriority="high"/);
    for (const img of imgs.slice(1)) expect(img).toMatch(/loading="lazy"/);
    for (const img of imgs) {
      expect(img).toMatch(/ width="\d+"/);
      expect(img).toMatch(/ height="\d+"/);
      expect(img).toMatch(/ sizes="[^"]+"/);
    }
  });
});
