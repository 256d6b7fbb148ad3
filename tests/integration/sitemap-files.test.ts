import request from 'supertest';
import { XMLParser } from 'fast-xml-parser';
import { createTestSite, type TestSite } from '../helpers/test-site';

// The protocol allows 50,000 URLs a file; the site splits far earlier, so that no request builds
// a large file. Lowered here to 4 stories a file, so that the seed's stories need several.
let site: TestSite;
beforeAll(async () => {
  site = await createTestSite({ sitemapUrlsPerFile: 4 });
});
afterAll(() => site?.close());

const parser = new XMLParser({ isArray: (name) => name === 'sitemap' || name === 'url' || name === 'image:image' });
type Entry = { loc: string; lastmod?: string };
const locsIn = (xml: string, list: 'sitemapindex' | 'urlset'): Entry[] => {
  const parsed = parser.parse(xml) as Record<string, { sitemap?: Entry[]; url?: Entry[] }>;
  return list === 'sitemapindex' ? parsed.sitemapindex!.sitemap! : (parsed.urlset!.url ?? []);
};

test('the index lists several article sitemaps, each within its limit, that together hold every story once', async () => {
  const index = await request(site.app).get('/sitemap.xml').expect(200);
  const files = locsIn(index.text, 'sitemapindex').filter((entry) => entry.loc.includes('/sitemaps/articles-'));
  expect(files.length).toBeGreaterThanOrEqual(2);
  const stories: string[] = [];
  for (const file of files) {
    expect(file.lastmod).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const res = await request(site.app).get(new URL(file.loc).pathname).expect(200);
    const urls = locsIn(res.text, 'urlset').map((url) => url.loc);
    expect(urls.length).toBeLessThanOrEqual(4);
    stories.push(...urls);
  }
  const visible = site.db
    .prepare("SELECT count(*) FROM articles WHERE status = 'published' AND published_at <= ?")
    .pluck()
    .get(site.now().toISOString());
  expect(stories).toHaveLength(visible as number);
  expect(new Set(stories).size).toBe(stories.length);
});

test('a sitemap carries an ETag and answers 304 to a crawler that has it', async () => {
  const first = await request(site.app).get('/sitemaps/articles-1.xml').expect(200);
  expect(first.headers.etag).toBeDefined();
  await request(site.app).get('/sitemaps/articles-1.xml').set('If-None-Match', first.headers.etag!).expect(304);
});

test('a file past the last one is a 404', async () => {
  await request(site.app).get('/sitemaps/articles-9999.xml').expect(404);
});
