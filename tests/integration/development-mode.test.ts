import * as cheerio from 'cheerio';
import request from 'supertest';
import { createTestSite, SEED_ARTICLE_PATH, type TestSite } from '../helpers/test-site';

// NODE_ENV=development is for someone editing the site: nothing made from templates is kept, so
// an edit shows on the next request, and a failure shows its error and stack, to this machine only.

let dev: TestSite;
let production: TestSite;
beforeAll(async () => {
  dev = await createTestSite({ env: { NODE_ENV: 'development' } });
  production = await createTestSite({ env: { NODE_ENV: 'production' } });
});
afterAll(async () => {
  await dev.close();
  await production.close();
});

test('development keeps no rendered pages', async () => {
  expect(dev.config.pageCacheBytes).toBe(0);
  for (let i = 0; i < 3; i += 1) {
    expect((await request(dev.app).get('/')).status).toBe(200);
    expect((await request(dev.app).get(SEED_ARTICLE_PATH)).status).toBe(200);
  }
  expect(dev.pageCache.size.bytes).toBe(0);
  // Elsewhere the page cache is on by default.
  expect(production.config.pageCacheBytes).toBe(16 * 1024 * 1024);
});

test('a failure shows its error and stack in development, on this machine only, and never in production', async () => {
  const failing = async (site: TestSite, forwardedFor?: string) => {
    const req = request(site.app).get('/World');
    return forwardedFor ? req.set('X-Forwarded-For', forwardedFor) : req;
  };
  // The database going away is a failure no request can cause, and every page needs it.
  dev.db.close();
  production.db.close();
  const devPage = await failing(dev);
  expect(devPage.status).toBe(500);
  const trace = cheerio.load(devPage.text)('.error-page__trace pre').text();
  expect(trace).toMatch(/not open/);
  expect(trace).toMatch(/\n\s+at /);
  // Through a proxy (someone else's request), no trace.
  const proxied = await failing(dev, '203.0.113.9');
  expect(proxied.status).toBe(500);
  expect(proxied.text).not.toContain('error-page__trace');
  const productionPage = await failing(production);
  expect(productionPage.status).toBe(500);
  expect(productionPage.text).not.toContain('error-page__trace');
  expect(productionPage.text).not.toMatch(/not open|\n\s+at /);
});
