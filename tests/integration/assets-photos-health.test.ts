import * as cheerio from 'cheerio';
import sharp from 'sharp';
import request from 'supertest';
import { createTestSite, SEED_ARTICLE_PATH, type TestSite } from '../helpers/test-site';

let site: TestSite;
beforeAll(async () => {
  site = await createTestSite();
});
afterAll(() => site.close());

const binary = (res: request.Response, callback: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

describe('assets', () => {
  test('the stylesheet is linked under a fingerprinted name and cached for a year', async () => {
    const $ = cheerio.load((await request(site.app).get('/')).text);
    const href = $('link[rel="stylesheet"]').attr('href')!;
    expect(href).toMatch(/^\/assets\/site\.[0-9a-f]{12}\.css$/);
    const res = await request(site.app).get(href);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/css/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.text).toContain('.skip-links');
    const again = await request(site.app).get(href).set('If-None-Match', res.headers.etag!);
    expect(again.status).toBe(304);
  });

  test('an unknown or unfingerprinted asset is a 404', async () => {
    expect((await request(site.app).get('/assets/site.css')).status).toBe(404);
    expect((await request(site.app).get('/assets/site.000000000000.css')).status).toBe(404);
  });
});

describe('photos', () => {
  test('every srcset URL on the article page answers an image of the stated width', async () => {
    const $ = cheerio.load((await request(site.app).get(SEED_ARTICLE_PATH)).text);
    const entries = $('.article__hero source, .article__hero img')
      .map((_, el) => $(el).attr('srcset')!.split(', '))
      .get() as string[];
    expect(entries.length).toBeGreaterThanOrEqual(8);
    for (const entry of entries) {
      const [url, descriptor] = entry.split(' ');
      const res = await request(site.app).get(url!).buffer(true).parse(binary);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toMatch(/immutable/);
      const meta = await sharp(res.body as Buffer).metadata();
      expect(`${meta.width}w`).toBe(descriptor);
      expect(meta.format).toBe(url!.endsWith('.webp') ? 'webp' : 'jpeg');
    }
  });

  test('a variant that does not exist, or a path that tries to leave the folder, is a 404', async () => {
    const $ = cheerio.load((await request(site.app).get(SEED_ARTICLE_PATH)).text);
    const src = $('.article__hero img').attr('src')!;
    for (const path of [
      src.replace('-640w', '-641w'),
      src.replace(/[0-9a-f]{64}/, '0'.repeat(64)),
      '/photos/..%2f..%2fetc%2fpasswd',
      '/photos/%2e%2e/%2e%2e/package.json',
      '/photos/%252e%252e%252fpackage.json',
      '/photos/../package.json',
    ]) {
      const res = await request(site.app).get(path);
      expect(res.status).toBe(404);
    }
  });
});

describe('GET /healthz', () => {
  test('is 200 while the database can be read and 503 once it cannot', async () => {
    const own = await createTestSite({ seed: false });
    try {
      const ok = await request(own.app).get('/healthz');
      expect(ok.status).toBe(200);
      expect(ok.headers['cache-control']).toBe('no-store');
      own.db.close();
      const down = await request(own.app).get('/healthz');
      expect(down.status).toBe(503);
    } finally {
      await own.close();
    }
  });

  test('pages answer a 500 page without internals when the database is gone', async () => {
    const own = await createTestSite();
    try {
      own.db.close();
      const res = await request(own.app).get(SEED_ARTICLE_PATH);
      expect(res.status).toBe(500);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toContain('Something went wrong');
      expect(res.text).not.toMatch(/database connection is not open|at \w+ \(|\.ts:\d+/);
    } finally {
      await own.close();
    }
  });
});
