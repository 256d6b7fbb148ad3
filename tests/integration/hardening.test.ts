import * as cheerio from 'cheerio';
import request from 'supertest';
import { postSignup, validFields } from '../helpers/signup-form';
import { createTestSite, SEED_ARTICLE_PATH, type TestSite } from '../helpers/test-site';

let site: TestSite;
beforeAll(async () => {
  site = await createTestSite({ env: { TRUST_PROXY: 'loopback' } });
});
afterAll(() => site.close());

describe('security headers', () => {
  test('a strict Content-Security-Policy and the other headers on every page', async () => {
    for (const path of ['/', SEED_ARTICLE_PATH, '/subscribe', '/no-such-page']) {
      const res = await request(site.app).get(path);
      const csp = res.headers['content-security-policy']!;
      expect(csp).toMatch(/script-src 'self'/);
      expect(csp).not.toMatch(/unsafe-inline/);
      expect(csp).toMatch(/object-src 'none'/);
      expect(csp).toMatch(/base-uri 'none'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/form-action 'self'/);
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(res.headers['permissions-policy']).toMatch(/camera=\(\)/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  test('pages contain no inline script or style that the policy would block', async () => {
    const $ = cheerio.load((await request(site.app).get(SEED_ARTICLE_PATH)).text);
    expect($('script:not([type="application/ld+json"])')).toHaveLength(0);
    expect($('[style]')).toHaveLength(0);
    expect($('style')).toHaveLength(0);
  });

  test('HSTS is sent only over HTTPS (behind a trusted proxy that says so)', async () => {
    const res = await request(site.app).get('/').set('X-Forwarded-Proto', 'https');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
  });
});

describe('limits', () => {
  test('an absurdly long address is a 414 page', async () => {
    const res = await request(site.app).get(`/search?q=${'a'.repeat(5000)}`);
    expect(res.status).toBe(414);
    expect(cheerio.load(res.text)('h1').text()).toBe('Address too long');
  });

  test('methods the site never answers are a 405', async () => {
    const res = await request(site.app).delete(SEED_ARTICLE_PATH);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
  });

  test('more than 50 query parameters are cut, not parsed without end', async () => {
    const query = Array.from({ length: 200 }, (_, i) => `p${i}=${i}`).join('&');
    // On a page that reads its query as sent (shared pages redirect unknown parameters away first).
    expect((await request(site.app).get(`/subscribe?${query}`)).status).toBe(200);
  });

  test('a form body over 16 kB is a 413', async () => {
    expect((await postSignup(site, validFields({ name: 'x'.repeat(17 * 1024) }))).status).toBe(413);
  });
});

describe('a full disk', () => {
  test('makes sign-ups fail with a 503 page while reading keeps working, and leaves the database consistent', async () => {
    const own = await createTestSite({ env: { TRUST_PROXY: 'loopback' } });
    try {
      const before = own.db.prepare('SELECT count(*) FROM subscriptions').pluck().get();
      // No page may be added to the file any more: what a full disk does to SQLite.
      const pages = own.db.pragma('page_count', { simple: true }) as number;
      own.db.pragma(`max_page_count = ${pages}`);
      const statuses: number[] = [];
      for (let i = 0; i < 40; i += 1) statuses.push((await postSignup(own, validFields({ email: `full${i}@example.com` }))).status);
      expect(statuses).toContain(503);
      const failed = await postSignup(own, validFields({ email: 'full-last@example.com' }));
      expect(failed.status).toBe(503);
      expect(failed.headers['retry-after']).toBe('60');
      expect(cheerio.load(failed.text)('h1').text()).toBe('Temporarily unavailable');
      expect((await request(own.app).get(SEED_ARTICLE_PATH)).status).toBe(200);
      expect((await request(own.app).get('/search?q=korea')).status).toBe(200);
      expect(own.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const orphans = own.db
        .prepare('SELECT count(*) FROM subscriptions s WHERE NOT EXISTS (SELECT 1 FROM consents c WHERE c.subscription_id = s.id)')
        .pluck()
        .get();
      expect(orphans).toBe(0);
      expect(own.db.prepare('SELECT count(*) FROM subscriptions').pluck().get()).toBeGreaterThanOrEqual(before as number);
    } finally {
      await own.close();
    }
  });
});
