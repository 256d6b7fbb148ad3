import * as cheerio from 'cheerio';
import request from 'supertest';
import { buildArticleRecord, importRecords } from '../helpers/article-factory';
import { createTestSite, SEED_ARTICLE_PATH, type TestSite } from '../helpers/test-site';

let site: TestSite;
beforeAll(async () => {
  site = await createTestSite();
  const report = await importRecords(site, [
    buildArticleRecord({ section: 'Science', slug: 'A-draft-story', headline: 'A draft nobody may read', status: 'draft' }),
    buildArticleRecord({
      section: 'Science',
      slug: 'A-story-for-later',
      headline: 'Embargoed story',
      published_at: '2030-01-01T00:00:00Z',
    }),
  ]);
  expect(report.rejected).toEqual([]);
});
afterAll(() => site.close());

describe('non-canonical spellings answer 301 to the canonical URL', () => {
  test.each([
    ['lower case', SEED_ARTICLE_PATH.toLowerCase()],
    ['upper case', SEED_ARTICLE_PATH.toUpperCase()],
    ['a trailing slash', `${SEED_ARTICLE_PATH}/`],
    ['the wrong section', '/USA/2013/0629/Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step'],
    ['the wrong date', '/World/Asia-Pacific/2012/0101/Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step'],
    ['a top-level section only', '/World/2013/0629/Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step'],
  ])('an article with %s', async (_, path) => {
    const res = await request(site.app).get(path);
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe(SEED_ARTICLE_PATH);
  });

  test('an old slug', async () => {
    const res = await request(site.app).get('/World/Asia-Pacific/2013/0612/North-and-South-Korea-talks-collapse');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/World/Asia-Pacific/2013/0612/South-Korea-and-North-Korea-call-off-talks-over-protocol');
  });

  test('the query string a page reads is kept across the redirect', async () => {
    const res = await request(site.app).get('/world?page=2');
    expect(res.headers.location).toBe('/World?page=2');
  });

  test('parameters the page does not read are dropped first, then the spelling is corrected', async () => {
    const first = await request(site.app).get(`${SEED_ARTICLE_PATH.toLowerCase()}?utm_source=feed`);
    expect(first.status).toBe(301);
    expect(first.headers.location).toBe(SEED_ARTICLE_PATH.toLowerCase());
    expect((await request(site.app).get(first.headers.location!)).headers.location).toBe(SEED_ARTICLE_PATH);
  });

  test.each([
    ['/world', '/World'],
    ['/WORLD/asia-pacific', '/World/Asia-Pacific'],
    ['/World/', '/World'],
    ['/World//Asia-Pacific', '/World/Asia-Pacific'],
    ['/the-culture/doing-good?page=1', '/The-Culture/Doing-Good?page=1'],
  ])('section front %s', async (path, location) => {
    const res = await request(site.app).get(path);
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe(location);
  });

  test('topic pages', async () => {
    const res = await request(site.app).get('/topics/North-Korea');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/topics/north-korea');
  });

  test('a redirect never leaves the site, whatever the path looks like', async () => {
    const res = await request(site.app).get('//evil.example/World');
    expect([301, 404]).toContain(res.status);
    if (res.status === 301) expect(res.headers.location).toMatch(/^\/[^/]/);
  });
});

describe('what readers may not see is a 404', () => {
  test('a draft', async () => {
    const res = await request(site.app).get('/Science/2014/0101/A-draft-story');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('A draft nobody may read');
  });

  test('an article scheduled for later, until its time comes', async () => {
    expect((await request(site.app).get('/Science/2030/0101/A-story-for-later')).status).toBe(404);
    const front = await request(site.app).get('/Science');
    expect(front.text).not.toContain('Embargoed story');
    expect(front.text).not.toContain('A draft nobody may read');
  });

  test('an article whose time has come is visible', async () => {
    const later = await createTestSite({ now: () => new Date('2030-01-02T00:00:00Z') });
    try {
      await importRecords(later, [
        buildArticleRecord({ section: 'Science', slug: 'A-story-for-later', published_at: '2030-01-01T00:00:00Z' }),
      ]);
      expect((await request(later.app).get('/Science/2030/0101/A-story-for-later')).status).toBe(200);
    } finally {
      await later.close();
    }
  });
});

describe('the 404 page', () => {
  test.each(['/no-such-page', '/World/Asia-Pacific/2013/0629/No-such-story', '/World/Nowhere', '/topics/nobody', '/a/b/c'])(
    '%s is a 404 in the site layout with the search box and recent stories',
    async (path) => {
      const res = await request(site.app).get(path);
      expect(res.status).toBe(404);
      const $ = cheerio.load(res.text);
      expect($('h1').text()).toBe('Page not found');
      expect($('.error-page__message').text()).toMatch(/^We could not find/);
      expect($('#site-navigation a').length).toBeGreaterThan(0);
      expect($('form[role="search"] input[name="q"]').length).toBeGreaterThan(0);
      expect($('#recent-heading').text()).toBe('Recent stories');
      expect($('.story-card').length).toBe(5);
      expect($('meta[name="robots"]').attr('content')).toBe('noindex');
    },
  );
});

describe('malformed requests get a clear 4xx, never a 500', () => {
  test.each([
    ['bad percent-encoding in a path', '/World/%E0%A4%A'],
    ['bad percent-encoding in a topic', '/topics/%ZZ'],
    ['a lone percent sign', '/World/%'],
  ])('%s', async (_, path) => {
    const res = await request(site.app).get(path);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.text).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/);
  });

  test.each([
    ['?page=0', 400],
    ['?page=-1', 400],
    ['?page=abc', 400],
    ['?page=99999999999999999999', 400],
    ['?page=1&page=2', 400],
    ['?page=%', 400],
    ['?page=%E0%A4%A', 400],
    ['?page=1.5', 400],
    ['?page=99', 404],
    ['?page=999', 400],
  ])('a section front with %s answers %i', async (query, status) => {
    const res = await request(site.app).get(`/World${query}`);
    expect(res.status).toBe(status);
    if (status === 400) expect(cheerio.load(res.text)('.error-page__details li').text()).toMatch(/^page: /);
  });

  test('bad bytes and odd characters in a path are a 404, not a 500', async () => {
    for (const path of [
      '/%00',
      '/World/%2e%2e/%2e%2e/etc/passwd',
      '/<script>alert(1)</script>',
      '/World/Asia-Pacific/2013/0629/%F0%9F%98%80',
    ]) {
      const res = await request(site.app).get(path);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.text).not.toContain('<script>alert(1)</script>');
    }
  });
});
